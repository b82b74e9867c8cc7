#!/usr/bin/env bash
# bench/run-web-bench.sh: the owner API benchmark of `make bench` (`make bench-web` alone).
# frontdesk-web (bin/, release build) on a private Redis and PostgreSQL holding 1,000
# businesses, one of them with 100,000 calls over the last 100 days and what they left
# behind (turns, lead scores, bookings with their usage events, messages, upsells:
# bench/web_data.sql), signed in as that business's owner:
#   1. GET /healthz, the floor of an answer that touches no database;
#   2. GET /api/v1/calls, the first page and a deep page (the cursor of the 50,000th
#      call), and GET /api/v1/analytics over 90 days, each next to the same query
#      straight on PostgreSQL (build/rel/bench/web_query_floor: the functions of
#      lib/owner/ the routes call, on as many connections);
#   3. GET /api/v1/me, alone and while 20 logins hash at once (build/bench/login_load,
#      each login from a loopback address of its own, as the rate limit is per address);
#   4. frontdesk-web's resident memory at rest and at its peak.
# Every figure is wrk -t1 -c$BENCH_WEB_CONNS (closed loop, bench/web_get.lua) for
# BENCH_SECONDS after a 2 s warm-up; each goal (the issue's) is printed beside its figure.
# Any request that failed (not 2xx, or no answer) fails the benchmark. Everything runs in
# a temp folder on free loopback ports; what it starts is stopped by PID on exit. About
# 3 minutes, most of it loading the data.
# Knobs (environment): BENCH_SECONDS (10), BENCH_WEB_CONNS (2), BENCH_WEB_CALLS (100000),
# BENCH_WEB_BUSINESSES (1000), BENCH_WEB_OTHER_CALLS (100 per other business),
# BENCH_KEEP=1 keeps the temp folder (logs, wrk's output) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${BENCH_SECONDS:-10}
conns=${BENCH_WEB_CONNS:-2}
calls=${BENCH_WEB_CALLS:-100000}
businesses=${BENCH_WEB_BUSINESSES:-1000}
other_calls=${BENCH_WEB_OTHER_CALLS:-100}
days=100            # the calls spread over this many days back
window_days=90      # analytics' range
deep=$(( calls / 2 ))
logins=20           # at once, while /me is measured
warmup_s=2
password="bench owner password"
ctl=$root/bin/frontdesk-ctl
web_bin=$root/bin/frontdesk-web
floor=$root/build/rel/bench/web_query_floor
login_load=$root/build/bench/login_load

for f in "$web_bin" "$ctl" "$floor" "$login_load"; do
  [ -x "$f" ] || { echo "bench: $f is missing; run 'make bench-web'" >&2; exit 1; }
done
for c in wrk psql; do
  command -v "$c" >/dev/null || { echo "bench: $c is missing (ops/install-deps.sh installs it)" >&2; exit 1; }
done
if [ "$calls" -lt 2 ] || [ "$businesses" -lt 1 ]; then
  echo "bench: BENCH_WEB_CALLS must be at least 2 and BENCH_WEB_BUSINESSES at least 1" >&2
  exit 1
fi

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_open_work frontdesk-web-bench 1

# The hashing pool: its threads and what one argon2id hash holds while it runs
# (crypto_pwhash_MEMLIMIT_INTERACTIVE, lib/owner/password.c).
hash_threads=$(awk '$1 == "#define" && $2 == "WEB_HASH_THREADS" { print $3 }' web/web.h)
hash_mib=64

sql() { psql -X -At -v ON_ERROR_STOP=1 "$FRONTDESK_DATABASE_URL" "$@"; }

# web_get NAME PATH [TOKEN]: wrk GETs PATH for $seconds (after a warm-up unless
# NO_WARMUP=1) and prints its BENCH line; fails when any request failed.
web_get() {
  local name=$1 url="$web_url$2" token=${3:-} line bad
  if [ "${NO_WARMUP:-0}" != 1 ]; then
    wrk -t1 -c"$conns" -d"${warmup_s}s" -s bench/web_get.lua "$url" -- "$token" \
      > "$work/$name-warmup.txt" 2>&1 || fail "wrk failed: $(tail -n 5 "$work/$name-warmup.txt")"
  fi
  wrk -t1 -c"$conns" -d"${seconds}s" --latency -s bench/web_get.lua "$url" -- "$token" \
    > "$work/$name.txt" 2>&1 || fail "wrk failed: $(tail -n 5 "$work/$name.txt")"
  line=$(grep '^BENCH ' "$work/$name.txt") || fail "wrk printed no BENCH line: $(tail -n 5 "$work/$name.txt")"
  bad=$(( $(field http_errors "$line") + $(field connect_errors "$line") + $(field read_errors "$line") +
          $(field write_errors "$line") + $(field timeouts "$line") ))
  [ "$bad" = 0 ] || fail "$name: $bad of $(field requests "$line") requests failed: $line"
  echo "$line" >&2
  echo "$line"
}

