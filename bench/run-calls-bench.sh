#!/usr/bin/env bash
# bench/run-calls-bench.sh: the calls benchmark of `make bench` (`make bench-calls` alone).
# N concurrent simulated calls (BENCH_CALLS, 200) through frontdesk-api, two
# frontdesk-workers (bin/, release build), a private Redis and PostgreSQL and the calls
# driver (bench/calls_driver.c, build/bench/calls_driver), all on this machine. The
# driver is one libevent process in C that plays Telnyx on both sides, as
# tests/sim/telnyx_sim.py does for the tests: the Call Control API the workers send their
# commands to (answered at once, each request logged with its arrival time and body),
# and the callers, whose signed webhooks go to the api over a small pool of keep-alive
# connections (BENCH_HOOK_CONNS, 32). The Python simulator it replaces here used 74 % of
# a core and answered a command in up to 100 ms under this load, which delayed each
# call's next event in the workers: the benchmark measured the simulator.
#   1. BENCH_BUSINESSES (20) businesses with an active agent, calls spread round-robin;
#   2. warm-up calls, one per business (leases taken, agents cached), checked, not
#      measured, until the two workers own every business (at most 3 rounds);
#   3. N calls started at once, each three questions and a goodbye with speech made fast
#      (3 ms a word), until every call has ended and every webhook is acknowledged
#      (bounded: BENCH_TIMEOUT_S, 120);
#   4. bench/calls_load.py runs the driver, with bench/wire_tap.py taking kernel
#      timestamps of the HTTP messages on lo (root only), then measures from both and
#      checks every call, every command body and every webhook the driver sent (against
#      the Telnyx schema extract, after the run) and the records in PostgreSQL; a failed
#      check fails the benchmark, after the summary.
# Callers wait up to 30 s for a reply (not 3 s), so a slow stack shows as a slow turn, not
# as a barge-in.
# Prints calls/s and events/s (the api's frontdesk_api_events_enqueued_total over the
# run), the turn overhead (the api's 2xx to a caller's final call.transcription -> the
# reply `speak` received by the driver) at p50/p99 on the wire and as the driver timed it,
# the same for call.initiated -> answer and call.answered -> greeting, the driver's own lag
# behind the wire, worker memory, CPU per process and the time each waited for a core
# (on 2 cores the stack and the driver keep both busy during the run), and Redis's fsync
# stalls (its latency monitor: with appendfsync always the worker's XREADGROUP waits for
# an fsync too). Everything runs in a temp folder on free loopback ports; what it starts
# is stopped by PID on exit. About 30 s.
# Knobs (environment): BENCH_CALLS (200), BENCH_BUSINESSES (20), BENCH_SPEECH_MS (3, per
# word), BENCH_HOOK_CONNS (32), BENCH_KEEP=1 keeps the temp folder (logs, samples.json,
# the driver's records in driver-run/ and driver-warmup-N/), BENCH_PERF=1 records worker 1
# with perf (cpu-clock) during the run into perf.data and perf-top.txt. For diagnosis:
# BENCH_TELNYX_ANSWER_MS=50 (each command takes effect at once but Telnyx's HTTP answer
# leaves 50 ms later, as from a real cluster: what a worker waits for per command),
# BENCH_APPENDFSYNC=everysec (production is always), BENCH_DRIVER_NICE=-10 (the driver
# ahead of the stack for a core; a niceness counts only within the benchmark's cgroup).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

calls=${BENCH_CALLS:-200}
businesses=${BENCH_BUSINESSES:-20}
speech_ms=${BENCH_SPEECH_MS:-3}
hook_conns=${BENCH_HOOK_CONNS:-32}
appendfsync=${BENCH_APPENDFSYNC:-always}
driver_nice=${BENCH_DRIVER_NICE:-0}
timeout_s=${BENCH_TIMEOUT_S:-120}
telnyx_answer_ms=${BENCH_TELNYX_ANSWER_MS:-0}
ctl=$root/bin/frontdesk-ctl
api_bin=$root/bin/frontdesk-api
worker_bin=$root/bin/frontdesk-worker
driver_bin=$root/build/bench/calls_driver
py=/usr/bin/python3

