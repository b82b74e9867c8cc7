"""The worker's lease scripts on a real Redis: who owns a tenant, that a lease stands
exactly while its holder is alive in the shard, and that a released tenant with anything
left to do is offered to the other workers again."""
import os
import time
import uuid

from harness import ROOT, env

E = env()
R = E.redis()


def script(name):
    with open(os.path.join(ROOT, "lua", name + ".lua")) as f:
        return f.read()


ACQUIRE, ALIVE, RELEASE = (script(n) for n in ("worker_acquire", "worker_alive", "worker_release"))


def keys(shard=7):
    b = str(uuid.uuid4())
    p = f"fd:{{s{shard:03d}}}"
    return b, {"lease": f"{p}:t:{b}:lease", "epoch": f"{p}:t:{b}:epoch", "owned": f"{p}:owned",
               "ready": f"{p}:ready", "events": f"{p}:t:{b}:events", "timers": f"{p}:t:{b}:timers",
               "outbox": f"{p}:t:{b}:outbox", "sms": f"{p}:t:{b}:sms", "sms_later": f"{p}:t:{b}:sms_later",
               "alive": f"{p}:alive", "owners": f"{p}:owners"}


def alive(k, worker, nonce="boot1", liveness_ms=10000, channel="fd:test-freed"):
    """Renews worker's liveness in k's shard: [was alive until now, tenants freed]."""
    return R.eval(ALIVE, 4, k["alive"], k["owners"], k["owned"], k["ready"], worker, nonce,
                  str(liveness_ms), channel)


def acquire(k, b, worker, nonce="boot1"):
    if R.hget(k["alive"], worker) is None:
        alive(k, worker, nonce)
    return R.eval(ACQUIRE, 6, k["lease"], k["epoch"], k["owned"], k["ready"], k["alive"], k["owners"],
                  b, worker, nonce)


def release(k, b, value):
    return R.eval(RELEASE, 9, k["lease"], k["owned"], k["ready"], k["events"], k["timers"], k["outbox"],
                  k["sms"], k["sms_later"], k["owners"], b, value)


def test_one_owner_at_a_time_with_a_new_epoch_each_time():
    b, k = keys()
    R.zadd(k["ready"], {b: 1})
    first = acquire(k, b, "w1")
    assert first == b"w1:1"
    assert acquire(k, b, "w2") is None                    # owned: refused
    assert R.zscore(k["ready"], b) is None and R.zscore(k["owned"], b) is not None
    assert R.hget(k["owners"], b) == b"w1"
    assert R.pttl(k["lease"]) == -1                        # it stands on w1's liveness
    assert release(k, b, "w1:1") == 1
    assert R.hget(k["owners"], b) is None
    assert acquire(k, b, "w2") == b"w2:2"                  # the epoch moved on


def test_a_released_tenant_with_records_left_is_ready_again():
    b, k = keys()
    value = acquire(k, b, "w1").decode()
    R.xadd(k["outbox"], {"table": "call_logs", "key": "k", "row": "r"})
    assert release(k, b, value) == 1
    assert R.zscore(k["ready"], b) is not None


def test_a_released_tenant_with_texts_not_sent_yet_is_ready_again():
    for key in ("sms", "sms_later"):
        b, k = keys()
        value = acquire(k, b, "w1").decode()
        if key == "sms":
            R.xadd(k["sms"], {"id": "x", "from": "+13125550100", "to": "+13125550101", "text": "hi"})
        else:
            R.zadd(k["sms_later"], {'["to","+13125550101"]': int(time.time() * 1000) + 36000000})
        assert release(k, b, value) == 1
        assert R.zscore(k["ready"], b) is not None, key


def test_a_released_tenant_with_a_live_call_timer_is_ready_again():
    b, k = keys()
    value = acquire(k, b, "w1").decode()
    R.zadd(k["timers"], {"v3:call": int(time.time() * 1000) + 5000})
    release(k, b, value)
    assert R.zscore(k["ready"], b) is not None


