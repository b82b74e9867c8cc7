"""frontdesk-worker answers and drives calls: api, Redis, worker, the Telnyx simulator
and PostgreSQL, all real, over HTTP. What a caller hears, what Telnyx receives, and
what the business's records show."""
import base64
import json
import os
import urllib.parse
import time
import uuid

import msgpack

import harness
from apihelp import events_key
from harness import Sim, Worker, ctl, env, pg_rows, post_webhook, start_api, wait_for, webhook

E = env()
API = start_api(E)
SIM = Sim(E, API)
# The receptionist's clock: Tuesday March 3rd 2026, 10:00 in New York (open hours).
NOW = "2026-03-03T15:00:00Z"
WORKER = Worker(E, SIM, FRONTDESK_SILENCE_MS=800, FRONTDESK_NOW=NOW)
R = E.redis()


def business(name="Bright Smile Dental", fallback=None):
    number = harness.random_number()
    args = ["tenant", "create", "--name", name, "--number", number]
    if fallback:
        args += ["--fallback", fallback]
    r = ctl(E, *args)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip(), number


def records_of(call_id):
    logs = pg_rows(E, "SELECT id, business_id, outcome, from_number, to_number, hangup_source, "
                      "answered_at IS NOT NULL FROM call_logs WHERE call_control_id = %s", call_id)
    return logs


def wait_records(call_id, timeout=20):
    return wait_for(lambda: records_of(call_id), timeout=timeout, what=f"call log of {call_id}")


def commands(rec, name=None):
    return [c for c in rec["commands"] if not c.get("duplicate") and (name is None or c["command"] == name)]


def agent_lines(rec):
    return [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]


def test_a_whole_call_end_to_end_sends_each_step_once_and_records_it_once():
    bid, number = business("Bright Smile Dental")
    call = SIM.call(number, "+15550001234", [{"say": "What are your hours?"}, {"say": "Great, thanks, bye"}])
    rec = SIM.wait_ended(call)
    assert rec["hangup_source"] == "callee"           # the receptionist said goodbye and hung up
    lines = agent_lines(rec)
    assert lines[0].startswith("Thank you for calling Bright Smile Dental")
    assert "Monday to Friday" in lines[1] and "9 AM" in lines[1] and "5 PM" in lines[1]
    assert "bye" in lines[-1].lower()
    names = [c["command"] for c in commands(rec)]
    assert names.count("answer") == 1 and names.count("transcription_start") == 1
    assert names.count("hangup") == 1 and names.count("speak") == 3
    assert names.index("answer") < names.index("speak") < names.index("transcription_start")
    # every command carries our client_state and a distinct command_id
    ids = [c["body"].get("command_id") for c in commands(rec)]
    assert all(ids) and len(set(ids)) == len(ids)
    cs = base64.b64decode(commands(rec)[0]["body"]["client_state"]).decode()
    assert cs.startswith(f"fd1:{bid}:")
    assert SIM.invalid_requests() == []
    logs = wait_records(call)
    assert len(logs) == 1
    _, log_bid, outcome, frm, to, source, answered = logs[0]
    assert str(log_bid) == bid and outcome == "answered_by_agent" and answered
    assert (frm, to, source) == ("+15550001234", number, "callee")
    shown = ctl(E, "calls", "--business", bid)
    assert shown.returncode == 0 and call in shown.stdout and "ended" in shown.stdout
    conv = pg_rows(E, "SELECT id, turns, summary FROM call_conversations WHERE call_log_id = %s", logs[0][0])
    # the summary of the call (lib/call/call_analysis.c): who called, how often they spoke, what about
    assert len(conv) == 1 and conv[0][1] == 5, conv
    assert conv[0][2] == "A caller (+15550001234) spoke 2 times. Asked about hours.", conv[0][2]
    turns = wait_for(lambda: (lambda rows: rows if len(rows) == 5 else None)(
        pg_rows(E, "SELECT turn, speaker, text FROM conversation_history WHERE conversation_id = %s "
                   "ORDER BY turn", conv[0][0])), what="5 turns")
    assert [t[1] for t in turns] == ["agent", "caller", "agent", "caller", "agent"]
    assert [t[0] for t in turns] == [0, 1, 2, 3, 4]
    assert turns[1][2] == "What are your hours?"
    # the worker's log: one line as the call started and one as it ended, without its words
    mine = [json.loads(l) for l in WORKER.output().splitlines() if l.startswith("{") and call in l]
    started = [l for l in mine if l["msg"] == "call started"]
    ended = [l for l in mine if l["msg"] == "call ended"]
    assert len(started) == 1 and len(ended) == 1, mine
    assert started[0]["business_id"] == bid and started[0]["direction"] == "incoming"
    assert ended[0]["outcome"] == "answered_by_agent" and ended[0]["turns"] == 5, ended
    assert 0 <= ended[0]["duration_s"] < 60
    assert not any("hours" in json.dumps(l).lower() for l in started + ended)


