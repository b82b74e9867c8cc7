"""PostgreSQL faults that must not block a business, against a real worker, api and
simulator: a row lock held 30 s on business A delays only A's records (B's land within
seconds, A's once the lock is gone, nothing dead-lettered), and a record PostgreSQL
refuses goes to the tenant's dead outbox after five refusals, the records after it land,
and the tenant, idle, is released once and not taken again (its lease is not cycled)."""
import time
import uuid

import msgpack
import psycopg2

import workerhelp as wh
from harness import env, wait_for

E = env()
STACK = wh.Stack(E)
# An idle tenant is released after 3 s (30 s in production): a record left in its outbox
# would make it ready again at once, which is the cycling a refusal must not cause.
WORKER = STACK.worker("w1", FRONTDESK_IDLE_RELEASE_MS=3000)
R = STACK.redis()
SCRIPT = [{"say": "I'd like to leave a message for the dentist."}, {"say": "Thanks, goodbye."}]


def _tenant():
    bid, number = wh.create_tenant_at(E)
    STACK.tenants.append(bid)
    return bid, number


def _dead_outbox(bid):
    return R.xrange(wh.tkey(bid, "outbox_dead"))


def _ready_key(bid):
    return f"fd:{{s{wh.shard(bid):03d}}}:ready"


def _log():
    with open(WORKER.log_path, errors="replace") as f:
        return f.read()


def test_a_row_lock_held_30s_on_one_business_delays_only_its_records():
    a, num_a = _tenant()
    b, num_b = _tenant()
    locker = psycopg2.connect(E.database_url)      # not autocommit: the lock stays
    locker.cursor().execute("SELECT id FROM businesses WHERE id = %s FOR UPDATE", (a,))
    locked_at = time.time()
    try:
        call_a = STACK.sim.call(num_a, frm="+15557650301", script=SCRIPT)
        call_b = STACK.sim.call(num_b, frm="+15557650302", script=SCRIPT)
        rec_b = STACK.sim.wait_ended(call_b, timeout=30)
        ended_b = time.time()
        wh.wait_records(E.database_url, b, call_b, rec_b["transcript"], timeout=6)
        print(f"    B's records landed {time.time() - ended_b:.1f}s after its call ended")
        STACK.sim.wait_ended(call_a, timeout=30)
        time.sleep(max(0.0, 30 - (time.time() - locked_at)))
        assert wh.call_records(E.database_url, call_a)[0] == [], "A's records passed the lock"
        assert wh.outbox_len(R, a) > 0
    finally:
        locker.rollback()
        locker.close()
    released = time.time()
    wh.wait_records(E.database_url, a, call_a, STACK.sim.call_record(call_a)["transcript"],
                    timeout=15)
    print(f"    A's records landed {time.time() - released:.1f}s after the lock was released")
    for bid in (a, b):     # a lock timeout is transient: nothing set aside, nothing left
        assert _dead_outbox(bid) == [] and wh.outbox_len(R, bid) == 0
        assert R.xlen(wh.tkey(bid, "dead")) == 0 and wh.stream_done(R, bid)
    log = _log()
    assert "lock timeout" in log
    assert "passed its deadline" not in log and "moved to the dead outbox" not in log


def test_a_refused_record_goes_to_the_dead_outbox_and_the_tenant_is_not_cycled():
    bid, number = _tenant()
    bad = str(uuid.uuid4())
    good = str(uuid.uuid4())
    outbox = wh.outbox_key(bid)
    # First in the outbox, before the call's own records: a record no drain can write.
    R.xadd(outbox, {"table": "conversation_history", "key": bad, "row": msgpack.packb({
        "conversation_id": str(uuid.uuid4()), "turn": 0, "speaker": "robot", "text": "beep",
        "at": "2026-11-28T10:00:05Z"})})
    R.xadd(outbox, {"table": "conversation_history", "key": good, "row": msgpack.packb({
        "conversation_id": str(uuid.uuid4()), "turn": 0, "speaker": "caller", "text": "hello",
        "at": "2026-11-28T10:00:06Z"})})
    call = STACK.sim.call(number, frm="+15557650303", script=SCRIPT)
    rec = STACK.sim.wait_ended(call, timeout=30)
    wh.wait_records(E.database_url, bid, call, rec["transcript"], timeout=10)
    wait_for(lambda: len(_dead_outbox(bid)) == 1, timeout=15, what="the refused record moved")
    (_, dead), = _dead_outbox(bid)
    assert dead[b"key"] == bad.encode() and dead[b"sqlstate"] == b"23514"
    assert dead[b"refusals"] == b"5" and b"conversation_history_speaker_check" in dead[b"error"]
    assert wh.outbox_len(R, bid) == 0
    conn = E.pg()
    cur = conn.cursor()
    cur.execute("SELECT id::text FROM conversation_history WHERE id = ANY(%s::uuid[])", ([bad, good],))
    assert cur.fetchall() == [(good,)]
    conn.close()
    # Idle with nothing left, the tenant is released once, and nothing makes it ready again.
    wait_for(lambda: wh.lease_owner(R, bid) is None, timeout=15, what="the idle release")
    time.sleep(5)
    assert wh.lease_owner(R, bid) is None and R.zscore(_ready_key(bid), bid) is None
    assert "moved to the dead outbox" in _log()
