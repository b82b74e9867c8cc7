--[[ enqueue_event.lua: accept one verified webhook event for one tenant.
  KEYS[1]  fd:{sNNN}:t:B:seen:<event_id>  string with TTL: the event was accepted
  KEYS[2]  fd:{sNNN}:t:B:events           stream, consumer group "workers"
  KEYS[3]  fd:{sNNN}:ready                zset of tenants with work and no owner (score ms)
  KEYS[4]  fd:{sNNN}:t:B:lease            string: the owning worker, if any
  ARGV[1]  business id   ARGV[2] now (ms)   ARGV[3] de-duplication TTL (s)
  ARGV[4]  type   ARGV[5] eid   ARGV[6] call   ARGV[7] at   ARGV[8] body (MessagePack)
  Publishes the business id on channel fd:events, so that the owning worker reads the
  stream at once instead of polling it (a lost message only delays it to the next poll).
  Returns  the new stream entry id, or false when the event id was seen before.
  Why Lua  de-duplication, append and ready-marking must be one step: a crash between
           them would either lose the event or let a retried one in twice.
  The seen key is written after XADD so that a failed XADD leaves no trace and the
  sender's retry is accepted. Never XADD with MAXLEN: events are trimmed only by
  workers, below what they have processed.
  A duplicate renews the seen key's TTL: a write, so that the api's WAIT after this
  script (FRONTDESK_REDIS_WAIT_REPLICAS) waits for the replicas to reach the first
  copy too; WAIT on a connection that wrote nothing answers at once. ]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
  return false
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[2], 'workers', '0', 'MKSTREAM')
end
local id = redis.call('XADD', KEYS[2], '*',
  'type', ARGV[4], 'eid', ARGV[5], 'call', ARGV[6], 'at', ARGV[7], 'body', ARGV[8])
redis.call('SET', KEYS[1], id, 'EX', tonumber(ARGV[3]))
if redis.call('EXISTS', KEYS[4]) == 0 then
  redis.call('ZADD', KEYS[3], 'NX', tonumber(ARGV[2]), ARGV[1])
end
redis.call('PUBLISH', 'fd:events', ARGV[1])
return id
