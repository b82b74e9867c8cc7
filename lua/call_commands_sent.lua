--[[ call_commands_sent.lua: every Telnyx command a call's state held has been sent:
  clear the list (workers/call_commands.c), unless a commit has replaced it since.
  KEYS[1]  fd:{sNNN}:t:B:lease      our lease: fencing
  KEYS[2]  fd:{sNNN}:t:B:call:<id>  the call's state hash
  KEYS[3]  fd:{sNNN}:t:B:timers     zset: call id -> next timer (epoch ms)
  ARGV[1]  our lease value   ARGV[2] the `commands` field as the worker last saw it
  ARGV[3]  call id
  Returns  1 cleared, 0 the field had changed (a later commit wrote it: left alone), or
           the error "FENCED" when the lease is not ours.
  Why Lua  compare and delete in one step, fenced: a commit between the two would have its
           commands deleted unsent. The call leaves the timers zset with its list unless a
           timer of its own is due. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
if redis.call('HGET', KEYS[2], 'commands') ~= ARGV[2] then
  return 0
end
redis.call('HDEL', KEYS[2], 'commands')
local due = tonumber(redis.call('HGET', KEYS[2], 'timer_due_ms') or '0') or 0
if due <= 0 then
  redis.call('ZREM', KEYS[3], ARGV[3])
end
return 1
