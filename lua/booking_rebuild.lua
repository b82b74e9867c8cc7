--[[ booking_rebuild.lua: put back a booked booking's places after a Redis loss
  (`frontdesk-ctl bookings rebuild`, ops/ctl/bookings_rebuild.c), as booking_hold.lua
  left them, without a call's hold note (the booking is made: nothing gives it back).
  KEYS[1]    fd:{sNNN}:t:B:lease               the rebuild's own lease: fencing
  KEYS[2..]  fd:{sNNN}:t:B:slot:<start ms>     slots of the booking, in time order
  ARGV[1]  the rebuild's lease value   ARGV[2] booking id
  ARGV[3]  the place wanted in KEYS[2] (bookings.slot_index), or -1 for the first free
           one; the other keys always get the first free place, as booking_hold.lua does
  ARGV[4]  when the slot keys expire, Unix ms; a key keeps the later of this and its own
  Returns  {added, place}: how many of the slots it was missing from (0 when all were
           there: nothing changed), and its place in KEYS[2] (as it was, as wanted, or the
           first free one when another booking has the wanted place); places go up to 99
           (the schema's bound), never refused: the booking exists in PostgreSQL;
           or the error "FENCED" when the lease is not the rebuild's: nothing changed.
  Why Lua  fenced like every writer of the slots, and each slot's check and write one
           step, so a place is never given to two bookings. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local id = ARGV[2]
local want = tonumber(ARGV[3])
local expire_at = tonumber(ARGV[4])
local added = 0
local first = -1
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for k = 2, #KEYS do
  local place = redis.call('HGET', KEYS[k], id)
  if place then
    place = tonumber(place)
  else
    local taken = {}
    for _, v in ipairs(redis.call('HVALS', KEYS[k])) do taken[tonumber(v)] = true end
    if k == 2 and want >= 0 and not taken[want] then
      place = want
    else
      for i = 0, 99 do
        if not taken[i] then place = i break end
      end
    end
    if place == nil then place = 100 end          -- a hundred bookings in one slot
    redis.call('HSET', KEYS[k], id, place)
    added = added + 1
  end
  local ttl = redis.call('PTTL', KEYS[k])
  if ttl < 0 or now_ms + ttl < expire_at then
    redis.call('PEXPIREAT', KEYS[k], expire_at)
  end
  if k == 2 then first = place end
end
return {added, first}
