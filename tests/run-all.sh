#!/usr/bin/env bash
# Runs every suite of `make test` against the sanitizer build and ends with one line
# "N passed, N failed" that adds up every test of every suite. Exit status 1 on any
# failure. Each suite prints its own "N passed, N failed" line; we add them up.
set -uo pipefail
cd "$(dirname "$0")/.."
export FD_BIN=${FD_BIN:-$PWD/build/san/bin}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
FUZZ_SECONDS=${FUZZ_SECONDS:-12}

total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the last "N passed, N failed" line of $log to the totals; a suite that ended
# without one (it crashed) counts as one failure.
tally() {
  local name=$1 line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "FAIL $name: ended without a summary line"
    total_fail=$((total_fail + 1))
    return
  fi
  local p f
  p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
}

echo "== repository checks"
/usr/bin/python3 tests/integration/run.py --dir tests/repo > "$log" 2>&1
sed 's/^/  /' "$log"
tally repository

echo "== unit tests"
# One binary per tests/unit/test_*.c: a binary left in build/ by a removed test is not
# run, and a test that did not build is a failure.
for src in tests/unit/test_*.c; do
  t=build/san/tests/$(basename "$src" .c)
  if [ ! -x "$t" ]; then
    echo "  FAIL $(basename "$t"): not built"
    total_fail=$((total_fail + 1))
    continue
  fi
  "$t" > "$log" 2>&1
  rc=$?
  sed 's/^/  /' "$log" | grep -v -E '^  [0-9]+ passed, [0-9]+ failed$' || true
  echo "  $(basename "$t"): $(grep -E '^[0-9]+ passed' "$log" | tail -n 1)"
  tally "$(basename "$t")"
  if [ $rc -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9]' "$log"; then
    total_fail=$((total_fail + 1))   # crashed after printing a clean summary
  fi
done

echo "== fuzz (${FUZZ_SECONDS}s per target, $(nproc) at a time)"
# The targets share nothing, so they run side by side, one per core; each reports in
# the order of its name once all have ended.
fuzz_dir=$(mktemp -d)
fuzz_one() {
  local f=$1 name corpus rc
  name=$(basename "$f")
  corpus="$fuzz_dir/$name.corpus"
  mkdir -p "$corpus"
  [ -d "tests/fuzz/corpus/${name#fuzz_}" ] && cp tests/fuzz/corpus/"${name#fuzz_}"/* "$corpus"/ 2>/dev/null
  "$f" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=0 \
       -artifact_prefix="$corpus/" "$corpus" > "$fuzz_dir/$name.log" 2>&1
  rc=$?
  echo "$rc" > "$fuzz_dir/$name.rc"
}
running=0
for f in build/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  fuzz_one "$f" &
  running=$((running + 1))
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
for f in build/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  if [ "$(cat "$fuzz_dir/$name.rc" 2>/dev/null)" = "0" ]; then
    echo "  ok   $name"
    total_pass=$((total_pass + 1))
  else
    echo "  FAIL $name"
    tail -n 40 "$fuzz_dir/$name.log" | sed 's/^/    /'
    total_fail=$((total_fail + 1))
  fi
done
rm -rf "$fuzz_dir"

# The integration files in two shares side by side, the browser journeys after the
# first: every file brings up its own servers on free ports in its own folders, and
# most of a file's time is spent waiting on real-time calls, not on the cores.
int1=$(mktemp) int2=$(mktemp) browser=$(mktemp)
# The browser journeys take about 150 s after the first share: it carries them.
carry="--carry 1=150"
( /usr/bin/python3 tests/integration/run.py --shard 1/2 $carry "$@" > "$int1" 2>&1
  /usr/bin/python3 tests/integration/run.py --dir tests/browser > "$browser" 2>&1 ) &
first=$!
/usr/bin/python3 tests/integration/run.py --shard 2/2 $carry "$@" > "$int2" 2>&1 &
second=$!
wait "$first" "$second"
for part in "integration tests (first share):$int1" "integration tests (second share):$int2" \
            "browser journeys (the dashboard in Chromium):$browser"; do
  echo "== ${part%%:*}"
  cat "${part#*:}"
  cp "${part#*:}" "$log"
  tally "${part%%:*}"
  rm -f "${part#*:}"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
