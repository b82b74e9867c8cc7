--[[ llm_calls_keep.lua: keeps the tool calls of one model answer before they run, so a
  replay of the event runs the same calls (workers/llm_turns.c). First writer wins.
  KEYS[1]  fd:{sNNN}:t:B:llmcalls:<uuid of the call, the event and the tool round>
  ARGV[1]  the calls (lib/llm/llm_history.h's assistant message, compact JSON)
  ARGV[2]  time to live, ms
  Returns  false (nil) when ARGV[1] is kept now, else the calls an earlier attempt kept.
  Not fenced: whichever attempt keeps its calls first, every later one runs those, and
           a stale owner's tools are refused by their own fenced scripts anyway.
  Why Lua  read-or-write in one step; SET NX GET does it only from Redis 7.0. ]]
local kept = redis.call('GET', KEYS[1])
if kept then
  return kept
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
