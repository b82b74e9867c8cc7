"""Texts (SMS) end to end: the simulator texts a business's number (message.received),
the api enqueues it, a worker answers through Telnyx POST /v2/messages (checked against
the schema extract by the simulator), and every text lands in sms_messages under RLS.

What a texter and the business would check: a booking made entirely by text, with its
"Reply YES" question and its confirmation; STOP in every form answered once and then
nothing more (no reply, no booking confirmation); START and HELP; a STOP Telnyx
answered itself is not answered twice; an opt-out at one business leaves another
texting the number; a duplicated text is answered once; texts close together are
answered together, once; a worker killed in the middle of a conversation.

The receptionist's clock: Tuesday 2026-03-03, 10:00 in Chicago (the hair salon)."""
import json
import time

from harness import env, pg_rows, random_number, wait_for
from rxhelp import ClockStack, example
from workerhelp import kill9, tkey

E = env()
NOW = "2026-03-03T16:00:00Z"
GATHER_MS = 800

_state = {}


def stack():
    if "stack" not in _state:
        _state["stack"] = ClockStack(E, NOW, workers=2,
                                     FRONTDESK_SMS_GATHER_MS=str(GATHER_MS), FRONTDESK_SMS_QUIET_MS="1500")
    return _state["stack"]


def teardown_module(module):
    if "stack" in _state:
        _state.pop("stack").stop()


def salon():
    st = stack()
    return st.business(example("hair-salon"))


def text(number, caller, words, **opts):
    stack().sim.post("/_sim/messages", {"from": caller, "to": number, "text": words, **opts})


def texts_to(number, caller):
    """What the business's number texted caller, in order."""
    return [t["text"] for t in stack().sim.texts_from(number) if t["to"] == caller]


def wait_texts(number, caller, count, timeout=20):
    return wait_for(lambda: (lambda got: got if len(got) >= count else None)(texts_to(number, caller)),
                    timeout=timeout, what=f"{count} texts to {caller}")


def settle(bid, seconds=None):
    """Long enough for anything queued to have gone out: the gathering time, the commit,
    the sender's tick, and nothing left in the tenant's send stream."""
    time.sleep(seconds if seconds is not None else GATHER_MS / 1000 + 1.5)
    r = stack().redis()
    wait_for(lambda: r.xlen(tkey(bid, "sms")) == 0, timeout=20, what="texts sent")


def sms_rows(bid, caller):
    return pg_rows(E, "SELECT direction, body, kind, status FROM sms_messages "
                      "WHERE business_id = %s AND caller_number = %s ORDER BY at, direction", bid, caller)


def test_stop_in_every_form_is_confirmed_once_and_then_nothing_is_sent():
    bid, number = salon()
    for word in ["STOP", "stop", "Stop.", "  stop please ", "STOPALL", "UNSUBSCRIBE", "Cancel", "END", "quit"]:
        caller = random_number()
        text(number, caller, word)
        got = wait_texts(number, caller, 1)
        assert got == ["You're unsubscribed from Studio Nine Hair. No more messages. "
                       "Reply START to resubscribe."], (word, got)
        text(number, caller, "stop")                       # a second STOP: no second confirmation
        text(number, caller, "Can I book a men's haircut on Friday at 2pm? My name is Ann")
        settle(bid)
        assert len(texts_to(number, caller)) == 1, (word, texts_to(number, caller))
    r = stack().redis()
    assert r.hlen(tkey(bid, "sms_optout")) == 9
    rows = wait_for(lambda: (lambda n: n if n and n[0][0] == 9 else None)(
        pg_rows(E, "SELECT count(*) FROM sms_opt_outs WHERE business_id = %s AND lifted_at IS NULL", bid)),
        what="opt-outs recorded")
    assert rows == [(9,)]


def test_start_after_stop_resubscribes_once_and_the_receptionist_answers_again():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "STOP")
    wait_texts(number, caller, 1)
    text(number, caller, "Start")
    got = wait_texts(number, caller, 2)
    assert got[1] == "You're resubscribed to texts from Studio Nine Hair. Reply STOP to opt out.", got
    assert stack().redis().hexists(tkey(bid, "sms_optout"), caller) == 0
    text(number, caller, "What are your hours?")
    got = wait_texts(number, caller, 3)
    assert "Reply START" not in got[2] and got[2], got
    wait_for(lambda: pg_rows(E, "SELECT count(*) FROM sms_opt_outs WHERE business_id = %s AND number = %s "
                                "AND lifted_at IS NOT NULL", bid, caller) == [(1,)], what="opt-out lifted")


