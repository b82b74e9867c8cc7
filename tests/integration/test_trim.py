"""lua/worker_trim.lua on a real Redis: processed events older than an hour go; pending,
undelivered and recent ones stay."""
import os
import time

from harness import ROOT, env

E = env()
R = E.redis()
TRIM = open(os.path.join(ROOT, "lua", "worker_trim.lua")).read()
HOUR_MS = 3600 * 1000


def stream(name):
    key = f"fd:{{s001}}:t:trim-{name}:events"
    R.delete(key)
    return key


def test_only_processed_entries_older_than_an_hour_are_trimmed():
    key = stream("a")
    old = int(time.time() * 1000) - 2 * HOUR_MS
    ids = [R.xadd(key, {"n": str(i)}, id=f"{old + i}-0") for i in range(10)]
    recent = R.xadd(key, {"n": "recent"})
    R.xgroup_create(key, "workers", id="0")
    R.xreadgroup("workers", "owner", {key: ">"}, count=6)    # 6 old ones delivered
    R.xack(key, "workers", *ids[:3])                          # 3 of them processed
    removed = R.eval(TRIM, 1, key, str(HOUR_MS))
    assert removed == 3
    left = [e[0] for e in R.xrange(key)]
    assert left == ids[3:] + [recent]     # pending (3..5), undelivered (6..9) and recent stay


def test_recent_processed_entries_stay_for_an_hour():
    key = stream("b")
    ids = [R.xadd(key, {"n": str(i)}) for i in range(5)]
    R.xgroup_create(key, "workers", id="0")
    R.xreadgroup("workers", "owner", {key: ">"})
    R.xack(key, "workers", *ids)
    assert R.eval(TRIM, 1, key, str(HOUR_MS)) == 0
    assert R.xlen(key) == 5


def test_a_stream_nobody_read_is_kept_whole():
    key = stream("c")
    old = int(time.time() * 1000) - 2 * HOUR_MS
    R.xadd(key, {"n": "1"}, id=f"{old}-0")
    assert R.eval(TRIM, 1, key, str(HOUR_MS)) == 0
    assert R.xlen(key) == 1
