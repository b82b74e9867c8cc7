"""What a finished call leaves for the business (lib/call/call_analysis.c, through api,
worker, simulator, Redis and PostgreSQL): a lead score with its reasons, the upsell
opportunities with the caller's own words, the call's summary, and the owner's text
about the call when the business asked for one, within a minute of the hang-up."""
import json
import os
import tempfile
import time

import harness
from harness import Sim, Worker, ctl, env, pg_rows, start_api, wait_for

E = env()
API = start_api(E)
SIM = Sim(E, API)
# The receptionist's clock: Tuesday March 3rd 2026, 10:00 in New York (open hours).
WORKER = Worker(E, SIM, FRONTDESK_SILENCE_MS=800, FRONTDESK_NOW="2026-03-03T15:00:00Z")
OWNER = "+12015550199"


def dental(name, summary_texts=False):
    number = harness.random_number()
    r = ctl(E, "tenant", "create", "--name", name, "--number", number)
    assert r.returncode == 0, r.stderr
    bid = r.stdout.strip()
    with open(os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")) as f:
        doc = json.load(f)
    if summary_texts:
        doc["notifications"]["on"].append("call_summary")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
    r = ctl(E, "agent", "set", "--business", bid, "--file", f.name)
    os.unlink(f.name)
    assert r.returncode == 0, r.stderr
    return bid, number


def call(number, caller, *utterances):
    cid = SIM.call(number, caller, [{"say": u} for u in utterances])
    rec = SIM.wait_ended(cid, timeout=40)
    return cid, rec


def owner_texts(business_number):
    return [m["text"] for m in SIM.texts_from(business_number) if m["to"] == OWNER]


def test_a_booking_call_scores_high_with_its_reasons_upsells_and_summary():
    bid, number = dental("Analysis Dental", summary_texts=True)
    cid, _ = call(number, "+15550003001", "How much is a teeth cleaning?",
                  "OK, I'd like to book one tomorrow at 10 in the morning", "Jane Doe", "yes please",
                  "no that's all, bye")
    ended = time.time()
    [(score, reasons)] = wait_for(lambda: pg_rows(E, "SELECT score, reasons FROM lead_scores "
                                                     "WHERE business_id = %s AND call_control_id = %s",
                                                  bid, cid), what="the lead score")
    assert score >= 70, (score, reasons)
    assert "booked Cleaning" in reasons and "asked about prices" in reasons, reasons
    ups = wait_for(lambda: pg_rows(E, "SELECT service, suggested_service, evidence FROM upsell_opportunities "
                                      "WHERE business_id = %s ORDER BY suggested_service", bid),
                   what="the upsells")
    assert [(u[0], u[1]) for u in ups] == [("Cleaning", "Whitening"), ("Cleaning", "X-rays")], ups
    assert ups[0][2] == '"How much is a teeth cleaning?"', ups      # the caller's own words
    [(summary,)] = pg_rows(E, "SELECT c.summary FROM call_conversations c JOIN call_logs l "
                              "ON l.id = c.call_log_id WHERE l.call_control_id = %s", cid)
    assert "Jane Doe (+15550003001)" in summary, summary
    assert "Booked Cleaning for Wednesday, March 4th at 10 AM" in summary, summary
    # the lead score points at the call's log row
    assert pg_rows(E, "SELECT count(*) FROM lead_scores s JOIN call_logs l ON l.id = s.call_log_id "
                      "WHERE l.call_control_id = %s", cid) == [(1,)]
    text = wait_for(lambda: [t for t in owner_texts(number) if "Lead score" in t], timeout=60,
                    what="the owner's call summary text")
    assert time.time() - ended < 60
    assert len(text) == 1 and "Booked Cleaning" in text[0] and f"Lead score {score}/100" in text[0], text
    # /metrics counts what the caller got: a booking, texts (the confirmation, the summary)
    assert WORKER.metric("frontdesk_call_bookings_total") >= 1
    assert WORKER.metric("frontdesk_call_texts_total") >= 1


def test_a_caller_who_only_asks_the_hours_scores_low_and_no_summary_text_unless_asked():
    bid, number = dental("Hours Only Dental")
    cid, _ = call(number, "+15550003002", "What are your hours on Friday?", "thanks, bye")
    [(score, reasons)] = wait_for(lambda: pg_rows(E, "SELECT score, reasons FROM lead_scores "
                                                     "WHERE business_id = %s", bid), what="the lead score")
    assert 10 <= score <= 20 and "hours" in reasons, (score, reasons)
    assert pg_rows(E, "SELECT count(*) FROM upsell_opportunities WHERE business_id = %s", bid) == [(0,)]
    time.sleep(1.0)
    assert [t for t in owner_texts(number) if "Lead score" in t] == []   # not configured


def test_a_silent_caller_scores_zero():
    bid, number = dental("Silent Dental")
    cid = SIM.call(number, "+15550003003", [])
    SIM.wait_ended(cid, timeout=40)
    [(score, reasons)] = wait_for(lambda: pg_rows(E, "SELECT score, reasons FROM lead_scores "
                                                     "WHERE business_id = %s", bid), what="the lead score")
    assert score == 0 and "said nothing" in reasons


def test_processes_stop_cleanly():
    assert WORKER.stop() == 0
    assert SIM.stop() == 0
    assert API.stop() == 0
