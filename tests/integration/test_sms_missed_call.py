"""The missed-call text, end to end (simulator, api, workers, Redis, PostgreSQL): a call
the receptionist never answered (the caller hung up while the business's events were
still on their way) gets one text from the business's number, "Sorry we missed your
call at <business>. ..." or the business's own wording (sms.missed_call_text), at most
once per caller and day, never to a number that opted out of the business's texts,
never to a number that cannot take a text, and only between 8:00 and 21:00 in the
business's zone: one missed at 22:00 waits until 8:00 by the receptionist's clock.

Day clock: Tuesday 2026-03-03, 10:00 in Chicago. Night clock: the same day, 22:00."""
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from harness import env, pg_rows, random_number, wait_for
from rxhelp import ClockStack, example, variant
from workerhelp import kill9, tkey

E = env()
DAY = "2026-03-03T16:00:00Z"
NIGHT = "2026-03-04T04:00:00Z"            # 22:00 in Chicago, March 3rd
NEXT_MORNING = "2026-03-04T14:00:02Z"     # 08:00:02 in Chicago, March 4th
ZONE = "America/Chicago"
DEFAULT = "Sorry we missed your call at Studio Nine Hair. Reply here to book or ask a question."

_state = {}


def day_stack():
    if "day" not in _state:
        _state["day"] = ClockStack(E, DAY, FRONTDESK_SMS_GATHER_MS="300")
    return _state["day"]


def teardown_module(module):
    for k in list(_state):
        _state.pop(k).stop()


def missed_call(st, number, caller):
    """A call whose caller hangs up before the business's receptionist could answer: its
    webhooks reach the api only after the hang-up."""
    call = st.sim.call(number, caller, [], delay_ms=700)
    st.sim.post(f"/_sim/calls/{call}/hangup", {})
    wait_for(lambda: pg_rows(E, "SELECT outcome FROM call_logs WHERE call_control_id = %s", call),
             timeout=30, what="the call logged")
    assert pg_rows(E, "SELECT outcome FROM call_logs WHERE call_control_id = %s", call) == [("missed",)]
    return call


def texts_to(st, number, caller):
    return [t["text"] for t in st.sim.texts_from(number) if t["to"] == caller]


def quiet(st, bid, seconds=2.5):
    time.sleep(seconds)
    wait_for(lambda: st.redis().xlen(tkey(bid, "sms")) == 0, what="nothing left to send")


def test_a_missed_call_gets_one_text_and_a_second_the_same_day_none():
    st = day_stack()
    bid, number = st.business(example("hair-salon"))
    caller = random_number()
    missed_call(st, number, caller)
    got = wait_for(lambda: texts_to(st, number, caller), timeout=60, what="the missed-call text")
    assert got == [DEFAULT]
    missed_call(st, number, caller)
    quiet(st, bid)
    assert texts_to(st, number, caller) == [DEFAULT]
    wait_for(lambda: pg_rows(E, "SELECT kind, body FROM sms_messages WHERE business_id = %s AND caller_number = %s",
                             bid, caller) == [("missed_call", DEFAULT)], what="the text recorded")


def test_the_business_words_it_or_turns_it_off():
    st = day_stack()
    own = "Studio Nine here: sorry we missed you! Text us to book."
    bid, number = st.business(variant(example("hair-salon"), sms={"missed_call_text": own}))
    caller = random_number()
    missed_call(st, number, caller)
    assert wait_for(lambda: texts_to(st, number, caller), timeout=60, what="the text") == [own]
    bid_off, number_off = st.business(variant(example("hair-salon"), sms={"missed_call_text": False}))
    missed_call(st, number_off, caller)
    quiet(st, bid_off)
    assert texts_to(st, number_off, caller) == []


def test_no_missed_call_text_to_an_opted_out_number_or_one_that_cannot_take_a_text():
    st = day_stack()
    bid, number = st.business(example("hair-salon"))
    caller = random_number()
    st.sim.post("/_sim/messages", {"from": caller, "to": number, "text": "STOP"})
    wait_for(lambda: texts_to(st, number, caller), what="the STOP confirmation")
    missed_call(st, number, caller)
    short = "+1234567"                       # a short number: no subscriber to text
    missed_call(st, number, short)
    quiet(st, bid)
    assert len(texts_to(st, number, caller)) == 1 and "unsubscribed" in texts_to(st, number, caller)[0]
    assert texts_to(st, number, short) == []


def test_a_call_missed_at_22_waits_until_8_by_the_business_clock():
    night = ClockStack(E, NIGHT)
    _state["night"] = night
    bid, number = night.business(example("hair-salon"))
    caller = random_number()
    missed_call(night, number, caller)
    quiet(night, bid, seconds=3)
    assert texts_to(night, number, caller) == []
    r = night.redis()
    waiting = r.zrange(tkey(bid, "sms_later"), 0, -1, withscores=True)
    eight = datetime(2026, 3, 4, 8, 0, tzinfo=ZoneInfo(ZONE))
    assert [int(s) for _, s in waiting] == [int(eight.timestamp() * 1000)], waiting
    # the night's worker goes; a worker of the next morning takes the business over
    for w in list(night.workers):
        kill9(w)
        night.workers.remove(w)
        night.stack.procs.remove(w)
    night.worker_env["FRONTDESK_NOW"] = NEXT_MORNING
    night.add_worker("morning")
    got = wait_for(lambda: texts_to(night, number, caller), timeout=60, what="the text at 8:00")
    assert got == [DEFAULT]
    assert r.zcard(tkey(bid, "sms_later")) == 0
