"""Model mode end to end: api, Redis, a worker with FRONTDESK_LLM_* set, the Telnyx
simulator, PostgreSQL and the project's fake OpenAI-compatible server
(tests/fake_llm/fake_openai.py), all real, over HTTP.

Each scenario is a business of its own whose name the fake finds in the system prompt,
so it answers from that business's script; the calls all start at once when the file
loads and each test checks one of them. What is checked: the model's tool calls run
through the receptionist's own tools (a booking at the right local time, billed once;
a time outside the hours refused and the refusal handed back to the model), a slow or
broken answer is replaced by the built-in receptionist's for that turn, transfer and
end_call give the same Telnyx commands and records as the built-in's, every request
the fake saw was valid and carried its own business's prompt only, nothing of what the
caller or the model said reaches the logs, the conversation survives a worker's death,
and a partial FRONTDESK_LLM_* set stops the worker with status 2."""
import copy
import datetime
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.parse

import harness
from apihelp import events_key
from harness import BIN, Sim, Worker, ctl, env, free_port, pg_rows, start_api, wait_for
from llmhelp import FakeModel

DENTAL = os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")
NOW = "2026-03-03T15:00:00Z"         # Tuesday March 3rd 2026, 10:00 in New York
BUDGET_MS = 1000
SECRET = "my neighbour Zebedee Quartermaine"    # caller words that must never be logged
MODEL_SECRET = "Xanthippe Vorticella"           # model words that must never be logged


E = env()
API = start_api(E)
SIM = Sim(E, API)
LLM = FakeModel()
LLM_ENV = LLM.worker_env(BUDGET_MS)
WORKER = Worker(E, SIM, "worker-llm", FRONTDESK_NOW=NOW, FRONTDESK_SILENCE_MS=5000,
                FRONTDESK_LOG_LEVEL="debug", **LLM_ENV)
R = E.redis()


def write_config(doc):
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(doc, f)
    f.close()
    return f.name


def business(name, doc=None):
    """A business named name with the dental clinic's configuration (or doc)."""
    number = harness.random_number()
    r = ctl(E, "tenant", "create", "--name", name, "--number", number)
    assert r.returncode == 0, r.stderr
    bid = r.stdout.strip()
    if doc is None:
        with open(DENTAL) as f:
            doc = json.load(f)
        doc["business_name"] = name
        doc["greeting"] = f"Thank you for calling {name}. How can I help you today?"
    path = write_config(doc)
    try:
        r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    finally:
        os.unlink(path)
    assert r.returncode == 0, r.stderr
    return bid, number


def small_business(name, service, price):
    hours = {d: ([{"open": "09:00", "close": "17:00"}] if i < 5 else [])
             for i, d in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])}
    return {"config_version": 1, "business_name": name,
            "greeting": f"Thank you for calling {name}. How can I help you today?",
            "voice": "Telnyx.KokoroTTS.af", "language": "en-US", "timezone": "America/New_York",
            "currency": "USD", "hours": hours,
            "services": [{"name": service, "duration_minutes": 30, "price": price,
                          "description": f"Our {service}."}],
            "booking": {"enabled": True, "slot_minutes": 30, "lead_time_minutes": 60,
                        "max_days_ahead": 30, "capacity_per_slot": 1}}


def commands(rec, name=None):
    return [c for c in rec["commands"] if not c.get("duplicate") and (name is None or c["command"] == name)]


def agent_lines(rec):
    return [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]


def requests_of(name):
    """The fake's recorded requests whose system prompt is business name's."""
    return LLM.requests_of(name)


def sent_texts(business_number):
    return SIM.texts_from(business_number)


def end_call_step(words="Thank you for calling, goodbye!"):
    return {"reply": words, "tool_calls": [{"name": "end_call", "arguments": {}}]}


# ---- the scenarios, all started at once ----

BOOK = "Aurora Dental"
BOOK_BID, BOOK_NUMBER = business(BOOK)
LLM.script_for(BOOK, [
    {"tool_calls": [{"name": "book", "arguments": {"service": "Cleaning", "day": "2026-03-04",
                                                   "time": "10:00", "caller_name": "Jane Roe"}}]},
    {"reply": "Wonderful, Jane: your cleaning is booked for tomorrow at 10 AM."},
    end_call_step(),
])
BOOK_CALL = SIM.call(BOOK_NUMBER, "+15550003001",
                     [{"say": "I'd like a cleaning tomorrow at ten, my name is Jane Roe"},
                      {"say": "no that's all, bye"}])

