--[[ worker_count_delivery.lua: counts one more delivery of a replayed event, for its
  owner only.
  KEYS[1]  fd:{sNNN}:t:B:lease   KEYS[2] fd:{sNNN}:t:B:attempts
  ARGV[1]  our lease value   ARGV[2] stream entry id
  Returns  the replays counted so far, this one included, or the error "FENCED".
  Why Lua  a worker woken after its lease moved (SIGSTOP, a long pause) replays what it
           had in hand before it learns the lease is gone; its count must not land, or
           the business's new owner sees deliveries that never happened and dead-letters
           an event early. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
return redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
