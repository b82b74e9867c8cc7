"""Bounded outboxes: while PostgreSQL is down, one busy business's outbox grows until
Redis nears its maxmemory; past FRONTDESK_OUTBOX_MAX that business's calls wait (nothing
sent, nothing lost) while the other businesses' calls are answered in the room kept
for them, and once PostgreSQL is back the backlog drains and the waiting call goes on.
Real Redis with a maxmemory, PostgreSQL stopped and started, api, worker and the Telnyx
simulator."""
import time

import harness
import workerhelp as wh
from harness import Services, ctl, env, wait_for

E = env()
CAP = 2000
SCRIPT = [{"say": "What are your opening hours?"}, {"say": "Great, thanks, bye"}]


def agent_said(rec):
    return " ".join(t["text"] for t in rec["transcript"] if t["speaker"] == "agent").lower()


def fill_outbox(r, key, entries, target_bytes):
    """Copies of the business's own records until Redis uses target_bytes more: what a
    busy business leaves in a long outage (the drain writes each key once)."""
    start = r.info("memory")["used_memory"]
    while r.info("memory")["used_memory"] - start < target_bytes:
        pipe = r.pipeline(transaction=False)
        for i in range(2000):
            pipe.xadd(key, entries[i % len(entries)][1])
        pipe.execute()


def test_one_business_filling_redis_while_postgres_is_down_leaves_the_others_answered():
    svc = Services("start")
    harness._cleanup_later(svc.stop)
    over = {"FRONTDESK_REDIS_URL": svc.redis_url, "FRONTDESK_DATABASE_URL": svc.database_url}
    assert ctl(E, "migrate", extra_env=over).returncode == 0
    (a, a_num), (b, b_num) = [wh.create_tenant_at(E, svc.redis_url, svc.database_url) for _ in range(2)]
    with wh.Stack(E, redis_url=svc.redis_url, database_url=svc.database_url,
                  sim_args=("--answer-timeout-ms", "120000")) as st:
        st.tenants += [a, b]
        worker = st.worker("bound", FRONTDESK_OUTBOX_MAX=CAP, FRONTDESK_OUTBOX_HIGH_WATER=CAP // 2,
                           FRONTDESK_OUTBOX_RESERVE_PCT=20, FRONTDESK_SILENCE_MS=60000)
        r = st.redis()
        # each business's configuration is cached while PostgreSQL is up
        for num in (a_num, b_num):
            st.sim.wait_ended(st.sim.call(num, frm="+15558870001", script=SCRIPT), timeout=30)
        svc.stop_pg()
        try:
            first = st.sim.call(a_num, frm="+15558870002", script=SCRIPT)
            st.sim.wait_ended(first, timeout=30)
            records = wait_for(lambda: r.xrange(wh.outbox_key(a)), timeout=10, what="A's records waiting")
            fill_outbox(r, wh.outbox_key(a), records, 8 << 20)
            used = r.info("memory")["used_memory"]
            r.config_set("maxmemory", int(used / 0.88))      # A's backlog takes Redis past 80 %
            held = r.xlen(wh.outbox_key(a))
            wait_for(lambda: worker.metric("frontdesk_outbox_businesses_over_high_water") >= 1, timeout=10,
                     what="the high-water gauge")
            time.sleep(1.5)                                   # the worker reads Redis's memory each second

            waiting = st.sim.call(a_num, frm="+15558870003", script=SCRIPT)
            others = [st.sim.call(b_num, frm=f"+1555887010{i}", script=SCRIPT) for i in range(3)]
            for c in others:
                rec = st.sim.wait_ended(c, timeout=40)
                assert "bye" in agent_said(rec), agent_said(rec)
            rec = st.sim.call_record(waiting)
            assert not rec.get("answered_at") and not rec["commands"], \
                f"A's call went on past its cap: {rec['commands']}"
            assert r.xlen(wh.outbox_key(a)) == held, "A's outbox grew past its cap"
            assert wh.outbox_len(r, b) > 0, "B's records should be waiting for PostgreSQL"
            assert worker.metric("frontdesk_worker_outbox_full_total") > 0
            assert r.info("memory")["used_memory"] < r.info("memory")["maxmemory"]
        finally:
            svc.start_pg()
        # PostgreSQL back: the backlog drains, A's caller is answered, nothing is lost
        rec = st.sim.wait_ended(waiting, timeout=90)
        assert "bye" in agent_said(rec), agent_said(rec)
        for bid in (a, b):
            wait_for(lambda: wh.outbox_len(r, bid) == 0, timeout=60, what="the outbox drained")
            assert r.xlen(wh.tkey(bid, "dead")) == 0
        for c in others + [first, waiting]:
            bid = a if c in (first, waiting) else b
            wh.wait_records(st.database_url, bid, c, st.sim.call_record(c)["transcript"], timeout=30,
                            strict_order=False)
        print(f"    A's outbox held {held} entries ({used >> 20} MiB, 88 % of maxmemory): A's call waited, "
              f"B's {len(others)} calls were answered; after PostgreSQL came back everything landed once")