def test_silence_gets_a_reprompt_then_a_polite_goodbye_and_hangup():
    bid, number = business("Quiet Hours Salon")
    call = SIM.call(number, "+15550001235", [{"silence": True}])
    rec = SIM.wait_ended(call, timeout=30)
    lines = agent_lines(rec)
    assert len(lines) == 3, lines
    assert "still" in lines[1]
    assert "bye" in lines[2].lower() and "Quiet Hours Salon" in lines[2]
    assert rec["hangup_source"] == "callee"


def test_caller_speaking_over_the_receptionist_stops_it():
    bid, number = business("Barge Plumbing")
    call = SIM.call(number, "+15550001236", [{"say": "Sorry to interrupt, what are your hours", "barge_in": True},
                                             {"say": "ok bye"}])
    rec = SIM.wait_ended(call)
    stops = commands(rec, "playback_stop")
    assert len(stops) >= 1
    names = [c["command"] for c in commands(rec)]
    assert names.index("playback_stop") < len(names) - 1
    lines = agent_lines(rec)
    assert len(lines) >= 2 and any("9 AM" in l or "open" in l.lower() for l in lines[1:]), lines


def test_caller_hanging_up_is_recorded_with_its_source():
    bid, number = business("Hangup Clinic")
    call = SIM.call(number, "+15550001237", [{"say": "Hello"}, {"hangup": True}])
    SIM.wait_ended(call)
    logs = wait_records(call)
    assert logs[0][2] == "answered_by_agent" and logs[0][5] == "caller"


def test_business_without_an_active_agent_forwards_to_its_fallback_number():
    bid, number = business("Closed Bakery", fallback="+15559998888")
    pg_rows(E, "UPDATE ai_agents SET is_active = false WHERE business_id = %s RETURNING id", bid)
    call = SIM.call(number, "+15550001238", [])
    rec = wait_for(lambda: (lambda r: r if commands(r, "transfer") else None)(SIM.call_record(call)),
                   what="a transfer")
    assert commands(rec, "transfer")[0]["body"]["to"] == "+15559998888"
    assert commands(rec, "speak") == []          # no receptionist spoke
    rec = SIM.wait_ended(call, timeout=30)
    logs = wait_records(call)
    assert logs[0][2] == "forwarded"


def test_business_without_agent_or_fallback_says_it_cannot_take_the_call():
    bid, number = business("Nobody Home")
    pg_rows(E, "UPDATE ai_agents SET is_active = false WHERE business_id = %s RETURNING id", bid)
    call = SIM.call(number, "+15550001239", [])
    rec = SIM.wait_ended(call)
    lines = agent_lines(rec)
    assert len(lines) == 1 and "cannot take your call" in lines[0]
    assert commands(rec, "transcription_start") == []
    assert wait_records(call)[0][2] == "rejected_no_agent"


def test_duplicated_and_reordered_webhooks_change_nothing():
    bid, number = business("Echo Dental")
    call = SIM.call(number, "+15550001240", [{"say": "What are your hours?"}, {"say": "bye"}],
                    duplicates=True, reorder=True)
    rec = SIM.wait_ended(call, timeout=30)
    names = [c["command"] for c in commands(rec)]
    assert names.count("answer") == 1 and names.count("hangup") == 1
    assert len(wait_records(call)) == 1


def test_late_events_after_hangup_send_nothing():
    bid, number = business("Late Events Inc")
    call = SIM.call(number, "+15550001241", [{"say": "bye"}])
    rec = SIM.wait_ended(call)
    sent_before = len(rec["commands"])
    cs = commands(rec)[0]["body"]["client_state"]
    for event_type in ("call.speak.ended", "call.answered", "call.initiated"):
        payload = {"call_control_id": call, "call_leg_id": "l", "call_session_id": "s",
                   "connection_id": "c", "client_state": cs, "status": "completed",
                   "from": "+15550001241", "to": number, "direction": "incoming"}
        assert post_webhook(E, API, webhook(event_type, payload))[0] == 200
    # the worker acknowledged them all and sent nothing
    wait_for(lambda: all(g["pending"] == 0 and g["lag"] == 0 for g in R.xinfo_groups(events_key(bid))),
             what="late events acknowledged")
    time.sleep(0.3)
    assert len(SIM.call_record(call)["commands"]) == sent_before