OUTSIDE = "Borealis Dental"
OUTSIDE_BID, OUTSIDE_NUMBER = business(OUTSIDE)
LLM.script_for(OUTSIDE, [
    {"tool_calls": [{"name": "book", "arguments": {"service": "Cleaning", "day": "2026-03-04",
                                                   "time": "20:00", "caller_name": "Max Ide"}}]},
    {"reply": "I'm sorry, 8 PM is after our hours; the latest free time that day is in the afternoon."},
    end_call_step(),
])
OUTSIDE_CALL = SIM.call(OUTSIDE_NUMBER, "+15550003002",
                        [{"say": "Book me a cleaning tomorrow at 8 pm, I'm Max Ide"}, {"say": "ok, bye"}])

SLOW = "Cirrus Dental"
SLOW_BID, SLOW_NUMBER = business(SLOW)
LLM.script_for(SLOW, [
    {"delay_ms": BUDGET_MS + 1500, "reply": "This answer comes too late."},
    end_call_step(),
])
SLOW_CALL = SIM.call(SLOW_NUMBER, "+15550003003", [{"say": "Do you take insurance?"}, {"say": "thanks, bye"}])

CLAIM = "Boaster Dental"
CLAIM_BID, CLAIM_NUMBER = business(CLAIM)
LLM.script_for(CLAIM, [
    {"reply": "Great news, you’re booked for a cleaning tomorrow at 10 AM!"},   # no book call
    end_call_step(),
])
CLAIM_CALL = SIM.call(CLAIM_NUMBER, "+15550003014", [{"say": "Can I get a cleaning tomorrow at 10?"},
                                                     {"say": "thanks, bye"}])

EARLY = "Hasty Dental"
EARLY_BID, EARLY_NUMBER = business(EARLY)
LLM.script_for(EARLY, [
    {"delay_ms": 800, "reply": "We are open from eight in the morning."},
    end_call_step(),
])
# the caller talks over the greeting and only the final transcription comes (Google's
# default): the greeting must stop at once, not when the model has answered. Speech of
# 150 ms a word leaves the greeting 450 ms to run after the caller's words end, so the
# stop is told from the greeting's own end even on a busy machine.
EARLY_CALL = SIM.call(EARLY_NUMBER, "+15550003015",
                      [{"say": "When do you open in the morning?", "barge_in": True, "interim": False},
                       {"say": "thanks, bye"}], speech_ms_per_word=150)

BROKEN = "Delphi Dental"
BROKEN_KINDS = ["not-json", "no-choices", "no-content", "bad-arguments", "unknown-tool", "http-500"]
BROKEN_QUESTIONS = ["Do you take insurance?", "Is there parking?", "Do you see children?",
                    "Where are you located?", "How much is a cleaning?", "What about whitening?"]
BROKEN_BID, BROKEN_NUMBER = business(BROKEN)
LLM.script_for(BROKEN, [{"broken": k} for k in BROKEN_KINDS] + [end_call_step()])
BROKEN_CALL = SIM.call(BROKEN_NUMBER, "+15550003004",
                       [{"say": q} for q in BROKEN_QUESTIONS] + [{"say": "that's all, bye"}])

TRANSFER = "Equinox Dental"
TRANSFER_BID, TRANSFER_NUMBER = business(TRANSFER)
LLM.script_for(TRANSFER, [
    {"reply": "Of course, let me connect you with our front desk.",
     "tool_calls": [{"name": "transfer", "arguments": {"reason": "caller asked for a person"}}]},
])
TRANSFER_CALL = SIM.call(TRANSFER_NUMBER, "+15550003005", [{"say": "Can I talk to a real person please?"}])

AFTER_TOOL = "Halcyon Dental"
AFTER_TOOL_BID, AFTER_TOOL_NUMBER = business(AFTER_TOOL)
LLM.script_for(AFTER_TOOL, [
    {"tool_calls": [{"name": "book", "arguments": {"service": "Cleaning", "day": "2026-03-04",
                                                   "time": "11:00", "caller_name": "Ola Berg"}}]},
    {"broken": "http-500"},
    end_call_step(),
])
AFTER_TOOL_CALL = SIM.call(AFTER_TOOL_NUMBER, "+15550003008",
                           [{"say": "A cleaning tomorrow at eleven for Ola Berg please"}, {"say": "no, bye"}])

