#!/usr/bin/env bash
# bench/run-texts-bench.sh: the texts benchmark of `make bench` (`make bench-texts` alone).
# BENCH_TEXTS (1000) concurrent text conversations over BENCH_BUSINESSES (50) businesses
# through frontdesk-api, two frontdesk-workers (bin/, release build), a private Redis and
# PostgreSQL and the Telnyx simulator (tests/sim/telnyx_sim.py), all on this machine:
#   1. the businesses (the default receptionist: hours), a warm-up text to each so the
#      workers own them and have their configuration cached;
#   2. every conversation texts BENCH_TEXTS_EACH (3) questions about the hours, each to
#      its business, all conversations interleaved at BENCH_TEXT_RATE (100) texts a
#      second, so all are live at once and a conversation's texts come
#      BENCH_TEXTS / BENCH_TEXT_RATE s apart; bench/texts_load.py waits until every text
#      got its answer and measures the api's 2xx to the message.received webhook -> the
#      answer's POST /v2/messages (the built-in receptionist), as the simulator records
#      both; the reference, measured in the same run, is the webhook's own round trip
#      (the simulator's POST -> the api's 2xx); and the workers' CPU per text from
#      /proc/PID/stat. Then as many new texters all at once (a burst: the queue it makes).
# The workers run with FRONTDESK_SMS_GATHER_MS=0: texts are answered as they come. With
# the production default (2000 ms) every answer waits that long on purpose, so that
# texts sent close together are answered once; the benchmark measures the work, not
# the wait. The simulator is Python and shares the 2 cores: its own threads delay what
# it records under load, so the figures are an upper bound.
# Knobs (environment): BENCH_TEXTS (1000), BENCH_TEXTS_EACH (3), BENCH_TEXT_RATE (100),
# BENCH_BUSINESSES (50), BENCH_TIMEOUT_S (120), BENCH_SLOWEST=N (the N slowest texts, on stderr),
# BENCH_KEEP=1 keeps the temp folder (logs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

texts=${BENCH_TEXTS:-1000}
each=${BENCH_TEXTS_EACH:-3}
rate=${BENCH_TEXT_RATE:-100}
businesses=${BENCH_BUSINESSES:-50}
timeout_s=${BENCH_TIMEOUT_S:-120}
ctl=$root/bin/frontdesk-ctl
api_bin=$root/bin/frontdesk-api
worker_bin=$root/bin/frontdesk-worker
py=/usr/bin/python3

for f in "$api_bin" "$ctl" "$worker_bin"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make bench'" >&2; exit 1; }
done

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_open_work frontdesk-texts-bench 1
warn_if_busy

say "texts: private Redis and PostgreSQL in $work/services"
start_services
"$ctl" webhook keygen --out "$work/signing.key" > "$work/public.key"
say "texts: $businesses businesses"
: > "$work/numbers.txt"
for i in $(seq "$businesses"); do
  number=$(printf '+1312666%04d' "$i")
  "$ctl" tenant create --name "Bench Salon $i" --number "$number" >/dev/null || fail "tenant create $i failed"
  echo "$number" >> "$work/numbers.txt"
done

export FRONTDESK_TELNYX_PUBLIC_KEY
FRONTDESK_TELNYX_PUBLIC_KEY=$(cat "$work/public.key")
export FRONTDESK_LOG_LEVEL=info
export FRONTDESK_IDLE_RELEASE_MS=600000
export FRONTDESK_SMS_GATHER_MS=0
api_port=$(free_port)
sim_port=$(free_port)
export FRONTDESK_LISTEN=127.0.0.1:$api_port
export FRONTDESK_TELNYX_API_URL=http://127.0.0.1:$sim_port/v2
export FRONTDESK_TELNYX_API_KEY=bench-simulator

"$api_bin" 2>"$work/api.log" &
api_pid=$!
started+=("$api_pid")
wait_http "http://127.0.0.1:$api_port/readyz"
worker_pids=()
for n in 1 2; do
  port=$(free_port)
  FRONTDESK_WORKER_ID=bench-worker-$n FRONTDESK_WORKER_LISTEN=127.0.0.1:$port \
    "$worker_bin" 2>"$work/worker-$n.log" &
  worker_pids+=($!)
  started+=($!)
  wait_http "http://127.0.0.1:$port/healthz"
done
$py tests/sim/telnyx_sim.py --listen "127.0.0.1:$sim_port" \
  --webhook-url "http://127.0.0.1:$api_port/webhooks/telnyx" --key "$work/signing.key" \
  --api-key bench-simulator > "$work/sim.out" 2>"$work/sim.log" &