for f in "$api_bin" "$ctl" "$worker_bin" "$driver_bin"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make bench-calls'" >&2; exit 1; }
done
$py -c 'import jsonschema, redis, psycopg2' 2>/dev/null ||
  { echo "bench: python3-jsonschema, -redis and -psycopg2 are needed (ops/install-deps.sh)" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_open_work frontdesk-calls-bench 1

metric_sum() {  # metric_sum FILE REGEX: sum of the matching /metrics lines
  awk -v re="$2" '$0 !~ /^#/ && $0 ~ re { s += $NF } END { printf "%.6f\n", s }' "$1"
}

warn_if_busy

# --- set-up: services, schema, businesses, key ---------------------------------------
say "calls: private Redis and PostgreSQL in $work/services"
start_services
# Production runs Redis with appendfsync always (docs/deploy.md); everysec is a
# diagnostic: the same run without an fsync in front of every reply.
redis-cli -p "$REDIS_PORT" config set appendfsync "$appendfsync" >/dev/null ||
  fail "redis-cli config set appendfsync $appendfsync failed"
# Redis's latency monitor keeps, for each second, its worst fsync (and slow command) of
# 1 ms or more: what the disk cost the run, shown in the summary.
redis-cli -p "$REDIS_PORT" config set latency-monitor-threshold 1 >/dev/null ||
  fail "redis-cli config set latency-monitor-threshold failed"
"$ctl" webhook keygen --out "$work/signing.key" > "$work/public.key"
say "calls: $businesses businesses"
: > "$work/numbers.txt"
for i in $(seq "$businesses"); do
  number=$(printf '+1312555%04d' "$i")
  "$ctl" tenant create --name "Bench Dental $i" --number "$number" >/dev/null ||
    fail "tenant create $i failed"
  echo "$number" >> "$work/numbers.txt"
done

# --- api, two workers; the driver plays Telnyx on driver_port ------------------------------
export FRONTDESK_TELNYX_PUBLIC_KEY
FRONTDESK_TELNYX_PUBLIC_KEY=$(cat "$work/public.key")
export FRONTDESK_LOG_LEVEL=info
# Steady state: the businesses stay owned between the warm-up and the run (production
# default 30 s; the warm-up's record check alone may take longer).
export FRONTDESK_IDLE_RELEASE_MS=600000
api_port=$(free_port)
driver_port=$(free_port)
export FRONTDESK_LISTEN=127.0.0.1:$api_port
export FRONTDESK_TELNYX_API_URL=http://127.0.0.1:$driver_port/v2
export FRONTDESK_TELNYX_API_KEY=bench-driver

"$api_bin" 2>"$work/api.log" &
api_pid=$!
started+=("$api_pid")
wait_http "http://127.0.0.1:$api_port/readyz"

worker_pids=()
worker_ports=()
for n in 1 2; do
  port=$(free_port)
  FRONTDESK_WORKER_ID=bench-worker-$n FRONTDESK_WORKER_LISTEN=127.0.0.1:$port \
    "$worker_bin" 2>"$work/worker-$n.log" &
  worker_pids+=($!)
  worker_ports+=("$port")
  started+=($!)
  wait_http "http://127.0.0.1:$port/healthz"
done

load() {  # load NAME ARGS...: bench/calls_load.py (the driver, then the checks) on this
  local name=$1; shift    # stack, the driver's records in $work/NAME
  $py bench/calls_load.py --driver "$driver_bin" --listen "127.0.0.1:$driver_port" \
    --api "127.0.0.1:$api_port" --key "$work/signing.key" --api-key bench-driver \
    --numbers "$work/numbers.txt" --hook-conns "$hook_conns" --driver-nice "$driver_nice" \
    --speech-ms-per-word "$speech_ms" \
    --turn-gap-ms 5 --greeting-wait-ms 30000 --reply-wait-ms 30000 --answer-delay-ms "$telnyx_answer_ms" \
    --database-url "$FRONTDESK_DATABASE_URL" --redis-port "$REDIS_PORT" \
    --work "$work/$name" "$@"
}

leases() {  # leases N: tenants worker N (0 or 1) holds now
  curl -s "http://127.0.0.1:${worker_ports[$1]}/metrics" |
    awk '$1 == "frontdesk_worker_leases_held" { print $2 }'
}
# The measured calls should find every business owned, as in production where busy
# tenants are: a warm-up call per business, then wait (at most 15 s) until the two
# workers hold all of them and have not moved one for 3 s (a survey is every 2 s). A
# business shed during the start-up with nothing left to do stays unowned until its next
# event, hence up to 3 rounds.
for round in 1 2 3; do
  say "calls: warm-up round $round, one call per business"
  load "driver-warmup-$round" --warmup 2>&1 | tail -n 8 >&2 || fail "the warm-up calls failed (see $work/*.log)"
  same=0 last=
  for _ in $(seq 150); do
    now="$(leases 0) $(leases 1)"
    if [ "$now" = "$last" ] && [ $(( ${now% *} + ${now#* } )) = "$businesses" ]; then
      same=$(( same + 1 ))
      [ "$same" -ge 30 ] && break
    else
      same=0
    fi
    last=$now
    sleep 0.1
  done
  owned=$(( ${last% *} + ${last#* } ))
  echo "leases after warm-up round $round: worker 1 ${last% *}, worker 2 ${last#* } of $businesses businesses" >&2
  [ "$owned" = "$businesses" ] && break
done

# --- the run -----------------------------------------------------------------------------
metrics() {  # metrics SUFFIX: api and worker /metrics into the temp folder
  curl -s "http://127.0.0.1:$api_port/metrics" > "$work/api-$1.txt"
  curl -s "http://127.0.0.1:${worker_ports[0]}/metrics" > "$work/w1-$1.txt"
  curl -s "http://127.0.0.1:${worker_ports[1]}/metrics" > "$work/w2-$1.txt"
}
metrics before
redis-cli -p "$REDIS_PORT" latency reset >/dev/null
perf_secs=$(( calls / 20 + 5 ))
if [ "${BENCH_PERF:-0}" = 1 ]; then
  perf record -q -e cpu-clock -F 2999 -g -p "${worker_pids[0]}" -o "$work/perf.data" \
    -- sleep "$perf_secs" 2>"$work/perf.log" &
  perf_pid=$!
  started+=("$perf_pid")
fi
say "calls: $calls concurrent calls over $businesses businesses"
set +e
line=$(load driver-run --calls "$calls" --timeout-s "$timeout_s" --out "$work/samples.json" \
  --tap "$api_port:$driver_port:$work/wire.json" \
  --pids "worker1=${worker_pids[0]},worker2=${worker_pids[1]},api=$api_pid,redis=$REDIS_PID,postgres=$PG_PID" \
  2>"$work/load.log")
load_rc=$?
set -e
cat "$work/load.log" >&2
[ -n "$line" ] || fail "the calls run measured nothing (above; logs in $work)"
echo "$line" >&2
metrics after
# LATENCY HISTORY answers (unix time, worst ms) pairs, one a line each with redis-cli's
# raw output: the seconds of the run with an fsync of 1 ms or more, and the worst.
fsync_stalls=$(redis-cli -p "$REDIS_PORT" latency history aof-fsync-always |
  awk -v a="$(field t_first "$line")" -v b="$(field t_end "$line")" '
    NR % 2 == 1 { t = $1 }
    NR % 2 == 0 && t >= int(a) && t <= b + 1 { n++; if ($1 > m) m = $1 }
    END { printf "%d %d\n", n, m }')
if [ "${BENCH_PERF:-0}" = 1 ]; then
  wait "$perf_pid" || true
  stop_pid "$perf_pid"
  perf report -i "$work/perf.data" --no-children --percent-limit 1.5 --stdio 2>/dev/null |
    grep -E '^ +[0-9.]+%' > "$work/perf-top.txt" || true
fi
w1_rss=$(status_kib "${worker_pids[0]}" VmRSS); w1_hwm=$(status_kib "${worker_pids[0]}" VmHWM)
w2_rss=$(status_kib "${worker_pids[1]}" VmRSS); w2_hwm=$(status_kib "${worker_pids[1]}" VmHWM)

delta() {  # delta NAME REGEX: the growth of a /metrics sum over the run
  awk -v a="$(metric_sum "$work/$1-before.txt" "$2")" -v b="$(metric_sum "$work/$1-after.txt" "$2")" \
    'BEGIN { printf "%.6f\n", b - a }'
}
events=$(delta api '^frontdesk_api_events_enqueued_total')
w1_events=$(delta w1 '^frontdesk_worker_events_total')
w2_events=$(delta w2 '^frontdesk_worker_events_total')
failed_events=$(awk -v a="$(delta w1 'outcome="failed"')" -v b="$(delta w2 'outcome="failed"')" 'BEGIN { printf "%d\n", a + b }')
dead=$(awk -v a="$(delta w1 '^frontdesk_worker_dead_letters_total')" -v b="$(delta w2 '^frontdesk_worker_dead_letters_total')" 'BEGIN { printf "%d\n", a + b }')
# the workers' own view of a speak request: curl start -> the driver's answer, mean
speak_sum=$(awk -v a="$(delta w1 'request_duration_seconds_sum\{command="speak"')" \
                -v b="$(delta w2 'request_duration_seconds_sum\{command="speak"')" 'BEGIN { print a + b }')
speak_n=$(awk -v a="$(delta w1 'request_duration_seconds_count\{command="speak"')" \
              -v b="$(delta w2 'request_duration_seconds_count\{command="speak"')" 'BEGIN { print a + b }')
# Checks that failed are collected and fail the benchmark after the summary: figures
# of a run that went wrong are shown, never passed off as a result.
failed=()
[ "$load_rc" = 0 ] || failed+=("the calls did not all go as scripted or their records are missing (calls_load above)")
[ "$failed_events" = 0 ] || failed+=("$failed_events events failed in the workers (see $work/worker-*.log)")
[ "$dead" = 0 ] || failed+=("$dead events were dead-lettered")
errors=$(cat "$work/api.log" "$work/worker-1.log" "$work/worker-2.log" | awk '/"level":"error"/ { n++ } END { print n + 0 }')
if [ "$errors" != 0 ]; then
  grep -h '"level":"error"' "$work/api.log" "$work/worker-1.log" "$work/worker-2.log" | head -n 3 >&2
  failed+=("$errors errors logged by the api or the workers")
fi

# --- summary ------------------------------------------------------------------------------
f() { field "$1" "$line"; }
awk -v calls="$calls" -v biz="$businesses" -v el="$(f elapsed_s)" -v events="$events" \
    -v spread="$(f start_spread_ms)" -v callp50="$(f call_p50_ms)" -v okcalls="$(f ok_calls)" \
    -v tn="$(f turn_n)" -v t50="$(f turn_p50_ms)" -v t99="$(f turn_p99_ms)" -v tmax="$(f turn_max_ms)" \
    -v an="$(f answer_n)" -v a50="$(f answer_p50_ms)" -v a99="$(f answer_p99_ms)" \
    -v gn="$(f greet_n)" -v g50="$(f greet_p50_ms)" -v g99="$(f greet_p99_ms)" \
    -v wire="$(f wire)" -v drops="$(f wire_drops)" \
    -v wtn="$(f wire_turn_n)" -v wt50="$(f wire_turn_p50_ms)" -v wt99="$(f wire_turn_p99_ms)" -v wtmax="$(f wire_turn_max_ms)" \
    -v wa50="$(f wire_answer_p50_ms)" -v wa99="$(f wire_answer_p99_ms)" \
    -v wg50="$(f wire_greeting_p50_ms)" -v wg99="$(f wire_greeting_p99_ms)" \
    -v wapi50="$(f wire_api_p50_ms)" -v wapi99="$(f wire_api_p99_ms)" -v wapin="$(f wire_api_n)" \
    -v sp50="$(f wire_driver_pickup_p50_ms)" -v sp99="$(f wire_driver_pickup_p99_ms)" \
    -v sl50="$(f wire_driver_ack_lag_p50_ms)" -v sl99="$(f wire_driver_ack_lag_p99_ms)" \
    -v k50="$(f ackfinal_p50_ms)" -v k99="$(f ackfinal_p99_ms)" \
    -v speak_sum="$speak_sum" -v speak_n="$speak_n" -v neg="$(f turn_negative)" \
    -v win="$(f cpu_window_s)" -v cdrv="$(f cpu_driver_s)" -v cw1="$(f cpu_worker1_s)" \
    -v cw2="$(f cpu_worker2_s)" -v capi="$(f cpu_api_s)" -v credis="$(f cpu_redis_s)" \
    -v cpg="$(f cpu_postgres_s)" -v ctap="$(f cpu_tap_s)" -v w1e="$w1_events" -v w2e="$w2_events" \
    -v qdrv="$(f wait_driver_ms)" -v qw1="$(f wait_worker1_ms)" -v qw2="$(f wait_worker2_ms)" \
    -v qapi="$(f wait_api_ms)" -v qredis="$(f wait_redis_ms)" -v qpg="$(f wait_postgres_ms)" \
    -v qtap="$(f wait_tap_ms)" -v stalls="${fsync_stalls% *}" -v worst="${fsync_stalls#* }" \
    -v w1r="$w1_rss" -v w1h="$w1_hwm" -v w2r="$w2_rss" -v w2h="$w2_hwm" \
    -v hc="$(f hook_conns)" -v rows="$(f pg_rows)" -v pgw="$(f pg_wait_s)" \
    -v dup="$(f duplicates)" -v invalid="$(f invalid)" -v nfailed="${#failed[@]}" \
    -v ncpu="$(nproc)" -v fsync="$appendfsync" -v busy="$busy_before" -v speech="$speech_ms" -v owned="$owned" '
function ok(x, goal) { return x < goal ? "ok" : "MISSED" }
function share(s) { return win > 0 ? 100 * s / win : 0 }
BEGIN {
  hwm = w1h > w2h ? w1h : w2h
  printf "\n"
  printf "calls               : %d concurrent over %d businesses (%d owned at the start), 2 workers, started within %.0f ms, all ended in %.2f s (one call: %.2f s, 4 caller turns, speech %d ms/word)\n", calls, biz, owned, spread, el, callp50 / 1000, speech
  printf "throughput          : %.1f calls/s, %.0f events/s (%d webhooks enqueued by the api; worker 1 handled %d events, worker 2 %d)\n", calls / el, events / el, events, w1e, w2e
  if (wire)
    printf "turn overhead (wire): p50 %.2f ms (goal < 2: %s), p99 %.2f ms (goal < 10: %s), max %.1f ms, %d caller turns: the api'"'"'s 2xx to the final call.transcription leaving -> the reply speak reaching the driver'"'"'s socket (kernel timestamps on lo)\n", wt50, ok(wt50, 2), wt99, ok(wt99, 10), wtmax, wtn
  else
    printf "turn overhead (wire): not measured (bench/wire_tap.py needs root for AF_PACKET)\n"
  if (wire) {
    printf "  initiated->answer : p50 %.2f ms, p99 %.2f ms (wire)   answered->greeting: p50 %.2f ms, p99 %.2f ms (wire)\n", wa50, wa99, wg50, wg99
    printf "  the api itself    : webhook in -> 2xx out p50 %.2f ms, p99 %.2f ms (wire, %d webhooks; XADD with appendfsync %s)\n", wapi50, wapi99, wapin, fsync
  }
  printf "turn overhead (driver): p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d turns, as the driver timed it (2xx read -> speak request handled, monotonic clock)\n", t50, t99, tmax, tn
  printf "  initiated->answer : p50 %.2f ms, p99 %.2f ms (%d calls)   answered->greeting: p50 %.2f ms, p99 %.2f ms (%d calls)\n", a50, a99, an, g50, g99, gn
  printf "  the driver'"'"'s own: a speak reaches its socket -> its handler runs: p50 %.2f ms, p99 %.2f ms; the api'"'"'s 2xx arrives -> read: p50 %.2f ms, p99 %.2f ms\n", sp50, sp99, sl50, sl99
  printf "                      (driver = wire + the first - the second; %d turns came out negative); webhook sent -> acked as it sees it: p50 %.2f ms, p99 %.2f ms (%d connections)\n", neg, k50, k99, hc
  printf "                      workers timed a speak request (curl -> the driver'"'"'s answer) at %.2f ms on average\n", (speak_n > 0 ? 1000 * speak_sum / speak_n : -1)
  printf "CPU over the run    : driver %.0f%% of a core, worker 1 %.0f%%, worker 2 %.0f%%, api %.0f%%, redis %.0f%%, postgres %.0f%%, wire tap %.0f%% (%.2f s, %d cores)\n", share(cdrv), share(cw1), share(cw2), share(capi), share(credis), share(cpg), share(ctap), win, ncpu
  printf "waited for a core   : driver %.0f ms, worker 1 %.0f ms, worker 2 %.0f ms, api %.0f ms, redis %.0f ms, postgres %.0f ms, wire tap %.0f ms (runnable, not running: schedstat over the run)\n", qdrv, qw1, qw2, qapi, qredis, qpg, qtap
  printf "redis fsync         : %d seconds of the run had an fsync of 1 ms or more, the worst %d ms (latency monitor, aof-fsync-always)\n", stalls, worst
  printf "worker memory       : worker 1 %.1f MiB RSS, %.1f MiB peak; worker 2 %.1f MiB RSS, %.1f MiB peak (goal < 64 MiB: %s)\n", w1r / 1024, w1h / 1024, w2r / 1024, w2h / 1024, ok(hwm / 1024, 64)
  printf "checks              : %d of %d calls as scripted; %d of %d calls with exactly one call_logs row, a conversation and 9 turns (%.1f s after the last hang-up); %d invalid requests; %d de-duplicated commands; %d packets the tap dropped\n", okcalls, calls, rows, calls, pgw, invalid, dup, drops
  printf "machine             : %d cores shared by the driver, the workers, the api, redis-server (appendfsync %s) and PostgreSQL; %d%% busy with other work before the run\n", ncpu, fsync, busy
  if (nfailed > 0) printf "RESULT              : FAILED (below)\n"
}'
for why in "${failed[@]}"; do echo "bench: FAILED: $why" >&2; done
[ "${#failed[@]}" = 0 ] || exit 1
