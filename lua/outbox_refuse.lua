--[[ outbox_refuse.lua: count one more refusal of an outbox entry (by PostgreSQL on its
  data, in a transaction of its own, or by the whitelist), and once it has been refused
  ARGV[4] times move it to the tenant's dead outbox with the error, so that the entries
  after it drain and the tenant's outbox can empty (an idle tenant is released only then).
  KEYS[1]  fd:{sNNN}:t:B:outbox            KEYS[2] fd:{sNNN}:t:B:outbox_refusals (hash)
  KEYS[3]  fd:{sNNN}:t:B:outbox_dead
  ARGV[1]  the outbox entry id   ARGV[2] error text   ARGV[3] SQLSTATE ("" for the whitelist)
  ARGV[4]  refusals that move it (1: at once)   ARGV[5] TTL of the counts (ms)
  Returns  {refusals counted, dead entry id or ""}; {0, ""} when the entry is gone (another
           drain wrote or moved it meanwhile).
  Why Lua  the entry must be in the outbox or in the dead outbox, never both or neither.
  The counts live in Redis so that a refusal counts whichever worker met it; their TTL
  forgets an entry an operator removed by hand. The dead outbox keeps about the last
  10,000 entries (MAXLEN ~), as the events' dead stream does: a business whose every
  record is refused must not fill Redis. ]]
local found = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #found == 0 then
  redis.call('HDEL', KEYS[2], ARGV[1])
  return {0, ''}
end
local n = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if n < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  return {n, ''}
end
local f = {}
local fields = found[1][2]
for i = 1, #fields, 2 do f[fields[i]] = fields[i + 1] end
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', 'entry', ARGV[1],
  'table', f['table'] or '', 'key', f['key'] or '', 'row', f['row'] or '',
  'error', ARGV[2], 'sqlstate', ARGV[3], 'refusals', tostring(n))
redis.call('XDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return {n, id}
