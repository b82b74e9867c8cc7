"""frontdesk-ctl for an operator on call, against real Redis and PostgreSQL: status with
each business's outbox and lease owner (and --watch), the workers and their leases, one
call's state and a business's outbox decoded, and dead events shown decoded, replayed all at once, and purged by
date."""
import json
import signal
import subprocess
import os
import time
import uuid
import zlib

import msgpack

from harness import BIN, create_tenant, ctl, env, private_redis

E = env()


def key(bid, suffix, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:{suffix}"


def redis_now_ms(r):
    s, us = r.time()
    return s * 1000 + us // 1000


def test_status_shows_each_business_outbox_and_lease_owner():
    bid, _ = create_tenant(E)
    r = E.redis()
    for n in range(2):
        r.xadd(key(bid, "outbox"), {"table": "call_logs", "key": f"k{n}", "row": b"\x80"})
    r.set(key(bid, "lease"), "worker-7f3a:12", px=60000)
    got = ctl(E, "status", "--json")
    assert got.returncode == 0, got.stderr
    mine = [t for t in json.loads(got.stdout) if t["business_id"] == bid]
    assert len(mine) == 1 and mine[0]["outbox"] == 2 and mine[0]["owner"] == "worker-7f3a", mine
    table = ctl(E, "status")
    line = next(l for l in table.stdout.splitlines() if l.startswith(bid))
    assert line.split()[-2:] == ["2", "worker-7f3a"], line
    r.delete(key(bid, "lease"), key(bid, "outbox"))


def test_status_watch_repeats_until_interrupted():
    # Ctrl-C as at a terminal: a run started in the background inherits SIGINT ignored
    p = subprocess.Popen([os.path.join(BIN, "frontdesk-ctl"), "status", "--watch", "1"],
                         env=E.base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(2.6)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    assert out.count("BUSINESS") >= 2, out[:400]
    assert out.count("\n-- ") >= 1
    assert "AddressSanitizer" not in err
    bad = ctl(E, "status", "--watch", "0")
    assert bad.returncode == 2 and "--watch" in bad.stderr


def test_workers_shows_who_is_alive_when_last_heard_and_leases_held():
    svc = private_redis()
    r = svc.redis()
    now = redis_now_ms(r)
    r.zadd("fd:workers", {"alive-w": now - 1000, "quiet-w": now - 30000})
    owned = [str(uuid.uuid4()) for _ in range(3)]
    r.set(key(owned[0], "lease"), "alive-w:3", px=60000)
    r.set(key(owned[1], "lease"), "alive-w:3", px=60000)
    r.set(key(owned[2], "lease"), "gone-w:1", px=60000)
    got = ctl(E, "workers", "--json", extra_env={"FRONTDESK_REDIS_URL": svc.redis_url})
    assert got.returncode == 0, got.stderr
    rows = {w["worker"]: w for w in json.loads(got.stdout)}
    assert set(rows) == {"alive-w", "quiet-w", "gone-w"}, rows
    assert rows["alive-w"]["alive"] and rows["alive-w"]["leases"] == 2
    assert 0 <= rows["alive-w"]["heartbeat_age_ms"] < 5000
    assert not rows["quiet-w"]["alive"] and rows["quiet-w"]["leases"] == 0
    assert rows["gone-w"]["heartbeat_age_ms"] is None and rows["gone-w"]["leases"] == 1
    table = ctl(E, "workers", extra_env={"FRONTDESK_REDIS_URL": svc.redis_url})
    assert [l.split()[0] for l in table.stdout.splitlines()[1:]] == ["alive-w", "gone-w", "quiet-w"]


def dead_entry(r, bid, entry_id, n):
    body = {"type": "call.transcription", "id": f"ev-{n}", "transcript": "I need a cleaning",
            "n": n, "final": True}
    r.xadd(key(bid, "dead"), {"entry": f"{n}-0", "type": "call.transcription", "eid": f"ev-{n}",
                              "call": "v3:abc", "at": "2026-03-03T15:00:00Z",
                              "body": msgpack.packb(body), "error": "handler failed",
                              "deliveries": "6"}, id=entry_id)
    return body


def test_dead_show_decodes_replay_all_puts_back_and_purge_drops_older_ones():
    svc = private_redis()
    r = svc.redis()
    redis_env = {"FRONTDESK_REDIS_URL": svc.redis_url}
    bid = str(uuid.uuid4())
    first = dead_entry(r, bid, "1000000000000-0", 1)      # 2001
    dead_entry(r, bid, "1700000000000-0", 2)              # 2023
    dead_entry(r, bid, "*", 3)                            # now
    shown = ctl(E, "dead", "show", "--business", bid, "--id", "1000000000000-0", extra_env=redis_env)
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["body"] == first and doc["error"] == "handler failed" and doc["dead_id"] == "1000000000000-0"
    missing = ctl(E, "dead", "show", "--business", bid, "--id", "1-0", extra_env=redis_env)
    assert missing.returncode == 1 and "no dead entry" in missing.stderr
    purged = ctl(E, "dead", "purge", "--business", bid, "--before", "2020-01-01T00:00:00Z", extra_env=redis_env)
    assert purged.returncode == 0 and "purged 1 " in purged.stdout, purged.stdout + purged.stderr
    assert [e[0] for e in r.xrange(key(bid, "dead"))][0] == b"1700000000000-0"
    replayed = ctl(E, "dead", "replay", "--business", bid, "--all", extra_env=redis_env)
    assert replayed.returncode == 0, replayed.stderr
    assert r.xlen(key(bid, "dead")) == 0
    back = [f for _, f in r.xrange(key(bid, "events"))]
    assert [f[b"replayed_from"] for f in back][0] == b"1700000000000-0" and len(back) == 2
    assert [msgpack.unpackb(f[b"body"])["n"] for f in back] == [2, 3]


def test_dead_usage_errors_say_what_is_missing():
    bid = str(uuid.uuid4())
    for args, words in ((["replay", "--business", bid], "--all"),
                        (["replay", "--business", bid, "--id", "1-0", "--all"], "--all"),
                        (["purge", "--business", bid], "--before"),
                        (["purge", "--business", bid, "--before", "yesterday"], "--before"),
                        (["show", "--business", bid], "--id"),
                        (["bury", "--business", bid], "purge")):
        r = ctl(E, "dead", *args)
        assert r.returncode == 2 and words in r.stderr, (args, r.stderr)


def test_call_show_prints_one_call_state_with_the_receptionist_memory_decoded():
    svc = private_redis()
    r = svc.redis()
    bid, call = str(uuid.uuid4()), "v3:" + uuid.uuid4().hex
    memory = {"intent": "booking", "service": "Cleaning", "asked": ["hours"]}
    r.hset(key(bid, "call:" + call), mapping={"phase": "listening", "turns": "3", "rx": msgpack.packb(memory),
                                              "llm": json.dumps([{"role": "user", "content": "hi"}])})
    r.set(key(bid, "lease"), "worker-2:5", px=60000)
    redis_env = {"FRONTDESK_REDIS_URL": svc.redis_url}
    got = ctl(E, "call", "show", "--business", bid, "--call", call, extra_env=redis_env)
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)
    assert doc["owner"] == "worker-2:5" and doc["call"] == call
    assert doc["state"]["phase"] == "listening" and doc["state"]["turns"] == "3"
    assert doc["state"]["rx"] == memory and doc["state"]["llm"][0]["content"] == "hi"
    gone = ctl(E, "call", "show", "--business", bid, "--call", "v3:nothing", extra_env=redis_env)
    assert gone.returncode == 1 and "no call" in gone.stderr
    assert ctl(E, "call", "show", "--business", bid).returncode == 2


def test_outbox_counts_a_business_records_and_decodes_the_first_ones():
    svc = private_redis()
    r = svc.redis()
    bid = str(uuid.uuid4())
    for n in range(3):
        r.xadd(key(bid, "outbox"), {"table": "messages", "key": f"k{n}",
                                    "row": msgpack.packb({"body": f"call me back {n}", "urgent": n == 0})})
    redis_env = {"FRONTDESK_REDIS_URL": svc.redis_url}
    got = ctl(E, "outbox", "--business", bid, "--limit", "2", extra_env=redis_env)
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)
    assert doc["length"] == 3 and len(doc["first"]) == 2
    assert doc["first"][0]["table"] == "messages" and doc["first"][0]["key"] == "k0"
    assert doc["first"][0]["row"] == {"body": "call me back 0", "urgent": True}
    empty = json.loads(ctl(E, "outbox", "--business", str(uuid.uuid4()), extra_env=redis_env).stdout)
    assert empty["length"] == 0 and empty["first"] == []
    assert ctl(E, "outbox", "--business", bid, "--limit", "0").returncode == 2
