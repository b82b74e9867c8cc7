--[[ sms_sent.lua: a text Telnyx took (or refused for good) leaves the send stream and
  its records join the outbox, in one step.
  KEYS[1]  fd:{sNNN}:t:B:sms      stream: texts to send
  KEYS[2]  fd:{sNNN}:t:B:outbox   durable records waiting for PostgreSQL
  KEYS[3]  fd:{sNNN}:t:B:sms_optout  hash: opted-out number -> "<opt-out id> <ms>"
  ARGV[1]  the sms entry id
  ARGV[2]  a number Telnyx refused as opted out (error 40300), or ""
  ARGV[3]  its opt-out value "<opt-out id> <ms>" (set only if the number has none)
  then     N records, then N (table, key, row) triples (lib/store/outbox_record.h); with
           a refused number the last is its sms_opt_outs record, kept only when the
           number was not opted out already (a STOP's confirmation refused by Telnyx,
           which blocks on a STOP too, must not make a second opt-out)
  Returns  1.
  Why Lua  a crash between the steps would either lose the record of a text that went
           out or send it again with its record; a refused number's opt-out lands with
           the refusal, so the next text to it is dropped before it is sent. Not
           fenced: a former owner that finishes a send after losing the tenant still
           has the only word on that text; the records are idempotent by their ids. ]]
local n = tonumber(ARGV[4])
if ARGV[2] ~= '' and redis.call('HSETNX', KEYS[3], ARGV[2], ARGV[3]) == 0 then
  n = n - 1
end
for j = 0, n - 1 do
  local b = 4 + j * 3
  redis.call('XADD', KEYS[2], '*', 'table', ARGV[b + 1], 'key', ARGV[b + 2], 'row', ARGV[b + 3])
end
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
