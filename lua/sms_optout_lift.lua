--[[ sms_optout_lift.lua: an operator lifts a number's opt-out, the one they looked at.
  KEYS[1]  fd:{sNNN}:t:B:sms_optout  hash: opted-out number -> "<opt-out id> <ms>"
  ARGV[1]  the number   ARGV[2] the value read before the lift was recorded
  Returns  1 lifted, 0 the number's opt-out is another by now (or none).
  Why Lua  the compare and the delete are one step: a STOP the number texts after the
           operator looked is a new opt-out, and must stand. ]]
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
