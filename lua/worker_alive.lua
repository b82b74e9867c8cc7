--[[ worker_alive.lua: keep this worker alive in one shard, and free the tenants of every
  worker whose liveness lapsed there, so that another worker claims them at once.
  Run by every worker on every shard several times a second: one call per shard,
  however many tenants the worker owns.
  KEYS[1]  fd:{sNNN}:alive    hash: worker id -> "<expiry ms, Redis clock> <boot nonce>"
  KEYS[2]  fd:{sNNN}:owners   hash: business id -> worker id holding its lease
  KEYS[3]  fd:{sNNN}:owned    zset: owned tenants
  KEYS[4]  fd:{sNNN}:ready    zset: tenants with work and no owner
  ARGV[1]  worker id   ARGV[2] boot nonce   ARGV[3] liveness (ms)
  ARGV[4]  channel the freed tenants are announced on (fd:events)
  Returns  {1 when we were alive here until now, so our leases here stand; 0 when we
           were not (a pause outlived our liveness, or a new process took the worker id):
           every lease we held here is freed and the worker must drop those tenants,
           tenants freed by this call}
  Why Lua  deciding that a worker is dead and freeing its tenants must be one step with
           the checks of worker_acquire.lua, or a lapsed worker could renew itself between
           the two and find its tenants given away while it still acts on them. ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function is_lapsed(value, nonce)
  if not value then return true end
  local expiry, boot = string.match(value, '^(%d+) (.+)$')
  return expiry == nil or tonumber(expiry) < now or (nonce ~= nil and boot ~= nonce)
end
local dead = {}
local was_alive = not is_lapsed(redis.call('HGET', KEYS[1], ARGV[1]), ARGV[2])
if not was_alive then dead[ARGV[1]] = true end
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] and is_lapsed(fields[i + 1], nil) then
    dead[fields[i]] = true
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
local freed = 0
if next(dead) ~= nil then
  -- only when someone died: the shard's owners are read in full then, never otherwise
  local owners = redis.call('HGETALL', KEYS[2])
  for i = 1, #owners, 2 do
    if dead[owners[i + 1]] then
      redis.call('HDEL', KEYS[2], owners[i])
      redis.call('ZREM', KEYS[3], owners[i])
      redis.call('ZADD', KEYS[4], 'NX', now, owners[i])
      redis.call('PUBLISH', ARGV[4], owners[i])
      freed = freed + 1
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f %s', now + tonumber(ARGV[3]), ARGV[2]))
return {was_alive and 1 or 0, freed}
