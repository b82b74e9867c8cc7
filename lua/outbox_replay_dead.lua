--[[ outbox_replay_dead.lua: put a dead outbox entry back into its tenant's outbox
  (frontdesk-ctl dead replay --outbox), once the operator has fixed what PostgreSQL
  refused. It goes to the end of the outbox: records written after it may land first.
  KEYS[1]  fd:{sNNN}:t:B:outbox_dead   KEYS[2] fd:{sNNN}:t:B:outbox
  KEYS[3]  fd:{sNNN}:ready             KEYS[4] fd:{sNNN}:t:B:lease
  ARGV[1]  the dead entry's id         ARGV[2] business id
  Returns  the new outbox entry id, or false when there is no such dead entry.
  Why Lua  the record must be in the outbox or in the dead outbox, never both or neither.
  Only an owner drains an outbox: a tenant nobody holds is made ready, as replay_dead.lua
  does, so that a worker takes it. ]]
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then
  return false
end
local f = {}
local fields = found[1][2]
for i = 1, #fields, 2 do f[fields[i]] = fields[i + 1] end
local id = redis.call('XADD', KEYS[2], '*', 'table', f['table'] or '', 'key', f['key'] or '',
  'row', f['row'] or '', 'replayed_from', ARGV[1])
redis.call('XDEL', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[4]) == 0 then
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[3], 'NX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[2])
end
redis.call('PUBLISH', 'fd:events', ARGV[2])
return id