def test_help_names_the_business_a_person_and_the_way_out_even_when_opted_out():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "HELP")
    got = wait_texts(number, caller, 1)
    assert got[0].startswith("Studio Nine Hair:") and "Reply STOP to opt out." in got[0], got
    text(number, caller, "stop")
    wait_texts(number, caller, 2)
    text(number, caller, "info")
    got = wait_texts(number, caller, 3)
    assert got[2] == got[0], got


def test_a_stop_telnyx_answered_itself_is_not_answered_twice_but_still_opts_out():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "STOP", autoresponse_type="opt_out")
    settle(bid)
    assert texts_to(number, caller) == []
    assert stack().redis().hexists(tkey(bid, "sms_optout"), caller) == 1
    text(number, caller, "Do you do beard trims?")
    settle(bid)
    assert texts_to(number, caller) == []


def sends_to(caller):
    """POST /v2/messages requests to caller, refused ones included."""
    return [q for q in stack().sim.requests() if q.get("command") == "messages.send"
            and (q.get("body") or {}).get("to") == caller]


def test_a_number_telnyx_refuses_as_opted_out_is_opted_out_here_until_it_texts_start():
    bid, number = salon()
    caller = random_number()
    # the caller texted STOP somewhere Telnyx saw and we did not: Telnyx blocks the pair
    stack().sim.post("/_sim/blocks", {"from": number, "to": caller})
    text(number, caller, "What are your hours?")
    wait_for(lambda: len(sends_to(caller)) == 1, what="the answer tried")
    settle(bid)
    assert texts_to(number, caller) == []
    r = stack().redis()
    assert r.hexists(tkey(bid, "sms_optout"), caller) == 1
    wait_for(lambda: pg_rows(E, "SELECT how, keyword, lifted_at FROM sms_opt_outs WHERE business_id = %s "
                                "AND number = %s", bid, caller) == [("carrier", None, None)],
             what="the carrier's opt-out recorded")
    wait_for(lambda: pg_rows(E, "SELECT status, error_code FROM sms_messages WHERE business_id = %s "
                                "AND caller_number = %s AND direction = 'outbound'", bid, caller)
             == [("failed", "40300")], what="the refused text recorded")
    # opted out here now: the next answer is not even tried
    text(number, caller, "Hello? Can I book a men's haircut on Friday at 2pm? My name is Ann")
    settle(bid)
    assert len(sends_to(caller)) == 1, sends_to(caller)
    # START lifts Telnyx's block and ours: confirmed, and answered again
    text(number, caller, "START")
    got = wait_texts(number, caller, 1)
    assert got == ["You're resubscribed to texts from Studio Nine Hair. Reply STOP to opt out."], got
    assert r.hexists(tkey(bid, "sms_optout"), caller) == 0
    text(number, caller, "What are your hours?")
    got = wait_texts(number, caller, 2)
    assert got[1] and "Reply START" not in got[1], got
    wait_for(lambda: pg_rows(E, "SELECT how, lifted_how FROM sms_opt_outs WHERE business_id = %s AND number = %s",
                             bid, caller) == [("carrier", "keyword")], what="the opt-out lifted")


def test_a_stop_whose_confirmation_telnyx_refuses_is_one_opt_out_that_start_lifts():
    bid, number = salon()
    caller = random_number()
    # Telnyx blocks on the STOP itself, so our confirmation is refused with 40300
    stack().sim.post("/_sim/blocks", {"from": number, "to": caller})
    text(number, caller, "STOP")
    wait_for(lambda: len(sends_to(caller)) == 1, what="the confirmation tried")
    settle(bid)
    wait_for(lambda: pg_rows(E, "SELECT status, error_code FROM sms_messages WHERE business_id = %s "
                                "AND caller_number = %s AND direction = 'outbound'", bid, caller)
             == [("failed", "40300")], what="the refused confirmation recorded")
    assert pg_rows(E, "SELECT how FROM sms_opt_outs WHERE business_id = %s AND number = %s", bid, caller) \
        == [("keyword",)]
    text(number, caller, "START")
    wait_texts(number, caller, 1)
    wait_for(lambda: pg_rows(E, "SELECT how, lifted_how FROM sms_opt_outs WHERE business_id = %s AND number = %s",
                             bid, caller) == [("keyword", "keyword")], what="the one opt-out lifted")


