--[[ worker_read.lua: read a tenant's stream, only while we hold its lease.
  KEYS[1]  fd:{sNNN}:t:B:lease   KEYS[2] fd:{sNNN}:t:B:events
  ARGV[1]  our lease value   ARGV[2] count   ARGV[3] ">" for new entries, or an id to
           replay our consumer's pending entries after it
  Returns  XREADGROUP's reply, or the error "FENCED" when the lease is not ours.
  Why Lua  every worker reads a tenant as the same consumer, so that a new owner finds
           the old one's pending entries; a stale owner that woke up must not read, or
           the entries it takes would sit pending where the new owner no longer looks. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
return redis.call('XREADGROUP', 'GROUP', 'workers', 'owner', 'COUNT', tonumber(ARGV[2]),
  'STREAMS', KEYS[2], ARGV[3])
