#!/usr/bin/env bash
# bench/run-bench.sh: `make bench`. Measures frontdesk-api against two floors taken in
# the same run, and prints a summary with the ratios to them:
#   1. the CPU of one Ed25519 verification (build/bench/verify_floor, one core);
#   2. a bare libevent evhttp server that answers 200 (build/bench/bare_server),
#      driven by wrk exactly like the api;
#   3. frontdesk-api (bin/, release build) on a private Redis and PostgreSQL, with
#      pre-signed unique call.initiated webhooks to one business: peak req/s and
#      latency (wrk, closed loop), CPU per accepted webhook from /proc/PID/stat,
#      memory from /proc/PID/status, stream length checked against the 2xx count;
#   4. p50/p90/p99/p99.9 at 25, 50 and 75 % of the peak rate (build/bench/paced_load,
#      open loop: wrk has no rate limit and wrk2 is not in Debian 12), each next to the
#      bare server paced at the same rate: the floor of the machine and the generator;
#   5. two api processes on one port (SO_REUSEPORT) and the same Redis.
# Everything runs in a temp folder on free loopback ports; what it starts is stopped by
# PID on exit. About 2 minutes. The webhooks are signed before the api starts, so the
# bench sets FRONTDESK_WEBHOOK_TOLERANCE_S=3600 (production default: 300).
# Knobs (environment): BENCH_SECONDS (10), BENCH_CONNS (32), BENCH_KEEP=1 keeps the
# temp folder (logs, the signed file) for a look afterwards, BENCH_PERF=1 records the
# api with perf during the peak phase into perf.data and perf-top.txt (perf's own
# overhead then inflates that run's figures).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${BENCH_SECONDS:-10}
conns=${BENCH_CONNS:-32}
number=+13125550100
bb=$root/build/bench
ctl=$root/bin/frontdesk-ctl
api_bin=$root/bin/frontdesk-api
hz=$(getconf CLK_TCK)

for f in "$api_bin" "$ctl" "$bb/verify_floor" "$bb/bare_server" "$bb/paced_load"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make bench'" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (ops/install-deps.sh installs it)" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_open_work frontdesk-bench 0

# utime+stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat, counted
# after the ")" that ends the command name).
cpu_ticks() {
  awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"
}

# Sum of a counter over the api's /metrics lines that match a pattern.
metric_sum() {  # metric_sum FILE REGEX
  awk -v re="$2" '$0 !~ /^#/ && $0 ~ re { s += $NF } END { printf "%d\n", s }' "$1"
}

run_wrk() {  # run_wrk PORT FIRST COUNT OUTFILE: one closed-loop wrk run of the webhooks
  wrk -t1 -c"$conns" -d"${seconds}s" --latency -s bench/webhooks.lua \
    "http://127.0.0.1:$1/webhooks/telnyx" -- "$work/signed.txt" "$2" "$3" > "$4" 2>&1 ||
    fail "wrk failed: $(tail -n 5 "$4")"
  grep '^BENCH ' "$4" || fail "wrk printed no BENCH line: $(tail -n 5 "$4")"
}

sign_webhooks() {  # sign_webhooks N: appends N signed webhooks to signed.txt, 2 signers
  local n=$1 half=$(( ($1 + 1) / 2 ))
  "$ctl" webhook sign --key "$work/signing.key" --type call.initiated --to "$number" \
    --count "$half" --out "$work/sign.a" &
  local a=$!
  "$ctl" webhook sign --key "$work/signing.key" --type call.initiated --to "$number" \
    --count $(( n - half )) --out "$work/sign.b" &
  local b=$!
  wait "$a" || fail "frontdesk-ctl webhook sign failed"
  wait "$b" || fail "frontdesk-ctl webhook sign failed"
  cat "$work/sign.a" "$work/sign.b" >> "$work/signed.txt"
  rm -f "$work/sign.a" "$work/sign.b"
  signed_lines=$(( signed_lines + n ))
}