def test_an_operator_opts_a_number_out_for_a_caller_who_asked_by_phone_and_lifts_it_on_request():
    st = stack()
    bid, number = salon()
    other_bid, other_number = salon()
    caller = random_number()
    r = st.ctl("optout", "add", "--business", bid, "--number", caller)
    assert r.returncode == 0 and "is opted out" in r.stdout, r.stdout + r.stderr
    again = st.ctl("optout", "add", "--business", bid, "--number", caller)
    assert again.returncode == 0 and "was already opted out" in again.stdout, again.stdout + again.stderr
    # never texted by this business: no answer, not even tried
    text(number, caller, "What are your hours?")
    settle(bid)
    assert sends_to(caller) == []
    rows = pg_rows(E, "SELECT how, lifted_at FROM sms_opt_outs WHERE business_id = %s AND number = %s", bid, caller)
    assert rows == [("operator", None)], rows
    # another business still texts the number
    text(other_number, caller, "What are your hours?")
    wait_texts(other_number, caller, 1)
    listed = st.ctl("optout", "list", "--business", bid, "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(o["number"], o["how"], o["lifted_at"]) for o in json.loads(listed.stdout)] == [(caller, "operator", "")]
    assert caller not in st.ctl("optout", "list", "--business", other_bid).stdout
    # lifted at the caller's written request: answered again
    lifted = st.ctl("optout", "lift", "--business", bid, "--number", caller)
    assert lifted.returncode == 0 and "may be texted" in lifted.stdout, lifted.stdout + lifted.stderr
    assert st.redis().hexists(tkey(bid, "sms_optout"), caller) == 0
    text(number, caller, "What are your hours?")
    got = wait_texts(number, caller, 1)
    assert got[0] and "Reply START" not in got[0], got
    wait_for(lambda: pg_rows(E, "SELECT how, lifted_how FROM sms_opt_outs WHERE business_id = %s AND number = %s",
                             bid, caller) == [("operator", "operator")], what="the lift recorded")
    # a STOP's opt-out is lifted the same way; a number never opted out is told so
    stopper = random_number()
    text(number, stopper, "STOP")
    wait_texts(number, stopper, 1)
    wait_for(lambda: pg_rows(E, "SELECT count(*) FROM sms_opt_outs WHERE business_id = %s AND number = %s",
                             bid, stopper) == [(1,)], what="the STOP recorded")
    assert st.ctl("optout", "lift", "--business", bid, "--number", stopper).returncode == 0
    wait_for(lambda: pg_rows(E, "SELECT how, lifted_how FROM sms_opt_outs WHERE business_id = %s AND number = %s",
                             bid, stopper) == [("keyword", "operator")], what="the STOP lifted")
    never = st.ctl("optout", "lift", "--business", bid, "--number", random_number())
    assert never.returncode == 0 and "is not opted out" in never.stdout, never.stdout
    bad = st.ctl("optout", "add", "--business", bid, "--number", "555-0100")
    assert bad.returncode == 2 and "E164" in bad.stderr, bad.stderr
    unknown = st.ctl("optout", "add", "--business", "00000000-0000-4000-8000-000000000000", "--number", caller)
    assert unknown.returncode == 1 and "no business" in unknown.stderr, unknown.stderr


def test_opt_out_at_one_business_leaves_another_texting_the_number_and_nothing_of_one_in_the_other():
    bid_a, number_a = salon()
    doc_b = example("plumber")
    bid_b, number_b = stack().business(doc_b)
    caller = random_number()
    text(number_a, caller, "STOP")
    wait_texts(number_a, caller, 1)
    text(number_b, caller, "What are your hours?")
    got_b = wait_texts(number_b, caller, 1)
    assert all("Studio Nine" not in t for t in got_b), got_b
    assert stack().redis().hexists(tkey(bid_b, "sms_optout"), caller) == 0
    wait_for(lambda: sms_rows(bid_b, caller), what="B's texts recorded")
    assert all(row[2] != "opt_out" for row in sms_rows(bid_b, caller))


def test_a_booking_made_entirely_by_text_with_its_question_and_confirmation():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "Hi, can I book a men's haircut on Friday at 2pm? My name is Ann Lee")
    got = wait_texts(number, caller, 1)
    assert got[-1] == "Reply YES to book Men's haircut on Friday March 6 at 14:00.", got
    text(number, caller, "yes")
    got = wait_texts(number, caller, 3)
    rows = wait_for(lambda: pg_rows(E, "SELECT service, caller_number, status FROM bookings "
                                       "WHERE business_id = %s AND caller_number = %s", bid, caller),
                    what="the booking recorded")
    assert rows == [("Men's haircut", caller, "booked")], rows
    assert any("booked" in t.lower() for t in got[1:]), got
    usage = pg_rows(E, "SELECT count(*) FROM usage_events u JOIN bookings b ON b.id = u.booking_id "
                       "WHERE u.business_id = %s AND b.caller_number = %s", bid, caller)
    assert usage == [(1,)]
    # every text in and out is on record, with the delivery Telnyx reported
    wait_for(lambda: all(r[3] in ("received", "delivered") for r in sms_rows(bid, caller))
             and len(sms_rows(bid, caller)) >= 5, what="texts recorded as delivered")


