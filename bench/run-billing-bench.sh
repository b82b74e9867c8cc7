#!/usr/bin/env bash
# bench/run-billing-bench.sh: the billing benchmark of `make bench` (`make bench-billing`
# alone). BENCH_BOOKINGS (10000) bookings over BENCH_BUSINESSES (100) businesses reported
# to the fake Stripe (tests/sim/fake_stripe.py) by two frontdesk-workers (bin/, release
# build), with a private Redis and PostgreSQL, all on this machine:
#   1. the businesses (each with an owner); the workers make each one's customer at the
#      fake (its `customer` job, docs/billing.md);
#   2. the reference: as many bare meter-event POSTs as there are bookings, sent straight
#      from Python to a second, fresh fake with as many connections as the two workers
#      hold jobs (8): the fake's own limit, with no frontdesk in between;
#   3. the bookings, as the outbox writes one (bookings + usage_events as frontdesk_app,
#      one transaction per business; the usage event's trigger makes the meter job):
#      first BENCH_PACED of them one at a time at BENCH_PACED_RATE a second (the latency
#      of the way itself: the workers look for due jobs every second when idle), then the
#      rest at once (the throughput: first usage_events.created_at -> last meter event
#      received, and the latency under that backlog). Per booking the latency is
#      usage_events.created_at -> the fake's receipt of its meter event.
# Then the count check (bench/billing_load.py): the fake's meter events are exactly the
# bookings, one each, per business, none refused as a duplicate, reported_at on every
# usage event; and no error in the workers' logs. Any failure: exit 1. The burst's
# latency is mostly the wait in the queue: its p99 is about the time to drain it. The fake is Python and shares the 2 cores (its request validation
# dominates its own cost), so the reference is an upper bound of what frontdesk could
# reach here; the ratio shows what frontdesk's own pace costs.
# Knobs (environment): BENCH_BOOKINGS (10000, the paced ones included), BENCH_BUSINESSES
# (100), BENCH_PACED (200), BENCH_PACED_RATE (10), BENCH_TIMEOUT_S (900), BENCH_KEEP=1
# keeps the temp folder (logs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bookings=${BENCH_BOOKINGS:-10000}
businesses=${BENCH_BUSINESSES:-100}
timeout_s=${BENCH_TIMEOUT_S:-900}
paced=${BENCH_PACED:-200}
paced_rate=${BENCH_PACED_RATE:-10}
ctl=$root/bin/frontdesk-ctl
worker_bin=$root/bin/frontdesk-worker
py=/usr/bin/python3

