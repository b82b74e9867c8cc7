--[[ sms_sent.lua: a text Telnyx took (or refused for good) leaves the send stream and
  its record joins the outbox, in one step.
  KEYS[1]  fd:{sNNN}:t:B:sms      stream: texts to send
  KEYS[2]  fd:{sNNN}:t:B:outbox   durable records waiting for PostgreSQL
  ARGV[1]  the sms entry id
  then     N records, then N (table, key, row) triples (lib/store/outbox_record.h)
  Returns  1.
  Why Lua  a crash between the two would either lose the record of a text that went
           out or send it again with its record. Not fenced: a former owner that
           finishes a send after losing the tenant still has the only word on that text;
           the records are idempotent by their ids. ]]
local n = tonumber(ARGV[2])
for j = 0, n - 1 do
  local b = 2 + j * 3
  redis.call('XADD', KEYS[2], '*', 'table', ARGV[b + 1], 'key', ARGV[b + 2], 'row', ARGV[b + 3])
end
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