def test_a_long_text_is_read_to_its_end():
    """A texter writes a paragraph before asking: what comes after the first 255 bytes
    (the state's old bound) is still read."""
    bid, number = salon()
    caller = random_number()
    preamble = "Hello there, thanks so much for everything last time, my cousin loved it. " * 8
    assert len(preamble.encode()) > 500
    text(number, caller, preamble + "Can I book a men's haircut on Friday at 2pm? My name is Ann Lee")
    got = wait_texts(number, caller, 1)
    assert got[-1] == "Reply YES to book Men's haircut on Friday March 6 at 14:00.", got


def test_the_sim_saw_only_valid_message_requests():
    stack()
    bad = [r for r in stack().sim.invalid_requests() if r.get("command") == "messages.send"]
    assert bad == []


def test_a_duplicated_text_is_answered_once():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "What are your hours?", duplicate=True)
    wait_texts(number, caller, 1)
    settle(bid)
    assert len(texts_to(number, caller)) == 1
    inbound = [r for r in sms_rows(bid, caller) if r[0] == "inbound"]
    assert len(inbound) == 1, inbound


def test_a_stop_racing_a_booking_confirmation_lets_nothing_out_after_the_stop():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "Can I book a men's haircut on Friday at 3pm? My name is Bo Ray")
    wait_texts(number, caller, 1)
    text(number, caller, "yes")
    text(number, caller, "STOP")
    settle(bid)
    got = texts_to(number, caller)
    stop_at = got.index("You're unsubscribed from Studio Nine Hair. No more messages. "
                        "Reply START to resubscribe.")
    assert got[stop_at + 1:] == [], got


def test_texts_close_together_are_answered_together_once():
    bid, number = salon()
    caller = random_number()
    for words in ["Hi", "do you do beard trims", "and how much is it?"]:
        text(number, caller, words)
        time.sleep(0.1)
    wait_texts(number, caller, 1)
    settle(bid)
    got = texts_to(number, caller)
    assert len(got) <= 2 and "beard" in " ".join(got).lower(), got


def test_a_worker_killed_in_the_middle_of_a_conversation_is_replaced_and_the_booking_goes_on():
    st = stack()
    bid, number = salon()
    caller = random_number()
    text(number, caller, "Can I book a beard trim on Saturday at 11am? My name is Cy Dee")
    wait_texts(number, caller, 1)
    r = st.redis()
    owner = r.get(tkey(bid, "lease")).decode().rsplit(":", 1)[0]
    victim = next(w for w in st.workers if w.worker_id == owner)
    kill9(victim)
    st.workers.remove(victim)
    st.stack.procs.remove(victim)
    st.add_worker("rx-after-kill")
    text(number, caller, "yes")
    wait_for(lambda: pg_rows(E, "SELECT count(*) FROM bookings WHERE business_id = %s AND caller_number = %s",
                             bid, caller) == [(1,)], timeout=40, what="booked after the takeover")


