--[[ worker_renew.lua: extend a lease we hold.
  KEYS[1]  fd:{sNNN}:t:B:lease   KEYS[2] fd:{sNNN}:owned
  ARGV[1]  business id   ARGV[2] our lease value   ARGV[3] lease (ms)
  Returns  1, or 0 when the lease is no longer ours (expired, taken): stop at once.
  Why Lua  compare-and-extend must be atomic, or we could extend someone else's lease. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
return 1