def test_telnyx_errors_are_retried_with_the_same_command_id():
    bid, number = business("Retry Dental")
    SIM.post("/_sim/fail", {"status": 503, "count": 2})
    call = SIM.call(number, "+15550001242", [{"say": "bye"}])
    rec = SIM.wait_ended(call)
    answers = [r for r in SIM.requests() if r["command"] == "answer" and r["call_control_id"] == call]
    assert len(answers) >= 3, answers
    assert [a["status"] for a in answers][:2] == [503, 503]
    ids = {a["body"]["command_id"] for a in answers}
    assert len(ids) == 1
    assert len(wait_records(call)) == 1


def test_a_poison_event_is_dead_lettered_after_5_deliveries_and_the_call_goes_on():
    """... and a place the event held (as a former owner's attempt at it would have,
    lib/booking/booking_hold.h) is given back before the event goes to the dead stream,
    while the call's other events leave that hold alone."""
    bid, number = business("Poison Pizza")
    poison = "poison-" + uuid.uuid4().hex
    call = SIM.call(number, "+15550001243", [{"pause_ms": 500}, {"say": "What are your hours?"}, {"say": "bye"}],
                    delay_ms=400)
    # the hold, noted in the call before its first event is read (webhooks leave 400 ms late)
    start = 1772899200000
    slot, held = events_key(bid).replace(":events", f":slot:{start}"), str(uuid.uuid4())
    R.hset(slot, held, 0)
    R.pexpire(slot, 3600 * 1000)
    R.hset(events_key(bid).replace(":events", ":call:" + call), "hold:" + held, f"{start} 0 1 {poison}")
    wait_for(lambda: commands(SIM.call_record(call), "answer"), what="the call answered")
    # a broken event for the same call, straight into the tenant's stream
    R.xadd(events_key(bid), {"type": "call.speak.ended", "eid": poison,
                             "call": call, "at": "2026-11-28T10:00:00Z", "body": b"\xc1 not msgpack"})
    R.publish("fd:events", bid)
    rec = SIM.wait_ended(call, timeout=30)          # the call was not blocked
    assert "bye" in agent_lines(rec)[-1].lower()
    dead_key = events_key(bid).replace(":events", ":dead")
    dead = wait_for(lambda: R.xrange(dead_key), timeout=30, what="a dead letter")
    assert len(dead) == 1
    assert R.hlen(slot) == 0, "the hold of the event given up on was kept"
    assert not R.hexists(events_key(bid).replace(":events", ":call:" + call), "hold:" + held)
    fields = dead[0][1]
    assert fields[b"deliveries"] == b"6" or int(fields[b"deliveries"]) > 5
    assert fields[b"error"]
    listed = ctl(E, "dead", "list", "--business", bid)
    assert listed.returncode == 0 and dead[0][0].decode() in listed.stdout
    assert "call.speak.ended" in listed.stdout
    replayed = ctl(E, "dead", "replay", "--business", bid, "--id", dead[0][0].decode())
    assert replayed.returncode == 0, replayed.stderr
    assert R.xlen(dead_key) == 0
    status = ctl(E, "status")
    assert bid in status.stdout


def test_worker_metrics_show_events_leases_and_telnyx_requests():
    text = WORKER.metrics()
    for name in ("frontdesk_worker_events_total{type=\"call.initiated\",outcome=\"ok\"}",
                 "frontdesk_worker_leases_held", "frontdesk_backlog_tenants_waiting",
                 "frontdesk_backlog_oldest_wait_seconds", "frontdesk_telnyx_requests_total",
                 "frontdesk_worker_dead_letters_total 1", "frontdesk_backlog_events_waiting",
                 "frontdesk_outbox_records_written_total"):
        assert name in text, name
    assert WORKER.metric("frontdesk_worker_handler_duration_seconds_count") > 20
    # the calls of this file ended with the outcomes their records show, one forwarded
    assert WORKER.metric('frontdesk_calls_total{outcome="answered_by_agent"}') >= 3
    assert WORKER.metric('frontdesk_calls_total{outcome="forwarded"}') >= 1
    assert WORKER.metric("frontdesk_call_transfers_total") >= 1
    # the callers of this file's calls spoke: their turns were timed, each well under 10 s
    turns = WORKER.metric("frontdesk_call_turn_latency_seconds_count")
    assert turns > 0
    assert WORKER.metric("frontdesk_call_turn_latency_seconds_sum") < 10 * turns


