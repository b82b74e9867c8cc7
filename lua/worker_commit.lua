--[[ worker_commit.lua: the Redis effects of one handled event, all or nothing.
  KEYS[1]  fd:{sNNN}:t:B:lease      our lease: fencing
  KEYS[2]  fd:{sNNN}:t:B:events     the stream the event came from (XACK)
  KEYS[3]  fd:{sNNN}:t:B:call:<id>  the call's state hash
  KEYS[4]  fd:{sNNN}:t:B:outbox     durable records waiting for PostgreSQL
  KEYS[5]  fd:{sNNN}:t:B:timers     zset: call id -> next timer (epoch ms)
  KEYS[6]  fd:{sNNN}:t:B:attempts   hash: stream entry id -> deliveries
  KEYS[7]  fd:{sNNN}:t:B:sms        stream: text messages to send (workers/sms_sender.c)
  KEYS[8]  fd:{sNNN}:t:B:sms_optout hash: number -> "<opt-out id> <ms>", numbers that
           texted STOP to the business (workers/sms_conversation.c)
  KEYS[9]  fd:{sNNN}:t:B:sms_ids    zset: id of a text queued -> when (ms), two days
  ARGV[1]  our lease value   ARGV[2] stream entry id ("" for a timer)
  ARGV[3]  call id   ARGV[4] timer due (ms, "0": none)   ARGV[5] state TTL (s, "0": none)
  ARGV[6]  the outbox's cap (entries, "0": none)   ARGV[7] the share of maxmemory (%) kept
           for businesses under their cap
  ARGV[8]  N state fields, then N name/value pairs
  then     M outbox records, then M (table, key, row) triples; a `bookings` record books
           the call's hold of that booking: its note (hold:<booking id>, booking_hold.lua)
           is deleted, so nothing gives those places back any more
  then     K text messages, then K (id, from, to, text, audience, conversation, kind,
           not_before, once) 9-tuples; audience caller | owner | compliance (sms_take.lua
           checks the opt-out of a caller's text only); not_before: not sent before (ms,
           "0": at once); once: "<what>:<number> <day>", at most one such text a day, or ""
  then     O opt-out changes (0 or 1), then O (number, value) pairs: value "" lifts the
           number's opt-out, any other value opts it out. The confirmation text and the
           opt-out land together, so a text checked after this commit never goes out.
  then     the call's Telnyx commands still to send, as the hash's `commands` field (JSON,
           workers/call_commands.c): "" deletes the field, "-" leaves it. While the call
           holds commands it stays in the timers zset (even with no timer due), so a new
           owner reads its state at its claim and sends them.
  Returns  1 when committed. Otherwise nothing was changed, and it returns:
           - the error "FENCED" when the lease is not ours;
           - 2 when the entry was committed already (it is no longer pending: an earlier
             commit ran whose reply was lost);
           - the error "OUTBOX_FULL" when the business's outbox holds the cap or more
             while Redis's used memory is within the reserve of maxmemory: the event
             waits until PostgreSQL has drained some, so that one business's backlog
             never takes the room the others need.
  Why Lua  the new state, the records, the commands and the acknowledgement must land
           together: a crash before this replays the event, and nothing of it was sent; a
           crash after it leaves the commands for the next owner to send. A stalled
           former owner changes nothing.
           The booking and the end of its hold's note land together too: a hold is never
           both booked and still open to being given back.
           A commit is sent again when its reply timed out, although it may have run:
           the entry's own acknowledgement makes the second one a no-op, and a text's
           id is queued once (a timer's commit has no entry to tell by), so nobody is
           texted twice. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
if ARGV[2] ~= '' and #redis.call('XPENDING', KEYS[2], 'workers', ARGV[2], ARGV[2], 1) == 0 then
  return 2
end
local cap = tonumber(ARGV[6])
if cap > 0 and redis.call('XLEN', KEYS[4]) >= cap then
  local info = redis.call('INFO', 'memory')
  local used = tonumber(string.match(info, 'used_memory:(%d+)'))
  local max = tonumber(string.match(info, 'maxmemory:(%d+)'))
  if max > 0 and used * 100 >= max * (100 - tonumber(ARGV[7])) then
    return redis.error_reply('OUTBOX_FULL the business\'s outbox is at its cap and Redis is short of room')
  end
end
local i = 8
local nfields = tonumber(ARGV[i])
if nfields > 0 then
  local hset = {}
  for j = 1, nfields * 2 do hset[j] = ARGV[i + j] end
  redis.call('HSET', KEYS[3], unpack(hset))
end
i = i + nfields * 2 + 1
local nrecords = tonumber(ARGV[i])
for j = 0, nrecords - 1 do
  local b = i + j * 3
  redis.call('XADD', KEYS[4], '*', 'table', ARGV[b + 1], 'key', ARGV[b + 2], 'row', ARGV[b + 3])
  if ARGV[b + 1] == 'bookings' then
    redis.call('HDEL', KEYS[3], 'hold:' .. ARGV[b + 2])
  end
end
i = i + nrecords * 3 + 1
local nsms = tonumber(ARGV[i] or '0')
if nsms > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', now - 2 * 86400000)
  for j = 0, nsms - 1 do
    local b = i + j * 9
    if not redis.call('ZSCORE', KEYS[9], ARGV[b + 1]) then
      redis.call('ZADD', KEYS[9], now, ARGV[b + 1])
      redis.call('XADD', KEYS[7], '*', 'id', ARGV[b + 1], 'from', ARGV[b + 2], 'to', ARGV[b + 3],
                 'text', ARGV[b + 4], 'audience', ARGV[b + 5], 'conversation', ARGV[b + 6], 'kind', ARGV[b + 7],
                 'not_before', ARGV[b + 8], 'once', ARGV[b + 9])
    end
  end
end
i = i + nsms * 9 + 1
local noptout = tonumber(ARGV[i] or '0')
for j = 0, noptout - 1 do
  local b = i + j * 2
  if ARGV[b + 2] == '' then
    redis.call('HDEL', KEYS[8], ARGV[b + 1])
  else
    redis.call('HSET', KEYS[8], ARGV[b + 1], ARGV[b + 2])
  end
end
i = i + noptout * 2 + 1
local commands = ARGV[i] or '-'
if commands == '' then
  redis.call('HDEL', KEYS[3], 'commands')
elseif commands ~= '-' then
  redis.call('HSET', KEYS[3], 'commands', commands)
end
if ARGV[4] ~= '0' then
  redis.call('ZADD', KEYS[5], tonumber(ARGV[4]), ARGV[3])
elseif ARGV[3] ~= '' and redis.call('HEXISTS', KEYS[3], 'commands') == 1 then
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[5], 'NX', tonumber(t[1]) * 1000, ARGV[3])
else
  redis.call('ZREM', KEYS[5], ARGV[3])
end
if ARGV[5] ~= '0' then
  redis.call('EXPIRE', KEYS[3], tonumber(ARGV[5]))
end
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[2], 'workers', ARGV[2])
  redis.call('HDEL', KEYS[6], ARGV[2])
end
return 1
