"""Fairness: one business floods its stream while another has a live call; the live
call's turns are served within one round of the flood, not after it."""
import time
import uuid

import msgpack

import harness
from apihelp import events_key, ready_key
from harness import Sim, Worker, ctl, env, private_redis, start_api, wait_for

E = env()
FLOOD = 20000


def create_tenant(e, name, redis_url):
    """A business whose number is routed by the given (private) Redis."""
    number = harness.random_number()
    r = ctl(e, "tenant", "create", "--name", name, "--number", number,
            extra_env={"FRONTDESK_REDIS_URL": redis_url})
    assert r.returncode == 0, r.stderr
    return r.stdout.strip(), [number]


def stack(**worker_env):
    """api, simulator and one worker on a Redis of their own, so that the fair share
    counts only this test's tenants."""
    svc = private_redis()
    url = {"FRONTDESK_REDIS_URL": svc.redis_url}
    api = start_api(E, **url)
    sim = Sim(E, api)
    worker = Worker(E, sim, name="first", **url, **worker_env)
    return svc, url, api, sim, worker


def flood(r, business_id):
    """FLOOD events for 100 calls of business_id, appended as the api would (the
    enqueue script's effects: entries, ready mark, notification)."""
    key = events_key(business_id)
    pipe = r.pipeline(transaction=False)
    for i in range(FLOOD):
        call = f"v3:flood-{i % 100}"
        body = msgpack.packb({"v": 1, "type": "call.speak.started", "eid": f"flood-{i}",
                              "at": "2026-11-28T10:00:00Z", "call_control_id": call})
        pipe.xadd(key, {"type": "call.speak.started", "eid": f"flood-{i}", "call": call,
                        "at": "2026-11-28T10:00:00Z", "body": body})
        if i % 1000 == 999:
            pipe.execute()
    pipe.execute()
    r.zadd(ready_key(business_id), {business_id: int(time.time() * 1000)}, nx=True)
    r.publish("fd:events", business_id)


def backlog(r, business_id):
    g = [g for g in r.xinfo_groups(events_key(business_id)) if g["name"] == b"workers"][0]
    return (g["lag"] or 0) + g["pending"]


def test_a_flood_of_one_business_does_not_delay_another_businesss_live_call():
    svc, url, api, sim, worker = stack(FRONTDESK_QUANTUM=32)
    r = svc.redis()
    flooder, _ = create_tenant(E, "Flood Corp", svc.redis_url)
    bid, numbers = create_tenant(E, "Live Call Dental", svc.redis_url)
    # the flooder's stream exists with its consumer group, as the api makes it
    r.xgroup_create(events_key(flooder), "workers", id="0", mkstream=True)
    flood(r, flooder)
    wait_for(lambda: worker.metric("frontdesk_worker_leases_held") >= 1, what="the flooder owned")
    start = time.time()
    call = sim.call(numbers[0], "+15550002222",
                    [{"say": "What are your hours?"}, {"say": "And on Saturday?"}, {"say": "bye"}])
    rec = sim.wait_ended(call, timeout=60)
    took = time.time() - start
    left = backlog(r, flooder)
    # the flood was still being worked through while the call went on
    assert left > 0, "the flood finished before the call: the test proves nothing"
    # each caller turn was answered promptly: the reply speak follows the caller's final words
    speaks = [c for c in rec["commands"] if c["command"] == "speak" and not c.get("duplicate")]
    finals = [t for t in rec["transcript"] if t["speaker"] == "caller"]
    assert len(finals) == 3 and len(speaks) == 4
    gaps = [speaks[i + 1]["at"] - finals[i]["at"] for i in range(3)]
    assert max(gaps) < 1.0, gaps
    print(f"call took {took:.1f}s; reply gaps {[round(g, 3) for g in gaps]}; flood left {left} of {FLOOD}")
    # and the flood itself is fully processed afterwards
    wait_for(lambda: backlog(r, flooder) == 0, timeout=240, step=0.5, what="the flood processed")
    assert worker.stop() == 0
    assert sim.stop() == 0
    assert api.stop() == 0


def test_a_new_worker_takes_its_fair_share_and_the_calls_go_on():
    svc, url, api, sim, first = stack(FRONTDESK_SILENCE_MS=20000)
    tenants = [create_tenant(E, f"Share {i}", svc.redis_url) for i in range(6)]
    calls = [sim.call(numbers[0], "+15550003333", [{"say": "hello"}, {"pause_ms": 6000}, {"say": "bye"}])
             for _, numbers in tenants]
    wait_for(lambda: first.metric("frontdesk_worker_leases_held") == 6, what="first owns all six")
    second = Worker(E, sim, name="second", FRONTDESK_SILENCE_MS=20000, **url)
    wait_for(lambda: second.metric("frontdesk_worker_leases_held") >= 2, timeout=15,
             what="the second worker took its share")
    assert first.metric("frontdesk_worker_leases_held") <= 4
    assert first.metric("frontdesk_worker_leases_released_total") >= 2
    for call in calls:                       # the moved calls went on where they were
        rec = sim.wait_ended(call, timeout=30)
        assert [t["text"] for t in rec["transcript"] if t["speaker"] == "caller"] == ["hello", "bye"]
        assert rec["hangup_source"] == "callee"
    assert second.metric("frontdesk_worker_events_total") > 0
    for p in (second, first, sim, api):
        assert p.stop() == 0