LATE = "Kepler Dental"          # the follow-up after a booking has only the budget's rest
LATE_BID, LATE_NUMBER = business(LATE)
LLM.script_for(LATE, [
    {"delay_ms": 600, "tool_calls": [{"name": "book", "arguments": {
        "service": "Cleaning", "day": "2026-03-04", "time": "14:00", "caller_name": "Ines Lo"}}]},
    {"delay_ms": 900, "reply": "These words come after the turn's budget."},
    end_call_step(),
])
LATE_CALL = SIM.call(LATE_NUMBER, "+15550003017",
                     [{"say": "A cleaning tomorrow at two for Ines Lo please"}, {"say": "no, bye"}])

ROUNDS = "Ionian Dental"
ROUNDS_BID, ROUNDS_NUMBER = business(ROUNDS)
_check = {"tool_calls": [{"name": "check_availability",
                          "arguments": {"service": "Cleaning", "day": "2026-03-04", "time": "10:00"}}]}
LLM.script_for(ROUNDS, [_check, _check, _check, _check, end_call_step()])
ROUNDS_CALL = SIM.call(ROUNDS_NUMBER, "+15550003009",
                       [{"say": "Is tomorrow at ten free for a cleaning?"}, {"say": "ok bye"}])

NO_ONE = "Juniper Dental"      # no transfer number, no fallback: a transfer finds no one
NO_ONE_BID, NO_ONE_NUMBER = business(NO_ONE, small_business(NO_ONE, "Juniper Check", "40.00"))
LLM.script_for(NO_ONE, [
    {"reply": "Connecting you now.", "tool_calls": [{"name": "transfer", "arguments": {"reason": "asked"}}]},
    end_call_step("Goodbye!"),
])
NO_ONE_CALL = SIM.call(NO_ONE_NUMBER, "+15550003012", [{"say": "Let me talk to a person"}, {"say": "never mind, bye"}])

MOVE = "Lumen Dental"
MOVE_BID, MOVE_NUMBER = business(MOVE)
LLM.script_for(MOVE, [
    {"tool_calls": [{"name": "book", "arguments": {"service": "X-rays", "day": "2026-03-05",
                                                   "time": "09:00", "caller_name": "Rui Sol"}}]},
    {"reply": "Your X-rays are booked for Thursday at 9 AM."},
    {"tool_calls": [{"name": "cancel_booking", "arguments": {}},
                    {"name": "book", "arguments": {"service": "X-rays", "day": "2026-03-06",
                                                   "time": "09:00", "caller_name": "Rui Sol"}}]},
    {"reply": "Done: your X-rays are now on Friday at 9 AM instead."},
    end_call_step(),
])
MOVE_CALL = SIM.call(MOVE_NUMBER, "+15550003013",
                     [{"say": "X-rays on Thursday at nine for Rui Sol"},
                      {"say": "Actually, please move it to Friday at nine"}, {"say": "bye"}])

ISO_A, ISO_B = "Zephyr Dental Atelier", "Obsidian Barber Lounge"
ISO_A_BID, ISO_A_NUMBER = business(ISO_A, small_business(ISO_A, "Quartz Polish", "123.45"))
ISO_B_BID, ISO_B_NUMBER = business(ISO_B, small_business(ISO_B, "Moonlight Fade", "67.89"))
for _name in (ISO_A, ISO_B):
    LLM.script_for(_name, [{"reply": f"Happy to help, {MODEL_SECRET} speaking."},
                           end_call_step("Goodbye, and thank you!")])
ISO_A_CALL = SIM.call(ISO_A_NUMBER, "+15550003006", [{"say": f"Hello, {SECRET} sent me"}, {"say": "bye"}])
ISO_B_CALL = SIM.call(ISO_B_NUMBER, "+15550003007", [{"say": f"Hello, {SECRET} sent me"}, {"say": "bye"}])


# ---- the tests ----