sim_pid=$!
started+=("$sim_pid")
wait_http "http://127.0.0.1:$sim_port/_sim/health"
sim_url=http://127.0.0.1:$sim_port

say "texts: warm-up, one text per business"
$py bench/texts_load.py --sim "$sim_url" --numbers "$work/numbers.txt" --conversations "$businesses" \
  --prefix +1646 --timeout-s 60 > "$work/warmup.txt" || fail "the warm-up texts were not all answered ($(cat "$work/warmup.txt"))"

say "texts: $texts concurrent text conversations over $businesses businesses, $each texts each at $rate a second"
set +e
line=$($py bench/texts_load.py --sim "$sim_url" --numbers "$work/numbers.txt" --conversations "$texts" \
  --per-conversation "$each" --rate "$rate" --timeout-s "$timeout_s" \
  --pids "worker1=${worker_pids[0]},worker2=${worker_pids[1]},api=$api_pid,sim=$sim_pid")
load_rc=$?
say "texts: $texts new texters' questions all at once (a burst)"
burst=$($py bench/texts_load.py --sim "$sim_url" --numbers "$work/numbers.txt" --conversations "$texts" \
  --prefix +1917 --timeout-s "$timeout_s")
burst_rc=$?
set -e
echo "$line" >&2
echo "$burst" >&2
failed=()
[ "$load_rc" = 0 ] || failed+=("not every text was answered within ${timeout_s}s")
[ "$burst_rc" = 0 ] || failed+=("not every text of the burst was answered within ${timeout_s}s")
errors=$(cat "$work/api.log" "$work/worker-1.log" "$work/worker-2.log" | awk '/"level":"error"/ { n++ } END { print n + 0 }')
[ "$errors" = 0 ] || failed+=("$errors errors logged by the api or the workers")

f() { field "$1" "$line"; }
g() { field "$1" "$burst"; }
awk -v n="$(f n)" -v of="$(f of)" -v biz="$businesses" -v convs="$texts" -v each="$each" -v rate="$rate" \
    -v p50="$(f p50_ms)" -v p90="$(f p90_ms)" -v p99="$(f p99_ms)" -v mx="$(f max_ms)" -v el="$(f elapsed_s)" \
    -v w50="$(f webhook_p50_ms)" -v w99="$(f webhook_p99_ms)" -v cpt="$(f worker_cpu_ms_per_text)" \
    -v cw1="$(f cpu_worker1_s)" -v cw2="$(f cpu_worker2_s)" -v capi="$(f cpu_api_s)" -v csim="$(f cpu_sim_s)" \
    -v bn="$(g n)" -v bof="$(g of)" -v b50="$(g p50_ms)" -v b99="$(g p99_ms)" -v bel="$(g elapsed_s)" \
    -v busy="$busy_before" -v nfailed="${#failed[@]}" '
function ok(x, goal) { return x < goal ? "ok" : "MISSED" }
function ratio(x, ref) { return ref > 0 ? x / ref : 0 }
BEGIN {
  printf "\n"
  printf "texts               : %d of %d texts answered: %d concurrent conversations over %d businesses, %d texts each, %d texts/s, in %.2f s (2 workers, texts answered as they come)\n", n, of, convs, biz, each, rate, el
  printf "text -> reply (sim) : p50 %.2f ms (goal < 5: %s), p90 %.2f ms, p99 %.2f ms (goal < 25: %s), max %.1f ms: the api'"'"'s 2xx to message.received -> the reply'"'"'s POST /v2/messages, as the simulator records both\n", p50, ok(p50, 5), p90, p99, ok(p99, 25), mx
  printf "reference (webhook) : p50 %.2f ms, p99 %.2f ms: the simulator'"'"'s POST of the webhook -> the api'"'"'s 2xx, same run; text -> reply is %.2f x (p50) and %.2f x (p99) of it\n", w50, w99, ratio(p50, w50), ratio(p99, w99)
  printf "burst               : %d of %d new texters at once answered in %.2f s: p50 %.1f ms, p99 %.1f ms (the queue a burst makes; no goal)\n", bn, bof, bel, b50, b99
  printf "worker CPU per text : %.3f ms (worker 1 %.2f s, worker 2 %.2f s; api %.2f s, simulator %.2f s over the paced run)\n", cpt, cw1, cw2, capi, csim
  printf "machine             : %d%% busy with other work before the run\n", busy
  if (nfailed > 0) printf "RESULT              : FAILED (below)\n"
}'
for why in "${failed[@]}"; do echo "bench: FAILED: $why" >&2; done
[ "${#failed[@]}" = 0 ] || exit 1
