"""The reliability list's scenarios (docs/design.md, "Reliability"), on real processes:
Redis killed with SIGKILL under load loses no webhook the api acknowledged; the
workers' Redis connections killed and Redis stalled again and again while calls go on
change no call's outcome and record everything once; a dead letter replayed twice at
once is handled once; the stream trim racing a live consumer for a minute removes
nothing unread."""
import os
import random
import signal
import subprocess
import threading
import time
import uuid

import redis

import harness
import workerhelp as wh
from apihelp import call_payload
from harness import ROOT, env, post_webhook, private_redis, start_api, wait_for, webhook

E = env()


def test_redis_killed_with_sigkill_under_load_loses_no_acknowledged_webhook():
    svc = private_redis()
    api = start_api(E, FRONTDESK_REDIS_URL=svc.redis_url)
    r = svc.redis()
    tenants = [wh.create_tenant_at(E, redis_url=svc.redis_url) for _ in range(3)]
    acked, refused, stop = [], [], threading.Event()
    lock = threading.Lock()

    def sender(k):
        n = 0
        while not stop.is_set():
            bid, number = tenants[(k + n) % len(tenants)]
            eid = str(uuid.uuid4())
            body = webhook("call.initiated", call_payload(number, f"+1555990{k:02d}{n % 100:02d}",
                                                          call_id=f"v3:kill-{k}-{n}"), event_id=eid)
            n += 1
            try:
                status = post_webhook(E, api, body)[0]
            except OSError:
                status = 0
            with lock:
                (acked if status == 200 else refused).append((bid, eid))

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)
        with lock:
            before_kill = len(acked)
        svc.stop_redis(signal.SIGKILL)
        time.sleep(1.0)
        svc.start_redis_again()
        wait_for(lambda: len(acked) > before_kill + 50, timeout=20, what="webhooks acknowledged again")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=10)
    assert before_kill > 50 and refused, (before_kill, len(refused))
    in_streams = set()
    for bid, _ in tenants:
        in_streams |= {f[b"eid"].decode() for _, f in r.xrange(wh.events_key(bid))}
    lost = [eid for _, eid in acked if eid not in in_streams]
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged webhooks lost, e.g. {lost[:3]}"
    print(f"    {len(acked)} webhooks acknowledged ({before_kill} before the SIGKILL), {len(refused)} refused "
          f"while Redis was down, none lost")
    assert api.stop() == 0


def _chaos(redis_port, stop, counts):
    """Until stop: kills every client connection but its own, or stalls Redis for 300 ms."""
    c = redis.Redis(host="127.0.0.1", port=redis_port)
    rng = random.Random(7)
    while not stop.is_set():
        time.sleep(rng.uniform(0.2, 0.6))
        try:
            if rng.random() < 0.5:
                counts["killed"] += c.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
            else:
                c.execute_command("DEBUG", "SLEEP", "0.3")
                counts["stalls"] += 1
        except redis.exceptions.RedisError:
            pass


def test_worker_connections_killed_and_redis_stalled_mid_commit_change_no_call():
    svc = private_redis()
    with wh.Stack(E, redis_url=svc.redis_url) as st:
        for i in range(2):
            st.worker(f"chaos{i}", FRONTDESK_SILENCE_MS=60000)
        tenants = []
        for _ in range(2):
            bid, num = wh.create_tenant_at(E, redis_url=st.redis_url)
            st.tenants.append(bid)
            tenants.append((bid, num))
        script = [{"say": "What are your opening hours?"}, {"say": "Do you take walk-ins?"},
                  {"say": "Great, thanks, bye"}]
        stop, counts = threading.Event(), {"killed": 0, "stalls": 0}
        chaos = threading.Thread(target=_chaos, args=(svc.redis_port, stop, counts))
        chaos.start()
        calls = {}
        try:
            for round_ in range(3):
                for i, (bid, num) in enumerate(tenants):
                    calls[st.sim.call(num, frm=f"+155599{round_}{i:04d}", script=script)] = bid
                time.sleep(2.0)
            for c in calls:
                st.sim.wait_ended(c, timeout=60)
        finally:
            stop.set()
            chaos.join(timeout=10)
        assert counts["killed"] > 0 and counts["stalls"] > 0, counts
        r = st.redis()
        problems = []
        for c, bid in calls.items():
            rec = st.sim.call_record(c)
            said = " ".join(t["text"] for t in rec["transcript"] if t["speaker"] == "agent").lower()
            if "bye" not in said:
                problems.append(f"{c}: no goodbye: {said[-200:]!r}")
            problems += [f"{c}: {p}" for p in wh.command_id_problems(rec)]
        assert not problems, "\n".join(problems)
        for c, bid in calls.items():
            wh.wait_records(st.database_url, bid, c, st.sim.call_record(c)["transcript"], timeout=30,
                            strict_order=False)
        for bid, _ in tenants:
            assert r.xlen(wh.tkey(bid, "dead")) == 0, "an event was dead-lettered"
        print(f"    {len(calls)} calls through {counts['killed']} killed connections and {counts['stalls']} "
              f"stalls of 300 ms: every call ended with its goodbye, each command and record once")


