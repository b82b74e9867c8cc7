--[[ worker_acquire.lua: take the lease of a ready tenant, with a new fencing epoch.
  KEYS[1]  fd:{sNNN}:t:B:lease   string "<worker>:<epoch>", PX = lease time
  KEYS[2]  fd:{sNNN}:t:B:epoch   counter of fencing epochs
  KEYS[3]  fd:{sNNN}:owned       zset: owned tenants, score = lease expiry (ms, Redis clock)
  KEYS[4]  fd:{sNNN}:ready       zset: tenants with work and no owner
  ARGV[1]  business id   ARGV[2] worker id   ARGV[3] lease (ms)
  Returns  the new lease value "<worker>:<epoch>", or false when someone owns it.
  Why Lua  checking, taking and un-readying must be one step, or two workers could both
           believe they own the tenant. Times come from the Redis clock (TIME) so that
           workers with skewed clocks agree on when a lease is stale. ]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('ZREM', KEYS[4], ARGV[1])
  return false
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local epoch = redis.call('INCR', KEYS[2])
local value = ARGV[2] .. ':' .. epoch
redis.call('SET', KEYS[1], value, 'PX', tonumber(ARGV[3]))
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return value
