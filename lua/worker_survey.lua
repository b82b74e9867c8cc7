--[[ worker_survey.lua: one shard's load, for the fair share and the backlog gauges.
  KEYS[1]  fd:{sNNN}:owned   KEYS[2] fd:{sNNN}:ready
  Returns  {owned tenants, ready tenants, score (ms) of the oldest ready tenant or 0}
  Why Lua  three reads of one shard in one round trip. ]]
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local score = 0
if #oldest == 2 then score = math.floor(tonumber(oldest[2])) end
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), score}
