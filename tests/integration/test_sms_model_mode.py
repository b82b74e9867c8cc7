"""Model mode answers texts too: api, Redis, a worker with FRONTDESK_LLM_* set, the
Telnyx simulator, PostgreSQL and the project's fake OpenAI-compatible server, all real.
A texter's words go to the model with the business's prompt and tools; its book tool
runs through the receptionist's own tools (a booking row, billed once, with its
confirmation text) and its reply is texted back; a model too slow for the turn's budget
is replaced by the built-in receptionist for that turn, and the texter still gets an
answer. Tuesday March 3rd 2026, 10:00 in New York."""
import json
import os
import tempfile

import harness
from harness import Sim, Worker, ctl, env, pg_rows, start_api, wait_for
from llmhelp import FakeModel

DENTAL = os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")
NOW = "2026-03-03T15:00:00Z"
BUDGET_MS = 1000

E = env()
API = start_api(E)
SIM = Sim(E, API)
LLM = FakeModel()
WORKER = Worker(E, SIM, "worker-sms-llm", FRONTDESK_NOW=NOW, FRONTDESK_SMS_GATHER_MS="300",
                **LLM.worker_env(BUDGET_MS))


def teardown_module(module):
    for p in (WORKER, LLM, SIM, API):
        p.stop()


def business(name):
    number = harness.random_number()
    r = ctl(E, "tenant", "create", "--name", name, "--number", number)
    assert r.returncode == 0, r.stderr
    bid = r.stdout.strip()
    with open(DENTAL) as f:
        doc = json.load(f)
    doc["business_name"] = name
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
        path = f.name
    try:
        r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    finally:
        os.unlink(path)
    assert r.returncode == 0, r.stderr
    return bid, number


def texts_to(number, caller):
    return [t["text"] for t in SIM.texts_from(number) if t["to"] == caller]


def test_the_model_books_by_text_through_the_receptionist_tools():
    name = "Aurora Texting Dental"
    bid, number = business(name)
    LLM.script_for(name, [
        {"tool_calls": [{"name": "book", "arguments": {"service": "Cleaning", "day": "2026-03-04",
                                                       "time": "10:00", "caller_name": "Jane Roe"}}]},
        {"reply": "Wonderful, Jane: your cleaning is booked for tomorrow at 10 AM."},
    ])
    caller = "+15550004001"
    SIM.post("/_sim/messages", {"from": caller, "to": number,
                                "text": "I'd like a cleaning tomorrow at ten, my name is Jane Roe"})
    got = wait_for(lambda: (lambda t: t if len(t) >= 2 else None)(texts_to(number, caller)), timeout=30,
                   what="the reply and the confirmation")
    assert "Wonderful, Jane: your cleaning is booked for tomorrow at 10 AM." in got, got
    rows = wait_for(lambda: pg_rows(E, "SELECT service, caller_name, status FROM bookings WHERE business_id = %s",
                                    bid), what="the booking")
    assert rows == [("Cleaning", "Jane Roe", "booked")]
    wait_for(lambda: pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", bid) == [(1,)],
             what="billed once")
    reqs = LLM.requests_of(name)
    assert reqs and any("Jane Roe" in json.dumps(r["body"]["messages"]) for r in reqs)


def test_a_slow_model_is_replaced_by_the_built_in_receptionist_for_the_text():
    name = "Cirrus Texting Dental"
    bid, number = business(name)
    LLM.script_for(name, [{"delay_ms": BUDGET_MS + 1500, "reply": "This answer comes too late."}])
    caller = "+15550004002"
    SIM.post("/_sim/messages", {"from": caller, "to": number, "text": "What are your hours on Friday?"})
    got = wait_for(lambda: texts_to(number, caller), timeout=30, what="an answer")
    assert got and "This answer comes too late." not in got, got