start_api() {  # start_api LOGFILE: one more api process on $api_port; sets api_pid
  "$api_bin" 2>>"$1" &
  api_pid=$!
  started+=("$api_pid")
}

warn_if_busy

# --- 1. the verification floor, on a quiet machine --------------------------------
say "verify floor"
"$ctl" webhook keygen --out "$work/signing.key" > "$work/public.key"
"$ctl" webhook sign --key "$work/signing.key" --type call.initiated --to "$number" \
  --count 1 --out "$work/probe.txt"
msg_bytes=$(awk -F'\t' '{ print length($1) + 1 + length($3) }' "$work/probe.txt")
floor_out=$("$bb/verify_floor" 2 "$msg_bytes" 1024)
echo "$floor_out" >&2
verify_us=$(echo "$floor_out" | awk -v b="$msg_bytes" '$2 == "bytes=" b { split($4, f, "="); print f[2] }')
verify_1k_us=$(echo "$floor_out" | awk '$2 == "bytes=1024" { split($4, f, "="); print f[2] }')

# --- set-up: services, schema, one business, signed webhooks ------------------------
say "private Redis and PostgreSQL in $work/services"
start_services
business=$("$ctl" tenant create --name "Bench Dental" --number "$number")
export FRONTDESK_TELNYX_PUBLIC_KEY
FRONTDESK_TELNYX_PUBLIC_KEY=$(cat "$work/public.key")
export FRONTDESK_WEBHOOK_TOLERANCE_S=3600
api_port=$(free_port)
export FRONTDESK_LISTEN=127.0.0.1:$api_port
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }

# Redis's own record of its fsyncs in a phase: its latency monitor keeps, for each second
# in which an fsync of appendfsync always took 1 ms or more, the worst one
# ("aof-fsync-always"). The webhooks whose XADD that fsync carried waited for it, so it
# is a floor under the api's tail that no change to the api can lower.
fsync_watch_start() {
  rcli CONFIG SET latency-monitor-threshold 1 >/dev/null
  rcli LATENCY RESET >/dev/null
  fsync_watch_since=$(date +%s)
}
fsync_watch_stop() {  # prints "seconds=N over5=N worst_ms=N", N seconds the phase lasted
  rcli LATENCY HISTORY aof-fsync-always | awk -v n=$(( $(date +%s) - fsync_watch_since + 1 )) '
    NR % 2 == 0 { if ($1 >= 5) over++; if ($1 > worst) worst = $1 }
    END { printf "seconds=%d over5=%d worst_ms=%d\n", n, over, worst }'
  rcli CONFIG SET latency-monitor-threshold 0 >/dev/null
}
# The benchmark writes ~100k events in a minute; Redis's automatic AOF rewrites (a fork
# and a full copy to disk each time the file doubles) would land in the measured phases.
# Production schedules rewrites with its own thresholds; here they are off, and the
# summary counts any that happened anyway.
rcli CONFIG SET auto-aof-rewrite-percentage 0 >/dev/null

# The peak phase needs up to (peak rate x seconds) unique webhooks; later phases get
# theirs signed once the peak is known.
peak_lines=${BENCH_PEAK_LINES:-$(( 30000 * seconds ))}
signed_lines=0
: > "$work/signed.txt"
say "signing $peak_lines webhooks"
sign_webhooks "$peak_lines"

