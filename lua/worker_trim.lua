--[[ worker_trim.lua: drop a tenant's processed events older than an hour.
  KEYS[1]  fd:{sNNN}:t:B:events   stream, group "workers"
  ARGV[1]  keep (ms): nothing younger than this is removed (3600000)
  Returns  the number of entries removed.
  Why Lua  the cut must be computed and applied in one step: below the oldest pending
           entry, below the first undelivered one, and older than ARGV[1] — XTRIM MINID,
           never MAXLEN, so an event not yet handled is never lost. ]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function older(a_ms, a_seq, b_ms, b_seq)
  return a_ms < b_ms or (a_ms == b_ms and a_seq < b_seq)
end
local t = redis.call('TIME')
local cut_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
local cut_seq = 0
local found = false
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  if f['name'] == 'workers' then
    found = true
    local ms, seq = parse(f['last-delivered-id'])
    if older(ms, seq, cut_ms, cut_seq) then cut_ms, cut_seq = ms, seq end
  end
end
if not found then
  return 0   -- nobody has read it yet: keep everything
end
local pending = redis.call('XPENDING', KEYS[1], 'workers')
if tonumber(pending[1]) > 0 then
  local ms, seq = parse(pending[2])
  if older(ms, seq, cut_ms, cut_seq) then cut_ms, cut_seq = ms, seq end
end
return redis.call('XTRIM', KEYS[1], 'MINID', cut_ms .. '-' .. cut_seq)
