--[[ bench/web_get.lua: wrk script for bench/run-web-bench.sh: GETs of the URL wrk is
  given, as a signed-in owner when a token is passed, and one machine-readable line.
  Usage: wrk ... -s bench/web_get.lua URL [-- TOKEN]
  TOKEN    a session token, sent as "Authorization: Bearer TOKEN"; none: no header
  The request is formatted once in init so wrk spends its CPU sending. done() prints one
  line starting with "BENCH": counts, failures (http_errors: answers of status 400 or
  more) and latency percentiles in µs. ]]

local request_

function init(args)
  local headers = {}
  if args[1] ~= nil and args[1] ~= "" then
    headers["Authorization"] = "Bearer " .. args[1]
  end
  request_ = wrk.format("GET", nil, headers)
end

function request()
  return request_
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d http_errors=%d connect_errors=%d read_errors=%d " ..
    "write_errors=%d timeouts=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