# --- 2. the bare libevent floor ------------------------------------------------------
say "bare libevent server, wrk -t1 -c$conns -d${seconds}s"
bare_port=$(free_port)
"$bb/bare_server" 127.0.0.1 "$bare_port" &
bare_pid=$!
started+=("$bare_pid")
wait_http "http://127.0.0.1:$bare_port/"
t0=$(cpu_ticks "$bare_pid")
bare_line=$(run_wrk "$bare_port" 0 "$peak_lines" "$work/wrk-bare.txt")
t1=$(cpu_ticks "$bare_pid")
stop_pid "$bare_pid"
echo "$bare_line" >&2
bare_reqs=$(field requests "$bare_line")
bare_rps=$(awk -v n="$bare_reqs" -v d="$(field duration_us "$bare_line")" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
bare_us=$(awk -v t=$(( t1 - t0 )) -v hz="$hz" -v n="$bare_reqs" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')

# --- 3. one api process at its peak ----------------------------------------------------
say "frontdesk-api, 1 process, wrk -t1 -c$conns -d${seconds}s"
start_api "$work/api1.log"
api1=$api_pid
wait_http "http://127.0.0.1:$api_port/readyz"
stream=$(rcli --scan --pattern "fd:*:t:$business:events" | head -n 1)
xlen() { if [ -n "$stream" ]; then rcli XLEN "$stream"; else echo 0; fi; }
curl -s "http://127.0.0.1:$api_port/metrics" > "$work/metrics0.txt"
x0=$(xlen)
t0=$(cpu_ticks "$api1")
r0=$(cpu_ticks "$REDIS_PID")
if [ "${BENCH_PERF:-0}" = 1 ]; then
  perf record -q -e cpu-clock -F 999 -g -p "$api1" -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null &
  perf_pid=$!
  started+=("$perf_pid")
fi
peak_line=$(run_wrk "$api_port" 0 "$peak_lines" "$work/wrk-api1.txt")
t1=$(cpu_ticks "$api1")
if [ "${BENCH_PERF:-0}" = 1 ]; then
  wait "$perf_pid" || true
  stop_pid "$perf_pid"
  perf report -i "$work/perf.data" --no-children --percent-limit 1.5 --stdio 2>/dev/null |
    grep -E '^ +[0-9.]+%' > "$work/perf-top.txt" || true
fi
r1=$(cpu_ticks "$REDIS_PID")
curl -s "http://127.0.0.1:$api_port/metrics" > "$work/metrics1.txt"
echo "$peak_line" >&2
[ -n "$stream" ] || stream=$(rcli --scan --pattern "fd:*:t:$business:events" | head -n 1)
[ -n "$stream" ] || fail "no stream fd:*:t:$business:events after the run: nothing was accepted"
x1=$(xlen)
rss_kib=$(status_kib "$api1" VmRSS)
hwm_kib=$(status_kib "$api1" VmHWM)

[ "$(field wraps "$peak_line")" = 0 ] ||
  fail "wrk used up the $peak_lines signed webhooks and repeated ids; set BENCH_PEAK_LINES higher"
ok0=$(metric_sum "$work/metrics0.txt" 'requests_total\{route="webhook_telnyx",status="2')
ok1=$(metric_sum "$work/metrics1.txt" 'requests_total\{route="webhook_telnyx",status="2')
all0=$(metric_sum "$work/metrics0.txt" 'requests_total\{route="webhook_telnyx"')
all1=$(metric_sum "$work/metrics1.txt" 'requests_total\{route="webhook_telnyx"')
accepted=$(( ok1 - ok0 ))
rejected=$(( all1 - all0 - accepted ))
entries=$(( x1 - x0 ))
[ "$accepted" -gt 0 ] || fail "the api answered no webhook with 2xx (see $work/api1.log)"
if [ "$rejected" -gt 5 ]; then
  grep 'requests_total{route="webhook_telnyx"' "$work/metrics1.txt" >&2
  fail "$rejected webhooks were not answered 2xx: this would measure errors, not webhooks"
fi
[ "$entries" = "$accepted" ] ||
  fail "the stream grew by $entries entries but the api accepted $accepted webhooks"
peak_reqs=$(field requests "$peak_line")
peak_rps=$(awk -v n="$peak_reqs" -v d="$(field duration_us "$peak_line")" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
api_us=$(awk -v t=$(( t1 - t0 )) -v hz="$hz" -v n="$accepted" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
redis_us=$(awk -v t=$(( r1 - r0 )) -v hz="$hz" -v n="$accepted" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
used=$peak_lines

# --- 4. latency at 25, 50 and 75 % of the peak rate, open loop ----------------------
# Each rate is also sent to the bare libevent server, the floor of this machine and of
# the load generator: what the api adds is the difference.
paced_lines=0
for pct in 25 50 75; do paced_lines=$(( paced_lines + peak_rps * pct / 100 * seconds + 1000 )); done
scale_lines=$(( peak_rps * seconds * 3 ))   # room for 2 processes to be faster
say "signing $(( paced_lines + scale_lines )) more webhooks"
sign_webhooks $(( paced_lines + scale_lines ))
bare_port=$(free_port)
"$bb/bare_server" 127.0.0.1 "$bare_port" &
bare_pid=$!
started+=("$bare_pid")
wait_http "http://127.0.0.1:$bare_port/"
paced_ok=0
paced_entries=0
paced_report=""
stall_report=""
for pct in 25 50 75; do
  rate=$(( peak_rps * pct / 100 ))
  lines=$(( rate * seconds + 1000 ))
  say "frontdesk-api, 1 process, paced at $rate req/s ($pct % of peak) for ${seconds}s"
  x0=$(xlen)
  fsync_watch_start
  line=$("$bb/paced_load" 127.0.0.1 "$api_port" "$work/signed.txt" "$used" "$lines" \
    "$rate" "$seconds" 64) || fail "paced_load failed"
  echo "$line" >&2
  stalls=$(fsync_watch_stop)
  echo "redis fsync: $stalls" >&2
  used=$(( used + lines ))
  ok=$(field ok "$line")
  bad=$(( $(field not_ok "$line") + $(field errors "$line") + $(field unanswered "$line") ))
  [ "$bad" -le 5 ] || fail "$bad paced requests failed or were not answered 2xx"
  grown=$(( $(xlen) - x0 ))
  [ "$grown" = "$ok" ] || fail "paced: the stream grew by $grown entries for $ok 2xx answers"
  paced_ok=$(( paced_ok + ok ))
  paced_entries=$(( paced_entries + grown ))
  say "bare libevent server, paced at $rate req/s"
  floor=$("$bb/paced_load" 127.0.0.1 "$bare_port" "$work/signed.txt" 0 "$lines" "$rate" "$seconds" 64) ||
    fail "paced_load failed on the bare server"
  echo "$floor" >&2
  paced_report+=$(printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s;' "$pct" "$rate" \
    "$(field p50_us "$line")" "$(field p90_us "$line")" "$(field p99_us "$line")" "$(field p999_us "$line")" \
    "$(field p50_us "$floor")" "$(field p90_us "$floor")" "$(field p99_us "$floor")" "$(field p999_us "$floor")")
  stall_report+=$(printf '%s|%s|%s|%s;' "$pct" "$(field over5 "$stalls")" "$(field seconds "$stalls")" "$(field worst_ms "$stalls")")
  if [ "$pct" = 50 ]; then
    hp50=$(field p50_us "$line")
    hp99=$(field p99_us "$line")
    half_rate=$rate
  fi
done
stop_pid "$bare_pid"
# The same 50 % with Redis not waiting for the disk (appendfsync everysec: not what
# production runs, an acknowledged event could be lost): what is left is the api's own.
rate=$half_rate
lines=$(( rate * seconds + 1000 ))
say "frontdesk-api, paced at $rate req/s with appendfsync everysec (to measure the fsync's share)"
rcli CONFIG SET appendfsync everysec >/dev/null
nofsync=$("$bb/paced_load" 127.0.0.1 "$api_port" "$work/signed.txt" "$used" "$lines" "$rate" "$seconds" 64) ||
  fail "paced_load failed"
rcli CONFIG SET appendfsync always >/dev/null
echo "$nofsync" >&2
used=$(( used + lines ))
nofsync_report=$(printf '%s|%s|%s|%s' "$(field p50_us "$nofsync")" "$(field p90_us "$nofsync")" \
  "$(field p99_us "$nofsync")" "$(field p999_us "$nofsync")")

# --- 5. two api processes on the same port and Redis ---------------------------------
say "frontdesk-api, 2 processes (SO_REUSEPORT), wrk -t1 -c$conns -d${seconds}s"
start_api "$work/api2.log"
api2=$api_pid
# Each new connection lands on either process, so 20 ready answers in a row make it
# very likely that the second one is connected to Redis too.
sleep 0.5
for _ in $(seq 20); do wait_http "http://127.0.0.1:$api_port/readyz"; done
x0=$(xlen)
a0=$(( $(cpu_ticks "$api1") + $(cpu_ticks "$api2") ))
scale_line=$(run_wrk "$api_port" "$used" "$scale_lines" "$work/wrk-api2.txt")
a1=$(( $(cpu_ticks "$api1") + $(cpu_ticks "$api2") ))
echo "$scale_line" >&2
[ "$(field wraps "$scale_line")" = 0 ] || fail "2 processes used up the signed webhooks"
scale_reqs=$(field requests "$scale_line")
scale_bad=$(( $(field http_errors "$scale_line") + $(field read_errors "$scale_line") +
              $(field write_errors "$scale_line") + $(field timeouts "$scale_line") ))
[ "$scale_bad" -le 5 ] || fail "2 processes: $scale_bad requests failed or were not answered 2xx"
scale_entries=$(( $(xlen) - x0 ))
# wrk does not count the requests still in flight when it stops, the api does: at most
# one per connection.
[ "$scale_entries" -ge $(( scale_reqs - scale_bad )) ] &&
  [ "$scale_entries" -le $(( scale_reqs + conns )) ] ||
  fail "2 processes: the stream grew by $scale_entries entries for $scale_reqs answers"
scale_rps=$(awk -v n="$scale_reqs" -v d="$(field duration_us "$scale_line")" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
scale_us=$(awk -v t=$(( a1 - a0 )) -v hz="$hz" -v n="$scale_entries" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
stop_pid "$api2"
stop_pid "$api1"
grep -h '"level":"error"' "$work/api1.log" "$work/api2.log" | head -n 3 >&2 || true

# --- 6. the durability floor: one Redis write that waits for its fsync ------------------
# Every accepted webhook waits for one (appendfsync always, docs/design.md); on a busy or
# slow disk this, not the api, sets the latency floor. Measured on the same Redis.
say "redis-server alone: XADD with appendfsync always, redis-benchmark -c 8"
fsync_line=$(redis-benchmark -p "$REDIS_PORT" -n 20000 -c 8 --csv XADD fd:bench:fsync '*' f v 2>/dev/null | tail -n 1)
echo "$fsync_line" >&2
fsync_p50=$(echo "$fsync_line" | awk -F'","' '{ print $5 }')
fsync_p99=$(echo "$fsync_line" | awk -F'","' '{ print $7 }')
rcli DEL fd:bench:fsync >/dev/null
# Redis rewrites its AOF (a fork and a disk-heavy copy) as the streams grow: a rewrite
# during a phase shows as latency spikes, so the summary says how many there were.
aof_rewrites=$(rcli INFO persistence | tr -d '\r' | awk -F: '$1 == "aof_rewrites" { print $2 }')

# --- summary ----------------------------------------------------------------------------
awk -v verify="$verify_us" -v verify1k="$verify_1k_us" -v bytes="$msg_bytes" \
    -v bare_us="$bare_us" -v bare_rps="$bare_rps" -v api_us="$api_us" -v redis_us="$redis_us" \
    -v peak_rps="$peak_rps" -v scale_rps="$scale_rps" -v scale_us="$scale_us" \
    -v p50="$(field p50_us "$peak_line")" -v p99="$(field p99_us "$peak_line")" \
    -v half="$half_rate" -v hp50="$hp50" -v hp99="$hp99" -v paced="$paced_report" -v nofsync="$nofsync_report" \
    -v rss="$rss_kib" -v hwm="$hwm_kib" -v entries="$entries" -v accepted="$accepted" \
    -v paced_entries="$paced_entries" -v paced_ok="$paced_ok" -v ncpu="$(nproc)" -v conns="$conns" \
    -v stalls="$stall_report" -v busy="$busy_before" -v fsync_p50="${fsync_p50:-0}" -v fsync_p99="${fsync_p99:-0}" -v rewrites="${aof_rewrites:-0}" '
function k(x) { return x >= 1000 ? sprintf("%.1fk", x / 1000) : sprintf("%d", x) }
BEGIN {
  printf "\n"
  printf "verify floor        : %.1f µs CPU per Ed25519 verification (libsodium, 1 core, %d-byte message; %.1f µs at 1 KiB)\n", verify, bytes, verify1k
  printf "bare libevent       : %.1f µs CPU/request, %s req/s (wrk -t1 -c%d)\n", bare_us, k(bare_rps), conns
  printf "frontdesk-api       : %.1f µs CPU/webhook = %.2f x verify (goal <= 1.5 x), %.2f x (verify + bare)\n", api_us, api_us / verify, api_us / (verify + bare_us)
  printf "redis-server        : %.1f µs CPU/webhook (not counted above)\n", redis_us
  printf "throughput          : %s webhooks/s (1 process), %s/s (2 processes) = %.2f x; %.1f µs CPU/webhook with 2\n", k(peak_rps), k(scale_rps), scale_rps / peak_rps, scale_us
  printf "latency at peak     : p50 %.1f ms, p99 %.1f ms (wrk -t1 -c%d, closed loop)\n", p50 / 1000, p99 / 1000, conns
  printf "latency at half peak: p50 %.1f ms, p99 %.1f ms at %s req/s (goal p99 < 5 ms)\n", hp50 / 1000, hp99 / 1000, k(half)
  n = split(paced, rows, ";")
  for (i = 1; i < n; i++) {
    split(rows[i], f, "|")
    printf "  at %2d %% of peak   : %5s req/s: p50 %5.1f, p90 %5.1f, p99 %5.1f, p99.9 %5.1f ms; bare libevent floor p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f ms\n", f[1], k(f[2]), f[3] / 1000, f[4] / 1000, f[5] / 1000, f[6] / 1000, f[7] / 1000, f[8] / 1000, f[9] / 1000, f[10] / 1000
  }
  n = split(stalls, rows, ";")
  for (i = 1; i < n; i++) {
    split(rows[i], f, "|")
    printf "  redis fsync at %2d %%: over 5 ms in %d of %d seconds, the worst %d ms (Redis LATENCY HISTORY aof-fsync-always: the webhooks answered behind it waited for it)\n", f[1], f[2], f[3], f[4]
  }
  split(nofsync, g, "|")
  printf "  at 50 %%, no fsync : p50 %5.1f, p90 %5.1f, p99 %5.1f, p99.9 %5.1f ms (appendfsync everysec, measured only: the rest of the gap above is the wait for the disk)\n", g[1] / 1000, g[2] / 1000, g[3] / 1000, g[4] / 1000
  printf "durability floor    : a Redis XADD waiting for its fsync: p50 %.2f ms, p99 %.2f ms (redis-benchmark -c 8, same Redis); %d AOF rewrites during the run\n", fsync_p50, fsync_p99, rewrites
  printf "resident memory     : %.1f MiB RSS, %.1f MiB peak (goal < 32 MiB)\n", rss / 1024, hwm / 1024
  printf "stream entries      : %d = %d accepted (peak); %d = %d accepted (paced)\n", entries, accepted, paced_entries, paced_ok
  printf "machine             : %d cores shared by wrk, redis-server (appendfsync always) and the api; %d%% busy with other work before the run\n", ncpu, busy
}'
