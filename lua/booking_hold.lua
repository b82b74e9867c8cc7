--[[ booking_hold.lua: claim a place in every slot a booking covers, all or nothing, for
  the call whose event asks, and note the hold in that call's state until the event's
  commit books it or the worker gives it back (booking_hold_release.lua).
  KEYS[1]    fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2]    fd:{sNNN}:t:B:call:<call id>      the holding call's state hash
  KEYS[3..]  fd:{sNNN}:t:B:slot:<start ms>     one hash per slot the booking covers, in
                                               time order: booking id -> place index
  ARGV[1]  our lease value   ARGV[2] booking id   ARGV[3] capacity per slot (1..100)
  ARGV[4]  when the slot keys expire, Unix ms: a day after the booking's last slot, so
           never before a day after any slot (argument space: a booking may cover 96 slots)
  ARGV[5]  the hold's note, "<first start ms> <step ms> <slots> <event id>", kept in the
           call's hash as field hold:<booking id>
  Returns  {"held", i}: the booking has place i (0..capacity-1) in its first slot; a
           replay of the same booking id gets the places it already has, and its note is
           left as it is (a hold not booked yet keeps the note of the event that took it;
           a booking made already has none, so nothing can give its places back);
           {"full", n}: the n-th slot (1-based) has no free place: nothing was changed;
           or the error "FENCED" when the lease is not ours: nothing was changed.
  Why Lua  two callers on two workers may ask for the last place at the same moment:
           checking every slot and claiming them must be one step, so exactly one wins;
           and a place is never claimed without the note that lets the call's next owner
           book it or give it back. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local id = ARGV[2]
local capacity = tonumber(ARGV[3])
local expire_at = tonumber(ARGV[4])
local places = {}
local mine = 0
for k = 3, #KEYS do
  local held = redis.call('HGET', KEYS[k], id)
  if held then
    places[k] = tonumber(held)
    mine = mine + 1
  else
    local taken = {}
    for _, v in ipairs(redis.call('HVALS', KEYS[k])) do taken[tonumber(v)] = true end
    local free = nil
    for i = 0, capacity - 1 do
      if not taken[i] then free = i break end
    end
    if free == nil then return {'full', k - 2} end
    places[k] = free
  end
end
for k = 3, #KEYS do
  redis.call('HSET', KEYS[k], id, places[k])
  redis.call('PEXPIREAT', KEYS[k], expire_at)
end
if mine == 0 then
  redis.call('HSET', KEYS[2], 'hold:' .. id, ARGV[5])
  if redis.call('PTTL', KEYS[2]) == -1 then      -- a call's hash always expires
    redis.call('PEXPIRE', KEYS[2], 86400000)
  end
end
return {'held', places[3]}