def test_a_saved_configuration_takes_effect_from_the_next_call():
    bid, number = business("Bright Smile Dental")
    first = SIM.call(number, "+15550001250", [{"say": "bye"}])
    assert agent_lines(SIM.wait_ended(first))[0].startswith("Thank you for calling Bright Smile Dental.")
    path = os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")
    r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    assert r.returncode == 0, r.stderr
    second = SIM.call(number, "+15550001251", [{"say": "when are you open?"}, {"say": "bye"}])
    lines = agent_lines(SIM.wait_ended(second))
    assert lines[0] == ("Thank you for calling Bright Smile Dental, this is the front desk. "
                        "How can I help you today?"), lines[0]
    # the new document closes for lunch at noon (the default closes at 5 PM)
    assert "noon" in lines[1], lines[1]


def sent_texts(business_number):
    """Texts the simulator received from the business's number: {to, text}."""
    return SIM.texts_from(business_number)


def dental(name="Bright Smile Dental"):
    bid, number = business(name)
    path = os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")
    r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    assert r.returncode == 0, r.stderr
    return bid, number


def test_a_caller_books_a_cleaning_and_the_booking_is_recorded_and_billed_once():
    bid, number = dental()
    call = SIM.call(number, "+15550001260", [{"say": "I'd like to book a cleaning tomorrow at 10 in the morning"},
                                             {"say": "Jane Doe"}, {"say": "yes please"},
                                             {"say": "no that's all, bye"}])
    rec = SIM.wait_ended(call, timeout=30)
    lines = agent_lines(rec)
    assert any("booked" in l.lower() for l in lines), lines
    rows = wait_for(lambda: pg_rows(E, "SELECT service, starts_at AT TIME ZONE 'America/New_York', caller_name, "
                                       "caller_number, status FROM bookings WHERE business_id = %s", bid),
                    what="the booking in PostgreSQL")
    assert len(rows) == 1, rows
    service, starts, name, caller, status = rows[0]
    assert service.lower().startswith("cleaning") or "clean" in service.lower(), service
    assert starts.strftime("%Y-%m-%d %H:%M") == "2026-03-04 10:00", starts
    assert "Jane" in name and caller == "+15550001260" and status == "booked"
    usage = wait_for(lambda: pg_rows(E, "SELECT amount_cents FROM usage_events WHERE business_id = %s", bid),
                     what="the usage event")
    assert usage == [(5000,)]
    # a confirmation to the caller and a notice to the owner, from the business's number, once each
    texts = wait_for(lambda: (lambda m: m if len(m) >= 2 else None)(sent_texts(number)), what="two texts")
    to_caller = [m for m in texts if m["to"] == "+15550001260"]
    to_owner = [m for m in texts if m["to"] == "+12015550199"]
    assert len(to_caller) == 1 and "booked" in to_caller[0]["text"] and "March 4th" in to_caller[0]["text"]
    assert "10 AM" in to_caller[0]["text"] or "10:00 AM" in to_caller[0]["text"], to_caller[0]["text"]
    assert len(to_owner) == 1 and "Jane" in to_owner[0]["text"]


def test_a_caller_leaves_a_message_with_a_callback_number():
    bid, number = dental("Message Dental")
    call = SIM.call(number, "+15550001261", [{"say": "Can I leave a message for the dentist?"},
                                             {"say": "My name is Sam Lee"}, {"say": "yes"},
                                             {"say": "Please call me about my crown"}, {"say": "bye"}])
    rec = SIM.wait_ended(call, timeout=30)
    rows = wait_for(lambda: pg_rows(E, "SELECT caller_name, callback_number, message FROM messages "
                                       "WHERE business_id = %s", bid), timeout=20, what="the message")
    assert len(rows) == 1, (rows, agent_lines(rec))
    assert "Sam" in rows[0][0] and rows[0][1] == "+15550001261" and "crown" in rows[0][2]
    texts = wait_for(lambda: sent_texts(number), what="the owner's text")
    assert len(texts) == 1 and texts[0]["to"] == "+12015550199" and "crown" in texts[0]["text"]


def test_an_emergency_is_transferred_to_the_business():
    bid, number = dental("Emergency Dental")
    call = SIM.call(number, "+15550001262", [{"say": "This is an emergency, my tooth is bleeding badly"}])
    rec = wait_for(lambda: (lambda r: r if commands(r, "transfer") else None)(SIM.call_record(call)),
                   what="a transfer")
    assert commands(rec, "transfer")[0]["body"]["to"].startswith("+1")
    SIM.post(f"/_sim/calls/{urllib.parse.quote(call, safe='')}/hangup", {})


def test_processes_stop_cleanly():
    assert WORKER.stop() == 0
    assert SIM.stop() == 0
    assert API.stop() == 0
