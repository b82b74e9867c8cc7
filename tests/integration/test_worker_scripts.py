"""The worker's lease scripts on a real Redis: who owns a tenant, and that a released
tenant with anything left to do is offered to the other workers again."""
import os
import time
import uuid

from harness import ROOT, env

E = env()
R = E.redis()


def script(name):
    with open(os.path.join(ROOT, "lua", name + ".lua")) as f:
        return f.read()


ACQUIRE, RENEW, RELEASE, REAP = (script(n) for n in ("worker_acquire", "worker_renew",
                                                     "worker_release", "worker_reap"))


def keys(shard=7):
    b = str(uuid.uuid4())
    p = f"fd:{{s{shard:03d}}}"
    return b, {"lease": f"{p}:t:{b}:lease", "epoch": f"{p}:t:{b}:epoch", "owned": f"{p}:owned",
               "ready": f"{p}:ready", "events": f"{p}:t:{b}:events", "timers": f"{p}:t:{b}:timers",
               "outbox": f"{p}:t:{b}:outbox", "sms": f"{p}:t:{b}:sms", "sms_later": f"{p}:t:{b}:sms_later"}


def acquire(k, b, worker, lease_ms=10000):
    return R.eval(ACQUIRE, 4, k["lease"], k["epoch"], k["owned"], k["ready"], b, worker, str(lease_ms))


def release(k, b, value):
    return R.eval(RELEASE, 8, k["lease"], k["owned"], k["ready"], k["events"], k["timers"], k["outbox"],
                  k["sms"], k["sms_later"], b, value)


def test_one_owner_at_a_time_with_a_new_epoch_each_time():
    b, k = keys()
    R.zadd(k["ready"], {b: 1})
    first = acquire(k, b, "w1")
    assert first == b"w1:1"
    assert acquire(k, b, "w2") is None                    # owned: refused
    assert R.zscore(k["ready"], b) is None and R.zscore(k["owned"], b) is not None
    assert R.eval(RENEW, 2, k["lease"], k["owned"], b, "w2:1", "10000") == 0   # not w2's
    assert R.eval(RENEW, 2, k["lease"], k["owned"], b, "w1:1", "10000") == 1
    assert release(k, b, "w1:1") == 1
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


def test_an_expired_lease_is_reaped_back_to_ready():
    b, k = keys(shard=9)
    acquire(k, b, "w1", lease_ms=1000)
    time.sleep(1.6)
    assert R.eval(REAP, 2, k["owned"], k["ready"], "500") >= 1
    assert R.zscore(k["ready"], b) is not None and R.zscore(k["owned"], b) is None


def test_the_first_kept_model_calls_win_and_expire():
    """lua/llm_calls_keep.lua: a replayed model turn gets the calls its first attempt kept."""
    keep = script("llm_calls_keep")
    key = f"fd:{{s007}}:t:{uuid.uuid4()}:llmcalls:{uuid.uuid4()}"
    first, second = '{"r":"a","c":[{"i":"1","n":"book","a":"{}"}]}', '{"r":"a","c":[]}'
    assert R.eval(keep, 1, key, first, "60000") is None
    assert R.eval(keep, 1, key, second, "60000") == first.encode()
    assert R.get(key) == first.encode()
    assert 0 < R.pttl(key) <= 60000
