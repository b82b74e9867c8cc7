--[[ booking_counts.lua: how many places are taken in each of a list of slots, for
  check_availability and the "nearest free times" offer.
  KEYS[1]    fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2..]  fd:{sNNN}:t:B:slot:<start ms>     the slots asked about
  ARGV[1]  our lease value
  Returns  one integer per slot key, in order; or the error "FENCED" when the lease is
           not ours.
  Why Lua  one round trip for a day's slots, and fenced like every tenant script: a
           stalled former owner learns it lost the tenant instead of offering times.
           The answer is advice only: booking_hold.lua checks again when it claims. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local counts = {}
for k = 2, #KEYS do
  counts[k - 1] = redis.call('HLEN', KEYS[k])
end
return counts