def test_the_model_books_through_the_receptionists_tools_and_the_caller_hears_its_words():
    rec = SIM.wait_ended(BOOK_CALL, timeout=30)
    lines = agent_lines(rec)
    assert "Wonderful, Jane: your cleaning is booked for tomorrow at 10 AM." in lines, lines
    assert rec["hangup_source"] == "callee"
    rows = wait_for(lambda: pg_rows(E, "SELECT service, starts_at AT TIME ZONE 'America/New_York', caller_name, "
                                       "caller_number, status FROM bookings WHERE business_id = %s", BOOK_BID),
                    what="the booking in PostgreSQL")
    assert len(rows) == 1, rows
    service, starts, name, caller, status = rows[0]
    assert service == "Cleaning" and starts.strftime("%Y-%m-%d %H:%M") == "2026-03-04 10:00", rows
    assert name == "Jane Roe" and caller == "+15550003001" and status == "booked"
    usage = wait_for(lambda: pg_rows(E, "SELECT amount_cents FROM usage_events WHERE business_id = %s", BOOK_BID),
                     what="the usage event")
    assert usage == [(5000,)]
    texts = wait_for(lambda: [m for m in sent_texts(BOOK_NUMBER) if m["to"] == "+15550003001"],
                     what="the caller's confirmation")
    assert len(texts) == 1 and "booked" in texts[0]["text"]
    # the model saw the tool's result before its words
    reqs = requests_of(BOOK)
    assert len(reqs) == 3, [r["body"]["messages"][-1] for r in reqs]
    result = reqs[1]["body"]["messages"][-1]
    assert result["role"] == "tool" and json.loads(result["content"])["booked"] is True
    assert reqs[1]["body"]["messages"][-2]["tool_calls"][0]["function"]["name"] == "book"
    # the next turn carries the conversation so far
    roles = [m["role"] for m in reqs[2]["body"]["messages"]]
    assert roles == ["system", "user", "assistant", "tool", "assistant", "user"], roles
    # after the call, the analysis knows what the model's tools did
    [(score, reasons)] = wait_for(lambda: pg_rows(E, "SELECT score, reasons FROM lead_scores "
                                                     "WHERE business_id = %s", BOOK_BID), what="the lead score")
    assert score >= 60 and "booked Cleaning" in reasons, (score, reasons)
    [(summary,)] = pg_rows(E, "SELECT c.summary FROM call_conversations c JOIN call_logs l ON l.id = "
                              "c.call_log_id WHERE l.business_id = %s", BOOK_BID)
    assert "Jane Roe (+15550003001)" in summary and "Booked Cleaning for Wednesday, March 4th at 10 AM" in summary, \
        summary


def test_a_booking_outside_the_hours_is_refused_and_the_model_is_told():
    rec = SIM.wait_ended(OUTSIDE_CALL, timeout=30)
    lines = agent_lines(rec)
    assert any(l.startswith("I'm sorry, 8 PM is after our hours") for l in lines), lines
    assert not any("booked for" in l for l in lines), lines
    reqs = requests_of(OUTSIDE)
    assert len(reqs) >= 2
    result = reqs[1]["body"]["messages"][-1]
    assert result["role"] == "tool", result
    told = json.loads(result["content"])
    assert told["booked"] is False and told["free_times"], told
    assert all(t <= "19:00" for t in told["free_times"]), told
    time.sleep(0.5)
    assert pg_rows(E, "SELECT id FROM bookings WHERE business_id = %s", OUTSIDE_BID) == []


def test_a_slow_answer_is_replaced_by_the_built_in_receptionist_and_counted():
    rec = SIM.wait_ended(SLOW_CALL, timeout=30)
    lines = agent_lines(rec)
    assert not any("too late" in l for l in lines), lines
    assert any("Delta Dental" in l for l in lines), lines      # the built-in's FAQ answer
    reqs = requests_of(SLOW)
    assert reqs[0]["client_closed_ms"] is not None and reqs[0]["client_closed_ms"] < BUDGET_MS + 1000, reqs[0]
    # the model is told next turn what the built-in receptionist said
    msgs = reqs[1]["body"]["messages"]
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"], msgs
    assert "Delta Dental" in msgs[2]["content"]
    assert WORKER.metric('frontdesk_llm_turns_total{outcome="timeout"}') >= 1
    assert WORKER.metric("frontdesk_llm_fallbacks_total") >= 1
    assert WORKER.metric('frontdesk_llm_caller_turns_total{answer="builtin"}') >= 1
    assert rec["hangup_source"] == "callee"


def test_a_model_that_claims_a_booking_it_never_made_is_not_heard():
    """The caller hears "booked" only once the hold is taken: a reply that says so when
    nothing was booked in the call is replaced by the built-in receptionist's answer."""
    rec = SIM.wait_ended(CLAIM_CALL, timeout=30)
    lines = agent_lines(rec)
    assert not any("Great news" in l or "booked" in l.lower() for l in lines), lines
    assert any("Jane" in l or "name" in l.lower() or "check" in l.lower() for l in lines[1:]), lines
    assert pg_rows(E, "SELECT count(*) FROM bookings WHERE business_id = %s", CLAIM_BID) == [(0,)]
    assert WORKER.metric('frontdesk_llm_caller_turns_total{answer="builtin"}') >= 1


