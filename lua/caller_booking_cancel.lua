--[[ caller_booking_cancel.lua: cancel a caller's booking: mark its line cancelled (by
  whom) and give back every place it holds, in one step (lib/booking/caller_bookings.h).
  KEYS[1]    fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2]    fd:{sNNN}:t:B:caller:<E.164>      the caller's bookings
  KEYS[3..]  fd:{sNNN}:t:B:slot:<start ms>     the slots the booking covers
  ARGV[1]  our lease value   ARGV[2] booking id   ARGV[3] its line marked cancelled
  Returns  the number of places freed (0 on a replay, which changes nothing), -1 when
           the caller has no such booking, or the error "FENCED": nothing was changed.
  Why Lua  the mark and the release must go together: a replayed event finds the
           booking it cancelled (by the mark) and writes the same cancellation record,
           and no place is freed for a booking that still looks booked. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then
  return -1
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
local n = 0
for k = 3, #KEYS do
  n = n + redis.call('HDEL', KEYS[k], ARGV[2])
end
return n
