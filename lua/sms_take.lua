--[[ sms_take.lua: the next texts of one tenant to send, each checked against the
  business's opt-outs at this moment; a caller's text to an opted-out number is
  dropped here and never sent.
  KEYS[1]  fd:{sNNN}:t:B:sms         stream: texts to send (worker_commit.lua)
  KEYS[2]  fd:{sNNN}:t:B:sms_optout  hash: opted-out number -> "<opt-out id> <ms>"
  ARGV[1]  at most this many entries
  Returns  {sendable, dropped}: sendable as XRANGE answers (id, {field, value, ...}),
           dropped a list of {entry id, to, text, conversation, kind} deleted unsent.
  Why Lua  the check and the taking are one step: the commit that opts a number out
           (worker_commit.lua, with its confirmation) is either before it, and the
           text is dropped, or after it, and the text was on its way before the STOP
           was processed. Owner notices (audience owner) and the compliance answers
           themselves (audience compliance) are not checked: the owner is not the one
           who opted out, and STOP and HELP must be answered. ]]
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[1]))
local sendable, dropped = {}, {}
for _, e in ipairs(entries) do
  local f = {}
  for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
  local audience = f['audience'] or 'caller'
  if audience == 'caller' and f['to'] and redis.call('HEXISTS', KEYS[2], f['to']) == 1 then
    redis.call('XDEL', KEYS[1], e[1])
    dropped[#dropped + 1] = {e[1], f['to'], f['text'] or '', f['conversation'] or '', f['kind'] or ''}
  else
    sendable[#sendable + 1] = e
  end
end
return {sendable, dropped}