def test_talking_over_the_receptionist_stops_it_before_the_model_answers():
    rec = SIM.wait_ended(EARLY_CALL, timeout=30)
    stops = [c for c in rec["commands"] if c["command"] == "playback_stop"]
    answer = [c for c in rec["commands"] if c["command"] == "speak"
              and "eight in the morning" in c["body"].get("payload", "")]
    assert stops and answer, rec["commands"]
    assert answer[0]["at"] - stops[0]["at"] >= 0.5, (stops[0]["at"], answer[0]["at"])
    assert rec["transcript"][0]["speaker"] == "agent" and rec["transcript"][0].get("interrupted")
    # the flow's own stop, sent with the answer, carries the same command_id: a repeat
    assert len(stops) == 2 and stops[1]["duplicate"], stops
    assert stops[0]["body"]["command_id"] == stops[1]["body"]["command_id"]


def test_broken_answers_of_each_kind_are_replaced_by_the_built_in_receptionist():
    rec = SIM.wait_ended(BROKEN_CALL, timeout=40)
    lines = agent_lines(rec)
    assert len(lines) == 1 + len(BROKEN_QUESTIONS) + 1, lines
    assert not any("fake" in l or "launch_rocket" in l for l in lines), lines
    answers = lines[1:-1]
    assert "Delta Dental" in answers[0] and "parking" in answers[1].lower(), answers
    assert all(a for a in answers)
    reqs = requests_of(BROKEN)
    assert [r["step"].get("broken") for r in reqs[:len(BROKEN_KINDS)]] == BROKEN_KINDS
    assert WORKER.metric('frontdesk_llm_turns_total{outcome="invalid"}') >= 5
    assert WORKER.metric('frontdesk_llm_turns_total{outcome="http_error"}') >= 1
    assert rec["hangup_source"] == "callee"


def test_a_transfer_from_the_model_is_the_built_in_receptionists_transfer():
    rec = wait_for(lambda: (lambda r: r if commands(r, "transfer") else None)(SIM.call_record(TRANSFER_CALL)),
                   timeout=30, what="a transfer")
    assert commands(rec, "transfer")[0]["body"]["to"] == "+12015550143"
    assert "Of course, let me connect you with our front desk." in agent_lines(rec)
    SIM.wait_ended(TRANSFER_CALL, timeout=30)
    logs = wait_for(lambda: pg_rows(E, "SELECT outcome FROM call_logs WHERE call_control_id = %s", TRANSFER_CALL),
                    what="the call log")
    assert logs == [("forwarded",)]
    texts = wait_for(lambda: [m for m in sent_texts(TRANSFER_NUMBER) if m["to"] == "+12015550199"],
                     what="the owner's escalation text")
    assert len(texts) == 1 and "transferred" in texts[0]["text"]


def test_a_transfer_that_finds_no_one_is_handled_as_the_built_in_does_and_the_model_is_told():
    rec = SIM.wait_ended(NO_ONE_CALL, timeout=30)
    assert commands(rec, "transfer") == []
    lines = agent_lines(rec)
    assert "Connecting you now." in lines, lines
    assert any(l.startswith("I'm sorry, I couldn't reach anyone just now, so I'll take a message") for l in lines), lines
    msgs = requests_of(NO_ONE)[1]["body"]["messages"]
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "tool", "assistant", "user"], msgs
    assert msgs[4]["content"].startswith("I'm sorry, I couldn't reach anyone just now, so I'll take a message"), msgs[4]


def test_the_model_moves_a_booking_it_is_cancelled_and_the_new_one_not_billed_again():
    rec = SIM.wait_ended(MOVE_CALL, timeout=30)
    assert "Done: your X-rays are now on Friday at 9 AM instead." in agent_lines(rec)
    told = json.loads(requests_of(MOVE)[3]["body"]["messages"][-2]["content"])
    assert told["cancelled"] is True and told["day"] == "2026-03-05" and told["time"] == "09:00", told
    rows = wait_for(lambda: (lambda r: r if len(r) == 2 and any(x[1] == "cancelled" for x in r) else None)(
        pg_rows(E, "SELECT starts_at AT TIME ZONE 'America/New_York', status FROM bookings "
                   "WHERE business_id = %s ORDER BY starts_at", MOVE_BID)), what="two bookings, one cancelled")
    assert [(r[0].strftime("%m-%d %H:%M"), r[1]) for r in rows] == [("03-05 09:00", "cancelled"),
                                                                    ("03-06 09:00", "booked")], rows
    time.sleep(0.3)
    assert pg_rows(E, "SELECT amount_cents FROM usage_events WHERE business_id = %s", MOVE_BID) == [(5000,)]


