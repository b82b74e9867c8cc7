# shellcheck shell=bash
# bench/lib.sh: the set-up the service benchmarks share (bench/run-bench.sh,
# bench/run-calls-bench.sh), sourced from the repository root after `set -euo pipefail`.
# bench_open_work makes the temp folder and arms the clean-up that stops, by PID, what
# the script started (PIDs appended to `started`) and its private Redis and PostgreSQL.
# Needs $ctl (frontdesk-ctl) for start_services.

# bench_open_work NAME KEEP_ON_FAILURE: $work = a new /tmp/NAME.XXXXXX; on exit it is
# removed unless BENCH_KEEP=1 (or, with KEEP_ON_FAILURE=1, the script failed).
bench_open_work() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$work"   # PostgreSQL runs as user postgres and must reach services/
  started=()          # PIDs this script started, stopped by cleanup()
  keep_on_failure=$2
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

stop_pid() {  # stop_pid PID: TERM, then KILL after 10 s; forgets the PID
  local pid=$1 kept=() p
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  for p in "${started[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  started=("${kept[@]}")
}

cleanup() {
  local rc=$?
  local pid
  for pid in "${started[@]}"; do stop_pid "$pid"; done
  ops/services.sh stop "$work/services" >/dev/null 2>&1 || true
  if [ "${BENCH_KEEP:-0}" = 1 ] || { [ "$keep_on_failure" = 1 ] && [ "$rc" != 0 ]; }; then
    echo "bench: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}

fail() { echo "bench: FAILED: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

status_kib() {  # status_kib PID VmRSS|VmHWM
  awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

wait_http() {  # wait_http URL: until it answers 200, at most 10 s
  for _ in $(seq 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" 2>/dev/null)" = 200 ] && return 0
    sleep 0.05
  done
  fail "$1 did not answer 200 within 10 s"
}

field() {  # field NAME LINE: the value of NAME=value in a BENCH, PACED or CALLS line
  echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# Share of all cores busy over one second: another process's load inflates every figure
# a benchmark takes, so its summary says so.
cpu_busy_pct() {
  local a b
  a=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  sleep 1
  b=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  echo "$a $b" | awk '{ busy = $3 - $1; idle = $4 - $2; printf "%.0f\n", 100 * busy / (busy + idle) }'
}

warn_if_busy() {  # sets busy_before; warns above 10 %
  busy_before=$(cpu_busy_pct)
  [ "$busy_before" -le 10 ] ||
    echo "bench: WARNING: the machine is already ${busy_before}% busy; the figures will be inflated" >&2
}

# Private Redis and PostgreSQL in $work/services, their variables exported (REDIS_PORT,
# FRONTDESK_DATABASE_URL, ...), and the schema migrated.
start_services() {
  ops/services.sh start "$work/services" >/dev/null
  set -a
  # shellcheck disable=SC1091
  . "$work/services/env"
  set +a
  # shellcheck disable=SC2154  # ctl is the sourcing script's
  "$ctl" migrate >"$work/migrate.log" 2>&1 || fail "migrate: $(tail -n 3 "$work/migrate.log")"
}
