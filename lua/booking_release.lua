--[[ booking_release.lua: give back the places a booking holds (a cancellation, or a
  hold the caller did not confirm). Idempotent: slots it does not hold are left alone.
  KEYS[1]    fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2..]  fd:{sNNN}:t:B:slot:<start ms>     the slots the booking covers
  ARGV[1]  our lease value   ARGV[2] booking id
  Returns  how many slots it held (0 when there was nothing to release), or the error
           "FENCED" when the lease is not ours: nothing was changed.
  Why Lua  fenced: a stalled former owner must not free a place the new owner sold. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local n = 0
for k = 2, #KEYS do
  n = n + redis.call('HDEL', KEYS[k], ARGV[2])
end
return n