def test_when_the_model_fails_after_a_booking_the_caller_hears_the_booking():
    rec = SIM.wait_ended(AFTER_TOOL_CALL, timeout=30)
    lines = agent_lines(rec)
    said = [l for l in lines if "booked" in l]
    assert len(said) == 1, lines
    assert said[0].startswith("You're booked for Cleaning on tomorrow, Wednesday, March 4th at 11 AM."), said
    assert said[0].endswith("Is there anything else I can help you with?"), said
    rows = wait_for(lambda: pg_rows(E, "SELECT starts_at AT TIME ZONE 'America/New_York' FROM bookings "
                                       "WHERE business_id = %s", AFTER_TOOL_BID), what="the booking")
    assert [r[0].strftime("%H:%M") for r in rows] == ["11:00"]
    assert WORKER.metric('frontdesk_llm_caller_turns_total{answer="tool_result"}') >= 2


def test_a_turn_with_a_tool_round_keeps_to_one_budget():
    """The model took 600 ms to ask for the booking: its follow-up gets the 400 ms left of
    the 1 s budget, not a budget of its own, and the caller hears the booking at once."""
    rec = SIM.wait_ended(LATE_CALL, timeout=30)
    lines = agent_lines(rec)
    assert not any("after the turn's budget" in l for l in lines), lines
    assert any(l.startswith("You're booked for Cleaning on tomorrow, Wednesday, March 4th at 2 PM.")
               for l in lines), lines
    reqs = requests_of(LATE)
    closed = reqs[1]["client_closed_ms"]
    assert closed is not None and closed < 850, reqs[1]     # about 400 ms left, not 1000


def test_tool_rounds_per_caller_turn_are_bounded():
    rec = SIM.wait_ended(ROUNDS_CALL, timeout=30)
    lines = agent_lines(rec)
    assert "Yes, 10 AM is free. Is there anything else I can help you with?" in lines, lines
    reqs = requests_of(ROUNDS)
    assert len(reqs) == 5, len(reqs)              # 4 for the first turn, 1 for the goodbye
    roles = [m["role"] for m in reqs[4]["body"]["messages"]]
    # three rounds ran; the fourth answer's calls were not run nor kept
    assert roles == ["system", "user"] + ["assistant", "tool"] * 3 + ["assistant", "user"], roles


def test_end_call_from_the_model_says_its_goodbye_and_hangs_up():
    for call in (ISO_A_CALL, ISO_B_CALL):
        rec = SIM.wait_ended(call, timeout=30)
        lines = agent_lines(rec)
        assert lines[-1] == "Goodbye, and thank you!", lines
        assert rec["hangup_source"] == "callee"
        names = [c["command"] for c in commands(rec)]
        assert names.count("hangup") == 1 and names[-1] == "hangup", names
        logs = wait_for(lambda: pg_rows(E, "SELECT outcome FROM call_logs WHERE call_control_id = %s", call),
                        what="the call log")
        assert logs == [("answered_by_agent",)]


def test_every_request_was_valid_and_each_prompt_holds_only_its_own_business():
    reqs = LLM.requests()
    assert reqs and all(r["valid"] for r in reqs), [r["problems"] for r in reqs if not r["valid"]]
    a, b = requests_of(ISO_A), requests_of(ISO_B)
    assert a and b
    for r in a:
        prompt = r["body"]["messages"][0]["content"]
        assert "Quartz Polish" in prompt and "123.45" in prompt
        for other in ("Obsidian", "Moonlight Fade", "67.89", "Bright Smile", "Cleaning", "Aurora"):
            assert other not in prompt, other
    for r in b:
        prompt = r["body"]["messages"][0]["content"]
        assert "Moonlight Fade" in prompt and "67.89" in prompt
        for other in ("Zephyr", "Quartz Polish", "123.45", "Bright Smile", "Cleaning", "Aurora"):
            assert other not in prompt, other
    # the tools offered name only the business's own services
    enum = a[0]["body"]["tools"][1]["function"]["parameters"]["properties"]["service"]["enum"]
    assert enum == ["Quartz Polish"]
    # every request names one business only
    names = [BOOK, OUTSIDE, SLOW, CLAIM, EARLY, BROKEN, TRANSFER, AFTER_TOOL, LATE, ROUNDS, NO_ONE, MOVE, ISO_A,
             ISO_B]
    for r in reqs:
        prompt = r["body"]["messages"][0]["content"]
        assert sum(n in prompt for n in names) == 1, prompt[:200]