def test_reordered_texts_are_each_recorded_once_and_answered_together():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "Hi there, do you do beard trims?", delay_ms=400)   # overtaken by the next
    text(number, caller, "and what are your hours on Saturday?")
    wait_texts(number, caller, 1)
    settle(bid)
    got = texts_to(number, caller)
    assert 1 <= len(got) <= 2, got
    inbound = wait_for(lambda: (lambda rows: rows if len(rows) == 2 else None)(
        [r[1] for r in sms_rows(bid, caller) if r[0] == "inbound"]), what="both texts recorded")
    assert sorted(inbound) == sorted(["Hi there, do you do beard trims?", "and what are your hours on Saturday?"])


def test_a_texter_cancels_their_own_booking_by_text():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "Can I book a beard trim on Thursday at 11am? My name is Di Fox")
    wait_texts(number, caller, 1)
    text(number, caller, "yes")
    wait_for(lambda: pg_rows(E, "SELECT status FROM bookings WHERE business_id = %s AND caller_number = %s",
                             bid, caller) == [("booked",)], what="booked")
    settle(bid)
    before = len(texts_to(number, caller))
    text(number, caller, "I need to cancel my appointment please")
    wait_texts(number, caller, before + 1)
    settle(bid)
    text(number, caller, "yes")
    wait_for(lambda: pg_rows(E, "SELECT status FROM bookings WHERE business_id = %s AND caller_number = %s",
                             bid, caller) == [("cancelled",)], what="cancelled by text")


def test_a_text_during_a_live_call_from_the_same_number_leaves_the_call_alone():
    st = stack()
    bid, number = salon()
    caller = random_number()
    call = st.sim.call(number, caller, [{"say": "What are your hours on Saturday?"}, {"pause_ms": 1500},
                                        {"say": "Do you do beard trims?"}, {"say": "no that's all, bye"}])
    time.sleep(1.0)
    text(number, caller, "Also, where are you located?")
    rec = st.sim.wait_ended(call, timeout=60)
    street = example("hair-salon")["address"]["street"]
    said = [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]
    assert any("beard" in s.lower() for s in said), said       # the call went on, question by question
    assert not any(street in s for s in said), said            # the text was not answered on the call
    assert any(street in t for t in wait_texts(number, caller, 1)), texts_to(number, caller)


def test_a_conversation_gone_quiet_is_analysed_once_like_a_call():
    bid, number = salon()
    caller = random_number()
    text(number, caller, "How much is a men's haircut? I might want a beard trim too")
    wait_texts(number, caller, 1)
    conv = wait_for(lambda: pg_rows(E, "SELECT DISTINCT conversation_id::text FROM sms_messages "
                                       "WHERE business_id = %s AND caller_number = %s AND direction = 'inbound'",
                                    bid, caller), what="the text recorded")[0][0]
    scores = wait_for(lambda: pg_rows(E, "SELECT score, reasons, call_control_id FROM lead_scores "
                                         "WHERE business_id = %s AND call_log_id = %s", bid, conv),
                      timeout=30, what="the conversation's lead score")
    assert len(scores) == 1 and 0 <= scores[0][0] <= 100 and scores[0][1], scores
    assert scores[0][2] == "sms:" + conv
    summary = pg_rows(E, "SELECT summary FROM call_conversations WHERE business_id = %s AND call_log_id = %s",
                      bid, conv)
    assert len(summary) == 1 and summary[0][0], summary
    assert pg_rows(E, "SELECT count(*) FROM call_logs WHERE business_id = %s", bid) == [(0,)]  # no call
    text(number, caller, "thanks!")
    wait_texts(number, caller, 2)
    time.sleep(3)
    assert len(pg_rows(E, "SELECT 1 FROM lead_scores WHERE business_id = %s AND call_log_id = %s", bid, conv)) == 1
