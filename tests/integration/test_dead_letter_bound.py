"""A business whose every event fails must not fill Redis (a full Redis stops intake for
every business): its dead stream keeps about the last 10,000 entries. lua/worker_dead_letter.lua
runs as the worker runs it, on a real Redis of its own."""
import os
import uuid

from harness import ROOT, private_redis

SCRIPT = os.path.join(ROOT, "lua", "worker_dead_letter.lua")
BOUND = 10000


def test_the_dead_stream_keeps_about_the_last_10000_and_the_newest_always():
    svc = private_redis()
    r = svc.redis()
    with open(SCRIPT, encoding="utf-8") as f:
        sha = r.script_load(f.read())
    p = f"fd:{{s001}}:t:{uuid.uuid4()}:"
    keys = [p + "lease", p + "events", p + "dead", p + "attempts"]
    r.set(keys[0], "w-1:1")
    r.xgroup_create(keys[1], "workers", id="0", mkstream=True)
    total = BOUND + 1500
    pipe = r.pipeline(transaction=False)
    for n in range(total):
        pipe.evalsha(sha, 4, *keys, "w-1:1", f"{n + 1}-0", "handler failed", "6", "call.hangup",
                     f"ev-{n}", "v3:x", "2026-03-03T15:00:00Z", b"\x80")
        if n % 1000 == 999:
            pipe.execute()
    pipe.execute()
    kept = r.xlen(keys[2])
    assert BOUND <= kept < BOUND + 1000, kept          # "~": whole nodes go, never too many
    newest = r.xrevrange(keys[2], count=1)[0][1]
    assert newest[b"eid"] == f"ev-{total - 1}".encode()
    oldest = r.xrange(keys[2], count=1)[0][1]
    assert int(oldest[b"eid"][3:]) >= total - kept     # what went were the oldest
