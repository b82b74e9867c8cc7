--[[ booking_hold.lua: claim a place in every slot a booking covers, all or nothing.
  KEYS[1]    fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2..]  fd:{sNNN}:t:B:slot:<start ms>     one hash per slot the booking covers, in
                                               time order: booking id -> place index
  ARGV[1]  our lease value   ARGV[2] booking id   ARGV[3] capacity per slot (1..100)
  ARGV[4]  when the slot keys expire, Unix ms: a day after the booking's last slot, so
           never before a day after any slot (argument space: a booking may cover 96 slots)
  Returns  {"held", i}: the booking has place i (0..capacity-1) in its first slot; a
           replay of the same booking id gets the places it already has;
           {"full", n}: the n-th slot (1-based) has no free place: nothing was changed;
           or the error "FENCED" when the lease is not ours: nothing was changed.
  Why Lua  two callers on two workers may ask for the last place at the same moment:
           checking every slot and claiming them must be one step, so exactly one wins. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local id = ARGV[2]
local capacity = tonumber(ARGV[3])
local expire_at = tonumber(ARGV[4])
local places = {}
for k = 2, #KEYS do
  local mine = redis.call('HGET', KEYS[k], id)
  if mine then
    places[k] = tonumber(mine)
  else
    local taken = {}
    for _, v in ipairs(redis.call('HVALS', KEYS[k])) do taken[tonumber(v)] = true end
    local free = nil
    for i = 0, capacity - 1 do
      if not taken[i] then free = i break end
    end
    if free == nil then return {'full', k - 1} end
    places[k] = free
  end
end
for k = 2, #KEYS do
  redis.call('HSET', KEYS[k], id, places[k])
  redis.call('PEXPIREAT', KEYS[k], expire_at)
end
return {'held', places[2]}
