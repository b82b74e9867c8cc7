--[[ booking_hold_release.lua: give back a hold that the event which took it does not
  book (a replay that decided otherwise, an event given up on), found by the note
  booking_hold.lua left in the call's state (workers/call_holds.c).
  KEYS[1]    fd:{sNNN}:t:B:lease               our lease: fencing
  KEYS[2]    fd:{sNNN}:t:B:call:<call id>      the holding call's state hash
  KEYS[3..]  fd:{sNNN}:t:B:slot:<start ms>     the slots the hold covers (from its note)
  ARGV[1]  our lease value   ARGV[2] booking id   ARGV[3] the event id
  Returns  the number of places freed: 0 when the call has no hold of that booking noted
           for that event (booked by a commit, which deletes the note, or given back
           already), or the error "FENCED" when the lease is not ours: nothing changed.
  Why Lua  the look at the note and the release must be one step, so that the places of a
           booking that a commit has made are never freed, and a stalled former owner
           frees nothing. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local field = 'hold:' .. ARGV[2]
local note = redis.call('HGET', KEYS[2], field)
if not note or string.match(note, '^%S+ %S+ %S+ (.*)$') ~= ARGV[3] then
  return 0
end
local n = 0
for k = 3, #KEYS do
  n = n + redis.call('HDEL', KEYS[k], ARGV[2])
end
redis.call('HDEL', KEYS[2], field)
return n