# floor_run NAME ARGS...: web_query_floor for $seconds on $conns connections; prints its
# FLOOR line; fails when a query failed.
floor_run() {
  local name=$1 line
  shift
  "$floor" "$1" "$business" "$seconds" "$conns" "${@:2}" > "$work/$name.txt" 2>&1 ||
    fail "web_query_floor $1 failed: $(tail -n 3 "$work/$name.txt")"
  line=$(grep '^FLOOR ' "$work/$name.txt") || fail "web_query_floor printed no FLOOR line"
  echo "$line" >&2
  echo "$line"
}

warn_if_busy

# --- set-up: services, schema, the businesses and their records -----------------------
say "web: private Redis and PostgreSQL in $work/services"
start_services
business=$("$ctl" tenant create --name "Bench Dental" --number +13125550100)
"$ctl" agent set --business "$business" --file docs/examples/dental-clinic.json >/dev/null 2>&1 ||
  fail "agent set failed"
echo "$password" > "$work/password"
"$ctl" user create --business "$business" --email owner@bench.test \
  --password-file "$work/password" >/dev/null || fail "user create failed"
say "web: $businesses businesses, $calls calls in one and $other_calls in each other"
load_start=$(date +%s)
sql -q -v business="$business" -v calls="$calls" -v days="$days" -v logins="$logins" \
  -v others=$(( businesses - 1 )) -v other_calls="$other_calls" -f bench/web_data.sql \
  > "$work/load.log" 2>&1 || fail "loading the data: $(tail -n 5 "$work/load.log")"
