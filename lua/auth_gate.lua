--[[ auth_gate.lua: may this login or sign-up attempt go ahead? Counts the attempt
  against its client address and, for a login, reads the failed logins of its email.
  Limits are shared by every frontdesk-web instance; the keys carry no tenant (none is
  known yet), so they share the {auth} hash tag.
  KEYS[1]  fd:{auth}:addr:<client address>        attempts in the current window
  KEYS[2]  fd:{auth}:fail:<sha256 of the email>   failed logins (logins only)
  ARGV[1]  attempts allowed per address per window   ARGV[2]  the window (ms)
  ARGV[3]  failed logins allowed per email (logins only)
  Returns  {1, 0} to go ahead, or {0, ms}: refused, and ms until the limit lifts.
  Why Lua  a counter and its expiry must be set together: a crash between INCR and
           PEXPIRE would leave a count that never expires and lock an address out. ]]
local attempts = redis.call('INCR', KEYS[1])
if attempts == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if attempts > tonumber(ARGV[1]) then
  local ms = redis.call('PTTL', KEYS[1])
  if ms < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    ms = tonumber(ARGV[2])
  end
  return {0, ms}
end
if #KEYS > 1 then
  local failures = tonumber(redis.call('GET', KEYS[2]) or '0')
  if failures >= tonumber(ARGV[3]) then
    return {0, math.max(redis.call('PTTL', KEYS[2]), 1)}
  end
end
return {1, 0}
