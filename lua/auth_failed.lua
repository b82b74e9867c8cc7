--[[ auth_failed.lua: count a failed login against its email, for auth_gate.lua.
  KEYS[1]  fd:{auth}:fail:<sha256 of the email>
  ARGV[1]  how long the count lives from the first failure (ms)
  Returns  the failures counted in the window.
  Why Lua  as in auth_gate.lua: the count and its expiry are set together. ]]
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return failures
