"""A call's Telnyx commands are committed with the event that asked for them and sent
after the commit (workers/call_commands.c):
  - Telnyx slow to answer a command does not hold up the call's next event;
  - commands committed but not yet taken by Telnyx when their worker dies are sent by
    the next owner, even for a call that has no timer to be found by;
  - once sent, the list is cleared from the call's state and the call leaves the
    tenant's timers.
Real Redis, PostgreSQL, api and workers; the Telnyx simulator plays the slow and the
failing Telnyx over HTTP."""
import json
import time

import workerhelp as wh
from harness import ctl, env, wait_for

E = env()
SPEAK_ANSWER_DELAY_MS = 3500    # under the worker's 4 s deadline: slow, not failed


def call_state(r, bid, call):
    """The call's state hash as an operator reads it (the receptionist's memory, packed,
    left out)."""
    raw = r.hgetall(wh.tkey(bid, "call:" + call))
    return {k.decode(): v.decode(errors="replace") for k, v in raw.items() if k != b"rx"}


def test_a_calls_next_event_is_handled_while_telnyx_is_slow_to_answer_its_last_command():
    with wh.Stack(E) as st:
        st.worker("slow-telnyx", FRONTDESK_SILENCE_MS=60000)
        bid, number = wh.create_tenant_at(E)
        st.tenants.append(bid)
        r = st.redis()
        # Telnyx starts the greeting at once but answers the request 3.5 s later
        st.sim.post("/_sim/fail", {"delay_ms": SPEAK_ANSWER_DELAY_MS, "count": 1, "command": "speak"})
        call = st.sim.call(number, "+15558790101", [{"pause_ms": 20000}])
        wait_for(lambda: any(q["command"] == "speak" and q["call_control_id"] == call
                             for q in st.sim.requests()), timeout=20, what="the greeting's speak sent")
        st.sim.post(f"/_sim/calls/{call}/hangup", {})
        hung_up = time.time()
        wait_for(lambda: call_state(r, bid, call).get("phase") == "ended", timeout=20, step=0.02,
                 what="the hangup committed")
        took = time.time() - hung_up
        print(f"    the caller's hangup committed {took:.2f} s after it, with the greeting's speak "
              f"still unanswered ({SPEAK_ANSWER_DELAY_MS / 1000:.1f} s)")
        # before, the hangup waited for the answer to the greeting (and the commands after
        # it): 3.5 s at least
        assert took < 1.5, f"the hangup waited {took:.2f} s for Telnyx's answer to an earlier command"
        rec = st.sim.wait_ended(call)
        assert rec["hangup_source"] == "caller"
        wh.wait_records(st.database_url, bid, call, rec["transcript"], timeout=30)


def test_commands_committed_when_their_worker_dies_are_sent_by_the_next_owner():
    """The goodbye's hangup is committed (the call has no timer then) but Telnyx refuses it
    for a while; its worker is killed meanwhile. The next owner finds the call by its
    commands, hangs up once, and clears them."""
    with wh.Stack(E) as st:
        first = st.worker("first", FRONTDESK_SILENCE_MS=60000)
        bid, number = wh.create_tenant_at(E)
        st.tenants.append(bid)
        r = st.redis()
        st.sim.post("/_sim/fail", {"status": 503, "count": 1000000, "command": "hangup"})
        call = st.sim.call(number, "+15558790102", [{"say": "What are your hours?"},
                                                    {"say": "That's all, thanks, bye"}])
        wait_for(lambda: any(q["command"] == "hangup" and q["call_control_id"] == call
                             for q in st.sim.requests()), timeout=30, what="the hangup tried")
        state = call_state(r, bid, call)
        assert state.get("phase") == "ending" and "hangup" in state.get("commands", ""), state
        assert state.get("timer_due_ms") == "0", state
        assert r.zscore(wh.tkey(bid, "timers"), call) is not None, "the call is not findable by its commands"
        # what an operator sees of the call: the command waiting, decoded
        shown = ctl(E, "call", "show", "--business", bid, "--call", call,
                    extra_env={"FRONTDESK_REDIS_URL": st.redis_url})
        assert shown.returncode == 0, shown.stderr
        waiting = json.loads(shown.stdout)["state"]["commands"]
        assert [c["command"] for c in waiting] == ["hangup"] and waiting[0]["command_id"], waiting
        wh.kill9(first)
        st.sim.post("/_sim/fail", {"count": 0})
        killed = time.time()
        st.worker("next", FRONTDESK_SILENCE_MS=60000)
        rec = st.sim.wait_ended(call, timeout=30)
        print(f"    the next owner hung up {time.time() - killed:.1f} s after the kill")
        assert rec["hangup_source"] == "callee", rec["hangup_source"]
        hangups = [q for q in rec["commands"] if q["command"] == "hangup" and q.get("status") == 200
                   and not q.get("duplicate")]
        assert len(hangups) == 1, rec["commands"]
        taken = dict(rec, commands=[q for q in rec["commands"] if not q.get("injected")])
        assert not wh.command_id_problems(taken), wh.command_id_problems(taken)
        wait_for(lambda: wh.stream_done(r, bid), timeout=20, what="every event of the call handled")
        wait_for(lambda: "commands" not in call_state(r, bid, call), timeout=10,
                 what="the sent commands cleared from the call's state")
        wait_for(lambda: r.zscore(wh.tkey(bid, "timers"), call) is None, timeout=10,
                 what="the ended call out of the tenant's timers")
        assert r.xlen(wh.tkey(bid, "dead")) == 0
        wh.wait_records(st.database_url, bid, call, rec["transcript"], timeout=30)


def test_sent_commands_leave_no_trace_in_the_calls_state_or_timers():
    """A call whose last turn's commands went out with no event after them (the caller
    holds on in silence) has them cleared shortly after, and keeps only its own timer."""
    with wh.Stack(E) as st:
        st.worker("quiet", FRONTDESK_SILENCE_MS=60000)
        bid, number = wh.create_tenant_at(E)
        st.tenants.append(bid)
        r = st.redis()
        call = st.sim.call(number, "+15558790103", [{"say": "What are your hours?"}, {"pause_ms": 20000}])
        wait_for(lambda: call_state(r, bid, call).get("phase") == "listening" and
                 int(call_state(r, bid, call).get("turns", "0")) >= 1, timeout=30,
                 what="the answer spoken and the caller's turn awaited")
        wait_for(lambda: "commands" not in call_state(r, bid, call), timeout=10,
                 what="the sent commands cleared")
        due = int(call_state(r, bid, call)["timer_due_ms"])
        assert due > 0 and r.zscore(wh.tkey(bid, "timers"), call) == due
        st.sim.post(f"/_sim/calls/{call}/hangup", {})
        st.sim.wait_ended(call)
        wait_for(lambda: r.zscore(wh.tkey(bid, "timers"), call) is None, timeout=10,
                 what="the ended call out of the tenant's timers")
