--[[ worker_release.lua: give a tenant up (idle, shed to rebalance, or shutting down).
  KEYS[1]  fd:{sNNN}:t:B:lease   KEYS[2] fd:{sNNN}:owned   KEYS[3] fd:{sNNN}:ready
  KEYS[4]  fd:{sNNN}:t:B:events  KEYS[5] fd:{sNNN}:t:B:timers  KEYS[6] fd:{sNNN}:t:B:outbox
  KEYS[7]  fd:{sNNN}:t:B:sms     KEYS[8] fd:{sNNN}:t:B:sms_later (texts to send, now or later)
  KEYS[9]  fd:{sNNN}:owners      hash: business id -> worker id holding its lease
  ARGV[1]  business id   ARGV[2] our lease value
  ARGV[3]  "handover" (optional): another worker is to take it at once (shed to
           rebalance), so it is marked ready with work or without; a tenant that left
           the count instead (neither owned nor ready) would lower every worker's fair
           share and make the others shed in turn
  ARGV[4]  (optional) the channel a tenant marked ready is announced on (fd:events), so
           a worker under its share claims it now rather than at its next ready scan
  Returns  1 released (and re-marked ready if it still has work), 0 not ours.
  Why Lua  an event enqueued while we release must not be stranded: enqueue_event.lua
           marks a tenant ready only when it has no lease, so the release itself checks
           for undelivered or pending entries, live-call timers, records not yet in
           PostgreSQL (only owners drain outboxes) and texts not sent yet (only owners
           send them), atomically. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[9], ARGV[1])
local has_work = redis.call('ZCARD', KEYS[5]) > 0 or redis.call('XLEN', KEYS[6]) > 0 or
                 redis.call('XLEN', KEYS[7]) > 0 or redis.call('ZCARD', KEYS[8]) > 0
if not has_work and redis.call('EXISTS', KEYS[4]) == 1 then
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[4])) do
    local f = {}
    for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
    if f['name'] == 'workers' then
      -- lag is nil when Redis cannot tell (entries deleted): assume work
      if tonumber(f['pending']) > 0 or f['lag'] == nil or f['lag'] == false or tonumber(f['lag']) > 0 then
        has_work = true
      end
    end
  end
end
if has_work or ARGV[3] == 'handover' then
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[3], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
  if ARGV[4] then
    redis.call('PUBLISH', ARGV[4], ARGV[1])
  end
end
return 1