def test_nothing_the_caller_or_the_model_said_is_logged():
    out = WORKER.output()
    assert '"model turn"' in out                 # the debug lines were written
    for words in (SECRET, "Zebedee", MODEL_SECRET, "Jane Roe", "Wonderful, Jane", "insurance"):
        assert words not in out, words


def test_the_conversation_is_kept_with_the_calls_state_in_redis():
    key = events_key(BOOK_BID).replace(":events", ":call:" + BOOK_CALL)
    raw = R.hget(key, "llm")
    assert raw is not None
    hist = json.loads(raw)
    assert [m["r"] for m in hist][:4] == ["u", "a", "t", "a"], hist
    assert hist[1]["c"][0]["n"] == "book"


def test_processes_stop_cleanly():
    assert WORKER.stop() == 0


def test_the_conversation_survives_a_workers_death():
    """A worker takes the call over from one that died: the model sees the first turn."""
    name = "Gossamer Dental"
    bid, number = business(name)
    LLM.script_for(name, [{"reply": "We are open until five today."},
                          {"reply": "You are welcome.", "tool_calls": [{"name": "end_call", "arguments": {}}]}])
    env_ = dict(FRONTDESK_NOW=NOW, FRONTDESK_SILENCE_MS=20000, **LLM_ENV)
    first = Worker(E, SIM, "worker-llm-1", **env_)
    call = SIM.call(number, "+15550003010", [{"say": "Until when are you open today?"}, {"pause_ms": 4000},
                                             {"say": "Thanks, that's all"}])
    wait_for(lambda: "We are open until five today." in agent_lines(SIM.call_record(call)), timeout=20,
             what="the first model answer spoken")
    key = events_key(bid).replace(":events", ":call:" + call)
    wait_for(lambda: R.hget(key, "llm"), timeout=10, what="the first turn committed")
    first.p.send_signal(signal.SIGKILL)
    first.p.wait()
    first.kill_quietly()
    second = Worker(E, SIM, "worker-llm-2", **env_)
    rec = SIM.wait_ended(call, timeout=30)
    assert agent_lines(rec)[-1] == "You are welcome.", agent_lines(rec)
    reqs = requests_of(name)
    assert len(reqs) == 2
    msgs = reqs[1]["body"]["messages"]
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"], msgs
    assert msgs[2]["content"] == "We are open until five today."
    assert second.stop() == 0


def test_a_replayed_model_turn_runs_the_tool_calls_kept_by_the_first_attempt():
    """The worker dies while the model words its answer after a booking. The new owner
    replays the event, and the model, asked again, picks another time: the calls kept
    by the first attempt run instead, so one place is held and one booking is made."""
    name = "Meridian Dental"
    bid, number = business(name)

    def book(hhmm):
        return {"tool_calls": [{"name": "book", "arguments": {
            "service": "Cleaning", "day": "2026-03-04", "time": hhmm, "caller_name": "Pia Lind"}}]}
    words = "You're booked for a cleaning tomorrow at 10 AM, Pia."
    LLM.script_for(name, [book("10:00"), {"delay_ms": 8000, "reply": "(the first owner's words)"},
                          book("11:00"), {"reply": words}, end_call_step()])
    env_ = dict(LLM_ENV, FRONTDESK_LLM_BUDGET_MS=10000, FRONTDESK_NOW=NOW, FRONTDESK_SILENCE_MS=20000)
    prefix = events_key(bid)[:-len(":events")]

    def places(hhmm):      # 2026-03-04 in New York is UTC-5
        h, m = map(int, hhmm.split(":"))
        ms = int(datetime.datetime(2026, 3, 4, h + 5, m, tzinfo=datetime.timezone.utc).timestamp() * 1000)
        return R.hlen(f"{prefix}:slot:{ms}")
    first = Worker(E, SIM, "worker-llm-replay-1", **env_)
    call = SIM.call(number, "+15550003016", [{"say": "A cleaning tomorrow at ten for Pia Lind"},
                                             {"say": "thanks, bye"}])
    wait_for(lambda: len(requests_of(name)) >= 2, timeout=20, what="the model asked after the booking")
    assert places("10:00") == 1
    first.p.send_signal(signal.SIGKILL)
    first.p.wait()
    first.kill_quietly()
    second = Worker(E, SIM, "worker-llm-replay-2", **env_)
    rec = SIM.wait_ended(call, timeout=40)
    assert words in agent_lines(rec), agent_lines(rec)
    assert "(the first owner's words)" not in agent_lines(rec)
    rows = wait_for(lambda: pg_rows(E, "SELECT to_char(starts_at AT TIME ZONE 'America/New_York', 'HH24:MI'), "
                                       "status FROM bookings WHERE business_id = %s", bid), what="the booking")
    assert rows == [("10:00", "booked")], rows
    assert (places("10:00"), places("11:00")) == (1, 0)
    usage = wait_for(lambda: pg_rows(E, "SELECT amount_cents FROM usage_events WHERE business_id = %s", bid),
                     what="the usage event")
    assert usage == [(5000,)]
    # the model was asked again on the replay, and then shown the kept call, not its new one
    reqs = requests_of(name)
    assert len(reqs) == 5, len(reqs)
    kept = reqs[3]["body"]["messages"][-2]["tool_calls"][0]["function"]
    assert kept["name"] == "book" and json.loads(kept["arguments"])["time"] == "10:00", kept
    assert second.stop() == 0