load_s=$(( $(date +%s) - load_start ))
counts=$(sql -F ' ' -c "SELECT (SELECT count(*) FROM businesses), (SELECT count(*) FROM call_logs),
  (SELECT count(*) FROM call_logs WHERE business_id = '$business'), (SELECT count(*) FROM conversation_history),
  (SELECT count(*) FROM bookings), (SELECT count(*) FROM messages), (SELECT count(*) FROM lead_scores)")
echo "businesses, calls, calls of the measured business, turns, bookings, messages, lead scores: $counts" >&2

# --- frontdesk-web, signed in -----------------------------------------------------------
web_port=$(free_port)
web_url=http://127.0.0.1:$web_port
FRONTDESK_WEB_LISTEN=127.0.0.1:$web_port "$web_bin" > "$work/web.log" 2>&1 &
web_pid=$!
started+=("$web_pid")
wait_http "$web_url/readyz"
login_body="{\"email\": \"owner@bench.test\", \"password\": \"$password\"}"
token=$(curl -s -X POST -H 'Content-Type: application/json' -d "$login_body" "$web_url/api/v1/login" |
  sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "the owner could not sign in (see $work/web.log)"
for i in $(seq "$logins"); do
  echo "{\"email\": \"login-$i@bench.test\", \"password\": \"$password\"}"
done > "$work/logins.txt"

# The deep page: the one after the ($deep)th call, newest first, as the list orders them.
position=$(sql -F ' ' -c "SELECT (extract(epoch FROM started_at) * 1000000)::bigint, id
  FROM call_logs WHERE business_id = '$business' ORDER BY started_at DESC, id DESC OFFSET $(( deep - 1 )) LIMIT 1")
# shellcheck disable=SC2086  # two words: the key and the id
cursor=$("$floor" cursor "$business" $position)
read -r range_from range_to < <(sql -F ' ' -c "SELECT d - $(( window_days - 1 )), d
  FROM (SELECT (now() AT TIME ZONE timezone)::date AS d FROM businesses WHERE id = '$business') t")
analytics_path="/api/v1/analytics?from=$range_from&to=$range_to"

# --- the measurements ---------------------------------------------------------------------
say "web: GET /healthz, wrk -t1 -c$conns -d${seconds}s"
healthz=$(web_get healthz /healthz)
say "web: GET /api/v1/calls, first page"
calls_first=$(web_get calls-first /api/v1/calls "$token")
calls_first_floor=$(floor_run calls-first-floor calls)
say "web: GET /api/v1/calls, the page after call $deep"
calls_deep=$(web_get calls-deep "/api/v1/calls?cursor=$cursor" "$token")
calls_deep_floor=$(floor_run calls-deep-floor calls "$cursor")
say "web: GET $analytics_path"
analytics=$(web_get analytics "$analytics_path" "$token")
analytics_floor=$(floor_run analytics-floor analytics "$range_from" "$range_to")
say "web: GET /api/v1/me"
me_idle=$(web_get me-idle /api/v1/me "$token")
rss_idle_kib=$(status_kib "$web_pid" VmRSS)

say "web: GET /api/v1/me while $logins logins hash at once"
"$login_load" 127.0.0.1 "$web_port" "$logins" $(( seconds + 3 )) "$work/logins.txt" \
  > "$work/logins.out" 2> "$work/logins.err" &
login_pid=$!
started+=("$login_pid")
sleep 1.5           # every login in flight, the hashing pool busy
me_busy=$(NO_WARMUP=1 web_get me-hashing /api/v1/me "$token")
rss_hashing_kib=$(status_kib "$web_pid" VmRSS)
wait "$login_pid" || fail "login_load failed: $(cat "$work/logins.err")"
stop_pid "$login_pid"
login_line=$(grep '^LOGINS ' "$work/logins.out") || fail "login_load printed no LOGINS line"
echo "$login_line" >&2
login_bad=$(( $(field not_ok "$login_line") + $(field errors "$login_line") ))
[ "$login_bad" = 0 ] || fail "$login_bad logins failed: $login_line $(head -c 600 "$work/logins.err")"
rss_kib=$(status_kib "$web_pid" VmRSS)
hwm_kib=$(status_kib "$web_pid" VmHWM)
stop_pid "$web_pid"
errors=$(grep -c '"level":"error"' "$work/web.log" || true)
[ "$errors" = 0 ] || fail "frontdesk-web logged $errors errors: $(grep -m 3 '"level":"error"' "$work/web.log")"

# --- summary ----------------------------------------------------------------------------------
ms() { awk -v us="$(field "$1" "$2")" 'BEGIN { printf "%.1f", us / 1000 }'; }
awk -v calls="$calls" -v businesses="$businesses" -v conns="$conns" -v seconds="$seconds" \
    -v load_s="$load_s" -v deep="$deep" -v days="$window_days" -v logins="$logins" \
    -v hz50="$(ms p50_us "$healthz")" -v hz99="$(ms p99_us "$healthz")" \
    -v cf50="$(ms p50_us "$calls_first")" -v cf99="$(ms p99_us "$calls_first")" \
    -v cff50="$(ms p50_us "$calls_first_floor")" -v cff99="$(ms p99_us "$calls_first_floor")" \
    -v cd50="$(ms p50_us "$calls_deep")" -v cd99="$(ms p99_us "$calls_deep")" \
    -v cdf50="$(ms p50_us "$calls_deep_floor")" -v cdf99="$(ms p99_us "$calls_deep_floor")" \
    -v an50="$(ms p50_us "$analytics")" -v an99="$(ms p99_us "$analytics")" \
    -v anf50="$(ms p50_us "$analytics_floor")" -v anf99="$(ms p99_us "$analytics_floor")" \
    -v me50="$(ms p50_us "$me_idle")" -v me99="$(ms p99_us "$me_idle")" \
    -v mb50="$(ms p50_us "$me_busy")" -v mb99="$(ms p99_us "$me_busy")" \
    -v lg_ok="$(field ok "$login_line")" -v lg_rate="$(field rate "$login_line")" \
    -v lg50="$(ms p50_us "$login_line")" -v lg99="$(ms p99_us "$login_line")" \
    -v rss_idle="$rss_idle_kib" -v rss_hashing="$rss_hashing_kib" -v rss="$rss_kib" -v hwm="$hwm_kib" \
    -v hash_threads="$hash_threads" -v hash_mib="$hash_mib" -v ncpu="$(nproc)" -v busy="$busy_before" '
function goal(x, limit) { return x < limit ? "met" : "MISSED" }
function row(name, p50, p99, limit, f50, f99) {
  printf "%-22s: p50 %5.1f ms, p99 %5.1f ms (goal p99 < %d ms: %s) = %.2f x the query alone (p50 %.1f ms, p99 %.1f ms), %.0f x /healthz\n",
    name, p50, p99, limit, goal(p99, limit), p99 / (f99 > 0 ? f99 : 0.1), f50, f99, p99 / (hz99 > 0 ? hz99 : 0.1)
}
BEGIN {
  pool = hash_threads * hash_mib
  printf "\n"
  printf "data                  : %d calls in one of %d businesses, loaded in %d s; wrk -t1 -c%d, %d s a figure\n", calls, businesses, load_s, conns, seconds
  printf "%-22s: p50 %5.1f ms, p99 %5.1f ms (the floor: no database)\n", "/healthz", hz50, hz99
  row("calls, first page", cf50, cf99, 20, cff50, cff99)
  row(sprintf("calls, after %d", deep), cd50, cd99, 20, cdf50, cdf99)
  row(sprintf("analytics, %d days", days), an50, an99, 50, anf50, anf99)
  printf "%-22s: p50 %5.1f ms, p99 %5.1f ms alone; p50 %.1f ms, p99 %.1f ms while %d logins hash (goal p99 < 25 ms: %s) = %.2f x alone\n", "/me", me50, me99, mb50, mb99, logins, goal(mb99, 25), mb99 / (me99 > 0 ? me99 : 0.1)
  printf "%-22s: %d signed in, %.1f/s, p50 %.0f ms, p99 %.0f ms (%d hashing threads)\n", "logins", lg_ok, lg_rate, lg50, lg99, hash_threads
  printf "%-22s: %.1f MiB RSS at rest (goal < 64 MiB: %s), %.1f MiB while hashing, %.1f MiB after, %.1f MiB peak (goal < 64 + %d x %d = %d MiB: %s)\n", "resident memory", rss_idle / 1024, goal(rss_idle / 1024, 64), rss_hashing / 1024, rss / 1024, hwm / 1024, hash_threads, hash_mib, 64 + pool, goal(hwm / 1024, 64 + pool)
  printf "%-22s: %d cores shared by wrk, PostgreSQL, Redis and frontdesk-web; %d%% busy with other work before the run\n", "machine", ncpu, busy
}'
