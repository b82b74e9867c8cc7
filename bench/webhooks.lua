--[[ bench/webhooks.lua: wrk script that POSTs pre-signed Telnyx webhooks, each once.
  Usage: wrk ... -s bench/webhooks.lua URL -- FILE FIRST COUNT
  FILE     lines "timestamp<TAB>signature<TAB>body" (frontdesk-ctl webhook sign --count)
  FIRST    0-based index of the first line this run may use; COUNT how many lines
  Each wrk thread takes its own slice (every n-th line of the range), so event ids
  never repeat across threads. A thread that uses up its slice starts it again and
  counts a wrap: repeated ids are answered as duplicates, so run-bench.sh refuses a
  run with wraps. Requests are formatted once in init so wrk spends its CPU sending.
  done() prints one machine-readable line starting with "BENCH". ]]

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
  for _, t in ipairs(threads) do
    t:set("nthreads", #threads)
  end
end

local requests_ = {}
local next_ = 1
wraps = 0

function init(args)
  local file, first, count = args[1], tonumber(args[2] or "0"), tonumber(args[3] or "0")
  local f = assert(io.open(file, "r"), "cannot open " .. tostring(file))
  local n = nthreads or 1
  local me = id or 0
  local i = 0
  for line in f:lines() do
    if i >= first and (count == 0 or i < first + count) and (i - first) % n == me then
      local ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      if ts then
        requests_[#requests_ + 1] = wrk.format("POST", "/webhooks/telnyx", {
          ["Content-Type"] = "application/json",
          ["telnyx-timestamp"] = ts,
          ["telnyx-signature-ed25519"] = sig,
        }, body)
      end
    end
    i = i + 1
  end
  f:close()
  assert(#requests_ > 0, "no webhooks in " .. file .. " for this thread")
end

function request()
  local r = requests_[next_]
  next_ = next_ + 1
  if next_ > #requests_ then
    next_ = 1
    wraps = wraps + 1
  end
  return r
end

function done(summary, latency, requests)
  local wrapped = 0
  for _, t in ipairs(threads) do
    wrapped = wrapped + (tonumber(t:get("wraps")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d http_errors=%d connect_errors=%d read_errors=%d " ..
    "write_errors=%d timeouts=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d wraps=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, wrapped))
end