def test_a_dead_letter_replayed_twice_at_once_is_handled_once():
    svc = private_redis()
    with wh.Stack(E, redis_url=svc.redis_url) as st:
        bid, number = wh.create_tenant_at(E, redis_url=st.redis_url)
        st.tenants.append(bid)
        r = st.redis()
        # a texter's HELP, taken off the stream into the dead stream the way
        # worker_dead_letter.lua leaves one (no worker runs yet)
        st.sim.post("/_sim/messages", {"from": "+15558790002", "to": number, "text": "HELP"})
        events = wh.events_key(bid)
        got = wait_for(lambda: r.xrange(events), timeout=10, what="the text on the stream")
        entry_id, f = got[0]
        dead_id = r.xadd(wh.tkey(bid, "dead"), {"entry": entry_id, "type": f[b"type"], "eid": f[b"eid"],
                                                 "call": f[b"call"], "at": f[b"at"], "body": f[b"body"],
                                                 "error": "a handler failure, since fixed", "deliveries": "6"})
        r.xdel(events, entry_id)
        st.worker("replay")
        env_ = E.base_env(FRONTDESK_REDIS_URL=st.redis_url)
        cmd = [os.path.join(harness.BIN, "frontdesk-ctl"), "dead", "replay", "--business", bid,
               "--id", dead_id.decode()]
        procs = [subprocess.Popen(cmd, env=env_, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate(timeout=30) for p in procs]
        codes = sorted(p.returncode for p in procs)
        assert codes[0] == 0, outs
        assert r.xlen(wh.tkey(bid, "dead")) == 0
        wait_for(lambda: st.sim.texts_from(number), timeout=20, what="the answer to the replayed HELP")
        wait_for(lambda: wh.stream_done(r, bid), timeout=20, what="the replayed event handled")
        time.sleep(1.5)
        answers = [m for m in st.sim.texts_from(number) if m["to"] == "+15558790002"]
        assert len(answers) == 1, answers
        replayed = [i for i, f in r.xrange(events) if b"replayed_from" in f]
        assert len(replayed) == 1, f"replayed {len(replayed)} times"
        print(f"    two replays at once: exit codes {codes}, one stream entry, one answer")


def test_the_trim_racing_a_live_consumer_for_a_minute_removes_nothing_unread():
    svc = private_redis()
    r = svc.redis()
    with open(os.path.join(ROOT, "lua", "worker_trim.lua")) as f:
        trim = r.register_script(f.read())
    key = "fd:{s001}:t:trim-race:events"
    r.xgroup_create(key, "workers", id="0", mkstream=True)
    produced, read, trimmed, stop = [], set(), [0], threading.Event()

    def producer():
        p = redis.Redis(host="127.0.0.1", port=svc.redis_port)
        while not stop.is_set():
            produced.append(p.xadd(key, {"n": str(len(produced))}))
            time.sleep(random.uniform(0, 0.002))

    def consumer():
        c = redis.Redis(host="127.0.0.1", port=svc.redis_port)
        rng = random.Random(3)
        while not stop.is_set() or c.xinfo_groups(key)[0]["lag"]:
            got = c.xreadgroup("workers", "w1", {key: ">"}, count=rng.randint(1, 50), block=100)
            for _, entries in got:
                ids = [i for i, _ in entries]
                for i, fields in entries:
                    assert fields, f"{i} read without its fields: trimmed under the reader"
                    read.add(i)
                time.sleep(rng.uniform(0, 0.02))      # handling, with entries pending
                c.xack(key, "workers", *ids)

    def trimmer():
        t = redis.Redis(host="127.0.0.1", port=svc.redis_port)
        while not stop.is_set():
            trimmed[0] += trim(keys=[key], args=[0], client=t)     # nothing kept for its age
            time.sleep(0.001)

    threads = [threading.Thread(target=fn) for fn in (producer, consumer, trimmer)]
    for t in threads:
        t.start()
    time.sleep(60)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    unread = [i for i in produced if i not in read]
    assert not unread, f"{len(unread)} of {len(produced)} entries never read, e.g. {unread[:3]}"
    assert trimmed[0] > len(produced) // 2, (trimmed[0], len(produced))
    print(f"    60 s: {len(produced)} entries produced, all read; {trimmed[0]} trimmed meanwhile")
