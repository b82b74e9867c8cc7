--[[ sms_take.lua: the next texts of one tenant to send, each checked at this moment:
  a text not to go out before a time (the missed-call text outside 8:00-21:00 in the
  business's zone) waits in sms_later until then; a caller's text to a number opted out
  of the business is dropped; a text sent at most once a day per caller (`once`) is
  dropped when one went out that day already.
  KEYS[1]  fd:{sNNN}:t:B:sms         stream: texts to send (worker_commit.lua)
  KEYS[2]  fd:{sNNN}:t:B:sms_optout  hash: opted-out number -> "<opt-out id> <ms>"
  KEYS[3]  fd:{sNNN}:t:B:sms_later   zset: a waiting text's fields (JSON array) -> when (ms)
  KEYS[4]  fd:{sNNN}:t:B:sms_once    hash: "<what>:<number>" -> "<day> <entry id>" of the
           one such text that day
  KEYS[5]  fd:{sNNN}:t:B:lease       the tenant's lease: only its owner sends
  ARGV[1]  at most this many entries   ARGV[2] now (ms, the receptionist's clock)
  ARGV[3]  our lease value
  Returns  {sendable, dropped, waiting, next due ms or 0}: sendable as XRANGE answers
           (id, {field, value, ...}); dropped a list of {entry id, to, why} deleted unsent;
           or the error "FENCED" when the lease is not ours (a former owner woken from a
           pause): nothing taken, so two workers never send the same texts.
  Why Lua  the check and the taking are one step: the commit that opts a number out
           (worker_commit.lua, with its confirmation) is either before it, and the
           text is dropped, or after it, and the text was on its way before the STOP
           was processed. Owner notices (audience owner) and the compliance answers
           themselves (audience compliance) are not checked: the owner is not the one
           who opted out, and STOP and HELP must be answered. ]]
if redis.call('GET', KEYS[5]) ~= ARGV[3] then
  return redis.error_reply('FENCED lease lost')
end
local now = tonumber(ARGV[2])
local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, m in ipairs(due) do
  redis.call('XADD', KEYS[1], '*', unpack(cjson.decode(m)))
  redis.call('ZREM', KEYS[3], m)
end
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[1]))
local sendable, dropped = {}, {}
for _, e in ipairs(entries) do
  local f = {}
  for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
  local audience = f['audience'] or 'caller'
  local not_before = tonumber(f['not_before'] or '0') or 0
  local why = nil
  if not_before > now then
    local later = {}
    for j = 1, #e[2], 2 do
      later[#later + 1] = e[2][j]
      later[#later + 1] = (e[2][j] == 'not_before') and '0' or e[2][j + 1]
    end
    redis.call('ZADD', KEYS[3], not_before, cjson.encode(later))
    redis.call('XDEL', KEYS[1], e[1])
  elseif audience == 'caller' and f['to'] and redis.call('HEXISTS', KEYS[2], f['to']) == 1 then
    why = 'opted out'
  elseif f['once'] and f['once'] ~= '' then
    local name, day = string.match(f['once'], '^(%S+) (%S+)$')
    local had = name and redis.call('HGET', KEYS[4], name)
    local had_day, had_entry = nil, nil
    if had then had_day, had_entry = string.match(had, '^(%S+) (%S+)$') end
    if name and had_day == day and had_entry ~= e[1] then
      why = 'sent once today already'
    elseif name then
      redis.call('HSET', KEYS[4], name, day .. ' ' .. e[1])
    end
  end
  if why then
    redis.call('XDEL', KEYS[1], e[1])
    dropped[#dropped + 1] = {e[1], f['to'] or '', why}
  elseif not_before <= now then
    sendable[#sendable + 1] = e
  end
end
local waiting = redis.call('ZCARD', KEYS[3])
local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
return {sendable, dropped, waiting, first[2] or '0'}
