--[[ worker_acquire.lua: take the lease of a ready tenant, with a new fencing epoch.
  KEYS[1]  fd:{sNNN}:t:B:lease   string "<worker>:<epoch>"; no expiry: it stands while
                                 its holder is alive in the shard (worker_alive.lua)
  KEYS[2]  fd:{sNNN}:t:B:epoch   counter of fencing epochs
  KEYS[3]  fd:{sNNN}:owned       zset: owned tenants, score = when the lease was taken (ms)
  KEYS[4]  fd:{sNNN}:ready       zset: tenants with work and no owner
  KEYS[5]  fd:{sNNN}:alive       hash: worker id -> "<expiry ms> <boot nonce>"
  KEYS[6]  fd:{sNNN}:owners      hash: business id -> worker id holding its lease
  ARGV[1]  business id   ARGV[2] worker id   ARGV[3] our boot nonce
  Returns  the new lease value "<worker>:<epoch>", or false when a live worker owns it or
           we are not alive in the shard ourselves (yet, or any more).
  Why Lua  checking, taking and un-readying must be one step, or two workers could both
           believe they own the tenant. Liveness is judged by the Redis clock (TIME), so
           that workers with skewed clocks agree on who is dead. A lease whose holder's
           liveness lapsed is free: worker_alive.lua has freed it or is about to, and the
           fenced scripts refuse the old holder once the lease names us. ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function is_alive(worker, nonce)
  local value = worker and redis.call('HGET', KEYS[5], worker)
  if not value then return false end
  local expiry, boot = string.match(value, '^(%d+) (.+)$')
  return expiry ~= nil and tonumber(expiry) >= now and (nonce == nil or boot == nonce)
end
if not is_alive(ARGV[2], ARGV[3]) then
  return false
end
if redis.call('EXISTS', KEYS[1]) == 1 and is_alive(redis.call('HGET', KEYS[6], ARGV[1]), nil) then
  redis.call('ZREM', KEYS[4], ARGV[1])
  return false
end
local epoch = redis.call('INCR', KEYS[2])
local value = ARGV[2] .. ':' .. epoch
redis.call('SET', KEYS[1], value)
redis.call('HSET', KEYS[6], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return value