def test_a_worker_stopped_during_a_model_turn_finishes_the_turn_and_exits_cleanly():
    name = "Kestrel Dental"
    bid, number = business(name)
    LLM.script_for(name, [{"delay_ms": 6000, "reply": "This answer comes too late."}])
    env_ = dict(LLM_ENV, FRONTDESK_LLM_BUDGET_MS=2000)
    worker = Worker(E, SIM, "worker-llm-stop", FRONTDESK_NOW=NOW, **env_)
    call = SIM.call(number, "+15550003011", [{"say": "Do you take insurance?"}])
    wait_for(lambda: requests_of(name), timeout=20, what="the model asked")
    started = time.time()
    assert worker.stop(timeout=12) == 0              # drains: the turn ends, then it leaves
    assert time.time() - started < 10
    lines = agent_lines(SIM.call_record(call))
    assert any("Delta Dental" in l for l in lines), lines     # the built-in answered in time
    SIM.post(f"/_sim/calls/{urllib.parse.quote(call, safe='')}/hangup", {})


def test_a_partial_model_configuration_stops_the_worker_with_status_2():
    cases = [({"FRONTDESK_LLM_URL": "http://127.0.0.1:9/v1"}, "FRONTDESK_LLM_API_KEY"),
             ({"FRONTDESK_LLM_URL": "http://127.0.0.1:9/v1", "FRONTDESK_LLM_API_KEY": "k"}, "FRONTDESK_LLM_MODEL"),
             ({"FRONTDESK_LLM_MODEL": "m"}, "FRONTDESK_LLM_URL"),
             ({"FRONTDESK_LLM_URL": "ftp://x", "FRONTDESK_LLM_API_KEY": "k", "FRONTDESK_LLM_MODEL": "m"},
              "FRONTDESK_LLM_URL"),
             ({"FRONTDESK_LLM_URL": "http://x/v1", "FRONTDESK_LLM_API_KEY": "k", "FRONTDESK_LLM_MODEL": "m",
               "FRONTDESK_LLM_BUDGET_MS": "0"}, "FRONTDESK_LLM_BUDGET_MS")]
    for extra, named in cases:
        vars_ = E.base_env(FRONTDESK_TELNYX_API_URL=SIM.url + "/v2", FRONTDESK_TELNYX_API_KEY="k",
                           FRONTDESK_WORKER_LISTEN=f"127.0.0.1:{free_port()}", **extra)
        r = subprocess.run([os.path.join(BIN, "frontdesk-worker")], env=vars_, capture_output=True,
                           text=True, timeout=10)
        harness.assert_no_sanitizer_report(r.stderr, "frontdesk-worker")
        assert r.returncode == 2, (extra, r.returncode, r.stderr)
        assert named in r.stderr, (extra, r.stderr)


def test_the_other_processes_stop_cleanly():
    assert LLM.stop() == 0
    assert SIM.stop() == 0
    assert API.stop() == 0
