"""Faults that are not poison: Telnyx answering 503, then not answering at all, for a
minute costs the callers their wait, never an event. Every call that rang meanwhile is
answered once Telnyx is back, nothing reaches the dead stream, and the retries back off
instead of hammering Telnyx and the log. A commit whose reply is lost is sent again and
changes nothing twice. Real Redis (a private one, behind a proxy that can hold a reply
back), PostgreSQL, api and worker; the Telnyx simulator plays the outage over HTTP."""
import re
import time

import workerhelp as wh
from harness import env, private_redis, wait_for
from redis_proxy import RedisFaultProxy

E = env()
OUTAGE_S = 60
TIMEOUT_PART_S = 20     # the outage's last part: requests get no answer in time
MAX_DELIVERIES = 5
CALLS_PER_TENANT = 2


def dead_count(r, bids):
    return sum(r.xlen(wh.tkey(b, "dead")) for b in bids)


def metric(text, name):
    m = re.search(r"^%s(?:\{[^}]*\})? (\S+)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else None


def test_telnyx_down_for_a_minute_every_call_is_answered_once_it_is_back_and_nothing_is_dead_lettered():
    svc = private_redis()
    # the callers wait on the line through the outage (a real one may hang up: that is
    # a call the business missed, not an event lost)
    with wh.Stack(E, redis_url=svc.redis_url, sim_args=("--answer-timeout-ms", "180000")) as st:
        r = st.redis()
        worker = st.worker("outage", FRONTDESK_MAX_DELIVERIES=MAX_DELIVERIES)
        tenants = []
        for _ in range(2):
            bid, num = wh.create_tenant_at(E, redis_url=st.redis_url)
            st.tenants.append(bid)
            tenants.append((bid, num))
        bids = [b for b, _ in tenants]
        st.sim.post("/_sim/fail", {"status": 503, "count": 1000000})
        began = time.time()
        calls = []
        for i, (bid, num) in enumerate(tenants):
            for k in range(CALLS_PER_TENANT):
                calls.append(st.sim.call(num, frm=f"+1555877{i}{k:03d}",
                                         script=[{"say": "What are your hours?"}, {"say": "bye"}]))
        wait_for(lambda: all(any(q["command"] == "answer" and q["call_control_id"] == c
                                 for q in st.sim.requests()) for c in calls),
                 timeout=20, what="every call's answer tried")
        time.sleep(max(0.0, began + OUTAGE_S - TIMEOUT_PART_S - time.time()))
        # the rest of the outage: Telnyx does nothing and answers too late (6 s, past the
        # worker's 4 s deadline)
        st.sim.post("/_sim/fail", {"status": 503, "delay_ms": 6000, "count": 1000000, "replace": True})
        time.sleep(max(0.0, began + OUTAGE_S - time.time()))
        during = st.sim.requests()
        for c in calls:
            assert not st.sim.call_record(c).get("answered_at"), f"{c} answered during the outage"
        assert dead_count(r, bids) == 0, "an event was dead-lettered during the outage"
        st.sim.post("/_sim/fail", {"count": 0})
        back = time.time()

        for c in calls:
            rec = st.sim.wait_ended(c, timeout=60)
            answers = [x for x in rec["commands"] if x["command"] == "answer" and not x.get("duplicate")
                   and not x.get("injected")]
            assert len(answers) == 1, f"{c}: answered {len(answers)} times"
            said = " ".join(t["text"] for t in rec["transcript"] if t["speaker"] == "agent").lower()
            assert "bye" in said or "goodbye" in said, f"{c}: {said!r}"
        answered_after = max(st.sim.call_record(c)["answered_at"] for c in calls) - back
        for bid in bids:
            wait_for(lambda: r.xlen(wh.tkey(bid, "events")) == 0 or wh.stream_done(r, bid),
                     timeout=30, what="every event of the business handled")
        assert dead_count(r, bids) == 0, "an event was dead-lettered"
        text = worker.metrics()
        assert metric(text, "frontdesk_worker_dead_letters_total") == 0, text

        # backed off: each try of the answer is the Telnyx client's request and its 3 quick
        # retries, so a try every 250 ms would be 960 requests a minute per call; backed
        # off to 5 s it is under one a second
        tries = {c: sum(1 for q in during if q["command"] == "answer" and q["call_control_id"] == c)
                 for c in calls}
        assert max(tries.values()) <= OUTAGE_S, f"answer requests per call during the outage: {tries}"
        log = worker.output()
        # the call.initiated is committed at once: its answer is what waits out the outage
        warned = log.count("telnyx command failed; will retry")
        assert 0 < warned <= len(calls) * 12, f"{warned} retry warnings for {len(calls)} calls"
        print(f"    {len(calls)} calls through a {OUTAGE_S} s outage ({OUTAGE_S - TIMEOUT_PART_S} s of 503, "
              f"{TIMEOUT_PART_S} s unanswered): answer requests per call {sorted(tries.values())}, "
              f"{warned} retry warnings, every call answered {answered_after:.1f} s after Telnyx was back at the "
              f"latest, 0 dead letters")


def test_a_commit_whose_reply_was_lost_is_sent_again_and_texts_once():
    """The worker's commit runs in Redis but its reply comes after the worker's 2 s
    deadline; the worker cannot tell, so it handles the event again: the texter still
    gets one answer, and the event's records are written once."""
    svc = private_redis()
    proxy = RedisFaultProxy(wh.redis_url_port(svc.redis_url))
    try:
        with wh.Stack(E, redis_url=svc.redis_url) as st:
            # a liveness longer than the held reply: the commit's deadline, not the
            # worker's doubt about its own liveness, is what ends the wait
            worker = st.worker("lost-reply", FRONTDESK_REDIS_URL=proxy.url(), FRONTDESK_LIVENESS_MS=10000)
            bid, number = wh.create_tenant_at(E, redis_url=st.redis_url)
            st.tenants.append(bid)
            # a first texter, so that Redis has the commit script: the held reply must be
            # the commit's own, not the NOSCRIPT that makes the worker send the script
            st.sim.post("/_sim/messages", {"from": "+15558790000", "to": number, "text": "HELP"})
            wait_for(lambda: st.sim.texts_from(number), timeout=20, what="the first answer")
            # the commit of the HELP text carries the answer to it
            proxy.hold_reply_of(b"Reply STOP to opt out", 3.0)
            st.sim.post("/_sim/messages", {"from": "+15558790001", "to": number, "text": "HELP"})
            try:
                wait_for(lambda: "commit timed out" in worker.output(), timeout=20, what="the commit's reply lost")
            except AssertionError as err:
                raise AssertionError(f"{err}; replies held: {proxy.holds}; the worker's log:\n"
                                     f"{wh.worker_log_tail(worker)}") from None
            assert proxy.holds == 1
            def answers():
                return [m for m in st.sim.texts_from(number) if m["to"] == "+15558790001"]
            wait_for(answers, timeout=20, what="the answer to HELP")
            r = st.redis()
            wait_for(lambda: wh.stream_done(r, bid) and r.xlen(wh.tkey(bid, "sms")) == 0,
                     timeout=20, what="the HELP handled and nothing left to send")
            time.sleep(2)                   # a second text would be on its way by now
            answers = answers()
            assert len(answers) == 1, answers
            assert "Reply STOP to opt out" in answers[0]["text"]
    finally:
        proxy.stop()


def _goodbye_with_its_commit_failing(fail):
    """A call whose caller says goodbye; fail(proxy, words) arms the fault on the commit of
    that turn (the caller's words are in it only, in its transcript record). Returns the
    worker's log."""
    svc = private_redis()
    proxy = RedisFaultProxy(wh.redis_url_port(svc.redis_url))
    try:
        with wh.Stack(E, redis_url=svc.redis_url) as st:
            worker = st.worker("goodbye", FRONTDESK_REDIS_URL=proxy.url(), FRONTDESK_SILENCE_MS=60000,
                               FRONTDESK_LIVENESS_MS=10000)   # as in the test above
            bid, number = wh.create_tenant_at(E, redis_url=st.redis_url)
            st.tenants.append(bid)
            words = "Lovely, that is all, thanks and bye now"
            fail(proxy, words.encode())
            # Telnyx answers each speak late, after the speech ended: the speak.ended
            # comes before the answer to the speak
            st.sim.post("/_sim/fail", {"delay_ms": 400, "count": 10, "command": "speak"})
            call = st.sim.call(number, "+15558790055", [{"say": "Do you take walk-ins?"}, {"say": words}])
            try:
                rec = st.sim.wait_ended(call, timeout=30)
            except AssertionError as err:
                raise AssertionError(f"{err}; the worker's log:\n{wh.worker_log_tail(worker)}") from None
            assert rec["hangup_source"] == "callee", rec["hangup_source"]   # we hung up, not the caller
            said = [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]
            assert "bye" in said[-1].lower(), said
            assert sum("bye" in s.lower() for s in said) == 1, said
            assert not wh.command_id_problems(rec), wh.command_id_problems(rec)
            # nothing went out for a commit that did not run: no command came twice
            again = [(q["command"], wh.speak_text(q.get("body"))) for q in rec["commands"] if q.get("duplicate")]
            assert not again, f"sent again: {again}"
            r = st.redis()
            wait_for(lambda: wh.stream_done(r, bid), timeout=20, what="every event of the call handled")
            assert r.xlen(wh.tkey(bid, "dead")) == 0
            wh.wait_records(st.database_url, bid, call, rec["transcript"], timeout=30)
            return worker.output()
    finally:
        proxy.stop()


# The goodbye's commit fails (never runs, or runs with its reply lost). Its speak goes out
# only once a commit of the turn has run, so the caller hears the goodbye once, and its
# speak.ended finds the call ending and hangs up. (When commands went out before the
# commit, a speak.ended taken against the state before the goodbye left the retried
# goodbye waiting for an end that had already come: the call never hung up.)
def test_a_goodbye_whose_commit_never_ran_hangs_up_once_its_speech_ends():
    # four times: the retries back off over two seconds, in which the speak.ended is read
    log = _goodbye_with_its_commit_failing(lambda proxy, words: proxy.cut_connection_at(words, 4))
    assert log.count('"event failed; will retry"') >= 3, log


def test_a_goodbye_whose_commit_reply_was_lost_hangs_up_once_its_speech_ends():
    log = _goodbye_with_its_commit_failing(lambda proxy, words: proxy.hold_reply_of(words, 3.0))
    assert "commit timed out" in log
