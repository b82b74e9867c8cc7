--[[ worker_dead_letter.lua: an event delivered too often goes to the dead stream with
  its last error, and is acknowledged so that it no longer blocks its call or tenant.
  KEYS[1]  fd:{sNNN}:t:B:lease   KEYS[2] fd:{sNNN}:t:B:events   KEYS[3] fd:{sNNN}:t:B:dead
  KEYS[4]  fd:{sNNN}:t:B:attempts
  ARGV[1]  our lease value   ARGV[2] stream entry id   ARGV[3] error text
  ARGV[4]  deliveries   ARGV[5] type   ARGV[6] eid   ARGV[7] call   ARGV[8] at   ARGV[9] body
  Returns  the dead entry id, or the error "FENCED".
  Why Lua  moving and acknowledging must be one step, or a crash could lose the event
           (acked, not moved) or dead-letter it twice.
  The dead stream keeps about the last 10,000 (MAXLEN ~): a business whose every event
  fails (a bug, a broken configuration) must not fill Redis, which would stop intake for
  every business; FrontdeskDeadLetters has alerted long before. ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED lease lost')
end
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', 'entry', ARGV[2], 'type', ARGV[5], 'eid', ARGV[6],
  'call', ARGV[7], 'at', ARGV[8], 'body', ARGV[9], 'error', ARGV[3], 'deliveries', ARGV[4])
redis.call('XACK', KEYS[2], 'workers', ARGV[2])
redis.call('HDEL', KEYS[4], ARGV[2])
return id