def test_a_released_tenant_with_unread_events_is_ready_again_and_an_idle_one_is_not():
    b, k = keys()
    R.xgroup_create(k["events"], "workers", id="0", mkstream=True)
    value = acquire(k, b, "w1").decode()
    assert release(k, b, value) == 1
    assert R.zscore(k["ready"], b) is None                 # nothing to do
    value = acquire(k, b, "w1").decode()
    R.xadd(k["events"], {"type": "call.hangup"})
    release(k, b, value)
    assert R.zscore(k["ready"], b) is not None


def test_a_stale_release_changes_nothing():
    b, k = keys()
    acquire(k, b, "w1")
    assert release(k, b, "w0:0") == 0
    assert R.get(k["lease"]) == b"w1:1"


def test_a_worker_not_alive_in_the_shard_cannot_claim():
    b, k = keys(shard=11)
    R.zadd(k["ready"], {b: 1})
    assert R.eval(ACQUIRE, 6, k["lease"], k["epoch"], k["owned"], k["ready"], k["alive"], k["owners"],
                  b, "w-never-alive", "boot1") is None
    assert R.exists(k["lease"]) == 0 and R.zscore(k["ready"], b) is not None   # still offered


def test_a_dead_workers_tenants_are_freed_and_offered_as_soon_as_its_liveness_lapses():
    b, k = keys(shard=9)
    dead, live = "w-dead-" + b[:8], "w-live-" + b[:8]
    alive(k, dead, liveness_ms=300)
    value = acquire(k, b, dead)
    alive(k, live)
    assert acquire(k, b, live) is None                     # its owner is alive: refused
    assert alive(k, live) == [1, 0]                        # nothing lapsed yet
    sub = R.pubsub()
    sub.subscribe("fd:test-freed")
    sub.get_message(timeout=1)                              # the subscription's confirmation
    time.sleep(0.4)
    assert alive(k, live) == [1, 1]                        # dead's one tenant freed
    assert R.zscore(k["ready"], b) is not None and R.zscore(k["owned"], b) is None
    assert R.hget(k["owners"], b) is None and R.hget(k["alive"], dead) is None
    msg = sub.get_message(timeout=1)
    assert msg is not None and msg["data"] == b.encode()   # offered to waiting claimers
    sub.close()
    assert R.get(k["lease"]) == value                      # until someone claims it ...
    taken = acquire(k, b, live)
    assert taken is not None and taken != value            # ... which a live worker may


def test_a_worker_whose_liveness_lapsed_finds_its_leases_freed_when_it_comes_back():
    b, k = keys(shard=12)
    worker = "w-paused-" + b[:8]
    alive(k, worker, liveness_ms=300)
    acquire(k, b, worker)
    time.sleep(0.4)                                         # paused past its liveness
    assert alive(k, worker, liveness_ms=300) == [0, 1]     # told: drop them
    assert R.zscore(k["ready"], b) is not None and R.hget(k["owners"], b) is None
    assert alive(k, worker, liveness_ms=300) == [1, 0]     # alive again from now on


def test_a_new_process_with_the_same_worker_id_does_not_inherit_leases():
    b, k = keys(shard=13)
    worker = "w-restarted-" + b[:8]
    acquire(k, b, worker, nonce="boot-old")
    assert alive(k, worker, nonce="boot-new") == [0, 1]    # the old process's leases freed
    assert R.zscore(k["ready"], b) is not None
    assert acquire(k, b, "w-other-" + b[:8]) is not None


def test_the_first_kept_model_calls_win_and_expire():
    """lua/llm_calls_keep.lua: a replayed model turn gets the calls its first attempt kept."""
    keep = script("llm_calls_keep")
    key = f"fd:{{s007}}:t:{uuid.uuid4()}:llmcalls:{uuid.uuid4()}"
    first, second = '{"r":"a","c":[{"i":"1","n":"book","a":"{}"}]}', '{"r":"a","c":[]}'
    assert R.eval(keep, 1, key, first, "60000") is None
    assert R.eval(keep, 1, key, second, "60000") == first.encode()
    assert R.get(key) == first.encode()
    assert 0 < R.pttl(key) <= 60000
