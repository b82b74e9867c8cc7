--[[ replay_dead.lua: put a dead-lettered event back on its tenant's stream (frontdesk-ctl
  dead replay), once the operator has fixed what made it fail.
  KEYS[1]  fd:{sNNN}:t:B:dead    KEYS[2] fd:{sNNN}:t:B:events
  KEYS[3]  fd:{sNNN}:ready       KEYS[4] fd:{sNNN}:t:B:lease
  ARGV[1]  the dead entry's id   ARGV[2] business id
  Returns  the new stream entry id, or false when there is no such dead entry.
  Why Lua  the event must be on the stream or in the dead stream, never both or neither. ]]
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then
  return false
end
local f = {}
local fields = found[1][2]
for i = 1, #fields, 2 do f[fields[i]] = fields[i + 1] end
local id = redis.call('XADD', KEYS[2], '*', 'type', f['type'] or '', 'eid', f['eid'] or '',
  'call', f['call'] or '', 'at', f['at'] or '', 'body', f['body'] or '', 'replayed_from', ARGV[1])
redis.call('XDEL', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[4]) == 0 then
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[3], 'NX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[2])
end
redis.call('PUBLISH', 'fd:events', ARGV[2])
return id
