--[[ caller_booking_add.lua: remember a booking under the number of the caller who made
  it, so that the caller can later cancel or move it by phone (lib/booking/caller_bookings.h).
  KEYS[1]  fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2]  fd:{sNNN}:t:B:caller:<E.164>      booking id -> its line (see the header)
  ARGV[1]  our lease value   ARGV[2] booking id   ARGV[3] the booking's line
  ARGV[4]  when the key may expire, Unix ms (a day after the booking ends); the key
           keeps the later of this and the expiry it has
  Returns  1 when added, 0 when the booking was there already (a replayed event: its
           line, perhaps marked cancelled since, is left as it is), or the error
           "FENCED" when the lease is not ours: nothing was changed.
  Why Lua  fenced like the hold it follows: a stalled former owner writes nothing. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local added = redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3])
local expire_at = tonumber(ARGV[4])
local ttl = redis.call('PTTL', KEYS[2])
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if ttl < 0 or now_ms + ttl < expire_at then
  redis.call('PEXPIREAT', KEYS[2], expire_at)
end
return added
