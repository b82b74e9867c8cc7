--[[ worker_reap.lua: tenants whose owner died (lease expired, never released) are
  made ready again, so another worker takes them over within seconds.
  KEYS[1]  fd:{sNNN}:owned   zset, score = lease expiry (ms, Redis clock)
  KEYS[2]  fd:{sNNN}:ready
  ARGV[1]  grace (ms) past expiry
  Returns  the number of tenants made ready.
  Why Lua  a lease renewal moves the expiry forward in the same script that extends the
           lease (worker_renew.lua), so an expired score means an expired lease; moving
           them must not race a renewal. ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, 100)
for _, b in ipairs(stale) do
  redis.call('ZREM', KEYS[1], b)
  redis.call('ZADD', KEYS[2], now, b)
end
return #stale