for f in "$ctl" "$worker_bin"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make bench-billing'" >&2; exit 1; }
done
$py -c 'import psycopg2, jsonschema' 2>/dev/null ||
  { echo "bench: python3-psycopg2 and -jsonschema are needed (ops/install-deps.sh)" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_open_work frontdesk-billing-bench 1
warn_if_busy

say "billing: private Redis and PostgreSQL in $work/services"
start_services

secret_key=sk_test_bench$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
webhook_secret=whsec_bench$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
start_fake() {  # start_fake NAME: a fake Stripe on a free port; sets fake_url, fake_pid
  $py tests/sim/fake_stripe.py --port 0 --secret-key "$secret_key" \
    --webhook-secret "$webhook_secret" --webhook-url http://127.0.0.1:9/webhooks/stripe \
    > "$work/$1.out" 2>"$work/$1.log" &
  fake_pid=$!
  started+=("$fake_pid")
  local port=
  for _ in $(seq 200); do
    port=$(awk '$1 == "listening" { print $2 }' "$work/$1.out")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || fail "the fake Stripe ($1) did not start: $(tail -n 3 "$work/$1.log")"
  fake_url=http://127.0.0.1:$port
}
start_fake fake
stripe_url=$fake_url
stripe_pid=$fake_pid

export FRONTDESK_LOG_LEVEL=info
export FRONTDESK_STRIPE_API_URL=$stripe_url
export FRONTDESK_STRIPE_SECRET_KEY=$secret_key
export FRONTDESK_STRIPE_WEBHOOK_SECRET=$webhook_secret
export FRONTDESK_STRIPE_PRICE_MONTHLY=price_monthly200
export FRONTDESK_STRIPE_PRICE_BOOKING=price_booking50
export FRONTDESK_STRIPE_METER_EVENT=ai_booking
# The workers need Telnyx settings to start; nothing here calls or texts, so nothing is sent.
export FRONTDESK_TELNYX_API_URL=http://127.0.0.1:9/v2
export FRONTDESK_TELNYX_API_KEY=bench-unused
worker_pids=()
for n in 1 2; do
  port=$(free_port)
  FRONTDESK_WORKER_ID=bench-billing-worker-$n FRONTDESK_WORKER_LISTEN=127.0.0.1:$port \
    "$worker_bin" 2>"$work/worker-$n.log" &
  worker_pids+=($!)
  started+=($!)
  wait_http "http://127.0.0.1:$port/healthz"
done

say "billing: $businesses businesses and their Stripe customers"
$py bench/billing_load.py businesses --fake "$stripe_url" --businesses "$businesses" \
  --timeout-s 120 >&2 || fail "not every business got its Stripe customer"

say "billing: reference, $bookings bare meter-event POSTs to a fresh fake"
start_fake fake-reference
ref_line=$($py bench/billing_load.py reference --fake "$fake_url" --secret-key "$secret_key" \
  --bookings "$bookings") || fail "the reference POSTs failed ($ref_line)"
echo "$ref_line" >&2
stop_pid "$fake_pid"

say "billing: $bookings bookings over $businesses businesses ($paced paced at $paced_rate/s, then the rest at once)"
set +e
line=$($py bench/billing_load.py run --fake "$stripe_url" --bookings "$bookings" \
  --paced "$paced" --paced-rate "$paced_rate" --timeout-s "$timeout_s" \
  --pids "worker1=${worker_pids[0]},worker2=${worker_pids[1]},fake=$stripe_pid")
load_rc=$?
set -e
echo "$line" >&2
failed=()
[ "$load_rc" = 0 ] || failed+=("the count check failed (above)")
errors=$(cat "$work/worker-1.log" "$work/worker-2.log" | awk '/"level":"error"/ { n++ } END { print n + 0 }')
[ "$errors" = 0 ] || failed+=("$errors errors logged by the workers")

f() { field "$1" "$line"; }
awk -v n="$(f n)" -v of="$(f of)" -v biz="$(f businesses)" -v rate="$(f bookings_per_s)" \
    -v span="$(f span_s)" -v ins="$(f insert_s)" -v p50="$(f p50_ms)" -v p99="$(f p99_ms)" \
    -v mx="$(f max_ms)" -v reqs="$(f requests)" -v cpb="$(f worker_cpu_ms_per_booking)" \
    -v cw1="$(f cpu_worker1_s)" -v cw2="$(f cpu_worker2_s)" -v cfake="$(f cpu_fake_s)" \
    -v ref="$(field per_s "$ref_line")" -v ok="$(f ok)" -v burst="$(f burst)" \
    -v pn="$(f paced)" -v prate="$(f paced_rate)" -v pp50="$(f paced_p50_ms)" -v pp99="$(f paced_p99_ms)" \
    -v busy="$busy_before" -v nfailed="${#failed[@]}" '
BEGIN {
  printf "\n"
  printf "bookings -> Stripe  : %d of %d bookings over %d businesses reported; the %d of the burst in %.2f s: %.1f bookings/s (2 workers; the burst written in %.2f s)\n", n, of, biz, burst, span, rate, ins
  printf "reference           : the fake Stripe alone takes %.1f meter events/s (bare POSTs from Python, 8 connections); frontdesk reaches %.2f of it\n", ref, (ref > 0 ? rate / ref : 0)
  printf "booking -> meter    : paced (%d at %s/s): p50 %.1f ms, p99 %.1f ms; burst: p50 %.1f ms, p99 %.1f ms, max %.1f ms (mostly queueing): usage_events.created_at -> the meter event received by the fake\n", pn, prate, pp50, pp99, p50, p99, mx
  printf "count check         : %s (%d meter-event requests for %d bookings)\n", (ok == 1 ? "ok: every booking once, per business, reported_at on all" : "FAILED"), reqs, of
  printf "worker CPU per book : %.3f ms (worker 1 %.2f s, worker 2 %.2f s; fake %.2f s over the run)\n", cpb, cw1, cw2, cfake
  printf "machine             : %d%% busy with other work before the run\n", busy
  if (nfailed > 0) printf "RESULT              : FAILED (below)\n"
}'
for why in "${failed[@]}"; do echo "bench: FAILED: $why" >&2; done
[ "${#failed[@]}" = 0 ] || exit 1
