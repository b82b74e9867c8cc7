"""POST /api/v1/agent/try, the dashboard's "Try it": the receptionist answers from a
draft configuration that is not saved. The draft is refused exactly as PUT
/api/v1/agent refuses it; a draft's greeting and prices are what the try-out says,
while the saved version stays as it was; a booking, a message or a transfer is only
pretended (nothing reaches PostgreSQL) and the reply says so; the free times are the
draft's grid less the business's own real bookings, never another business's. Owners
and staff may try; every answer is checked against web/openapi.json."""
import uuid
from datetime import datetime, timedelta, timezone

from harness import env, pg_rows
from rxhelp import example
from webapi import Client, add_user, sign_up
from webhelp import Web

E = env()
# Tuesday 1 December 2026, 10:00 in New York
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)
WEB = Web(E, FRONTDESK_NOW=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))


def draft(**changes):
    """The dental clinic of docs/examples, booking from now on, one chair."""
    doc = example("dental-clinic")
    doc["booking"].update(lead_time_minutes=0, capacity_per_slot=1)
    doc["notifications"] = {"on": []}
    doc.update(changes)
    return doc


def business(name):
    owner, signed = sign_up(WEB, name, timezone="America/New_York")
    return owner, signed["business_id"]


def try_out(client, doc, *lines):
    status, body = client.post("/api/v1/agent/try", {"config": doc, "caller_lines": list(lines)})
    assert status == 200, (status, body)
    return body


def receptionist_lines(body):
    return [t for t in body["transcript"] if t["speaker"] == "receptionist"]


def book_row(bid, starts_at, minutes=60):
    pg_rows(E, "INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number, "
               "caller_name, status, slot_index) VALUES (%s, %s, 'Cleaning', %s, %s, '+15550001234', "
               "'Ann', 'booked', 0) RETURNING id",
            str(uuid.uuid4()), bid, starts_at, starts_at + timedelta(minutes=minutes))


def test_a_draft_greeting_and_price_are_heard_and_nothing_is_saved():
    owner, _ = business("Try Dental")
    before = owner.get_ok("/api/v1/agent")
    doc = draft(greeting="Hello from the draft, how may I help?")
    doc["services"][0]["price"] = "77.00"
    body = try_out(owner, doc, "How much is a cleaning?")
    said = receptionist_lines(body)
    assert said[0]["text"].startswith("Hello from the draft, how may I help?"), said
    assert "77" in said[1]["text"] and "120" not in said[1]["text"], said
    assert [t["speaker"] for t in body["transcript"]] == ["receptionist", "caller", "receptionist"]
    assert body["ended"] is False
    assert owner.get_ok("/api/v1/agent") == before
    assert owner.get_ok("/api/v1/agent/versions")["items"][0]["version"] == before["version"]


def test_an_invalid_draft_gets_the_errors_put_gives_and_bad_lines_name_their_index():
    owner, _ = business("Try Invalid")
    doc = draft()
    doc["services"][0]["price"] = "12.345"
    doc["tone"] = "grumpy"
    put_status, put_body = owner.put("/api/v1/agent", doc)
    status, body = owner.post("/api/v1/agent/try", {"config": doc, "caller_lines": ["hi"]})
    assert put_status == status == 422, (put_status, status)
    assert body["errors"] == put_body["errors"]
    assert {"services[0].price", "tone"} <= {e["path"] for e in body["errors"]}, body
    status, body = owner.post("/api/v1/agent/try", {"config": draft(), "caller_lines": ["hi", "", 7],
                                                    "extra": 1})
    assert status == 422
    assert {e["path"] for e in body["errors"]} == {"caller_lines[1]", "caller_lines[2]", "extra"}, body
    status, body = owner.post("/api/v1/agent/try", {"caller_lines": ["x" * 501] + ["hi"] * 2})
    assert status == 422
    assert {e["path"] for e in body["errors"]} == {"caller_lines[0]", "config"}, body
    status, body = owner.post("/api/v1/agent/try", {"config": draft(), "caller_lines": ["hi"] * 31})
    assert status == 422 and body["errors"][0]["path"] == "caller_lines", body


def test_staff_may_try_but_not_save():
    owner, _ = business("Try Staff")
    staff = add_user(owner, "staff")
    body = try_out(staff, draft(greeting="Staff try-out greeting."))
    assert receptionist_lines(body)[0]["text"].startswith("Staff try-out greeting."), body
    assert staff.put("/api/v1/agent", draft())[0] == 403


def test_a_booking_is_pretended_and_free_times_skip_only_the_business_s_own_bookings():
    owner, bid = business("Try Booking")
    _, other = business("Try Other")
    tomorrow_10 = datetime(2026, 12, 2, 15, 0, tzinfo=timezone.utc)      # 10:00 in New York
    book_row(bid, tomorrow_10)
    book_row(other, tomorrow_10 + timedelta(hours=1))
    lines = ["I'd like to book a cleaning tomorrow at 10 in the morning"]
    body = try_out(owner, draft(), *lines)
    offer = receptionist_lines(body)[1]["text"]
    # 10:00-11:00 is the business's own (9:30 would run into it); 11:00 is only the other's
    assert "10 AM is taken" in offer and "11 AM" in offer and "9:30" not in offer, offer
    lines = ["I'd like to book a cleaning tomorrow at 11 in the morning", "Jane Doe", "yes please"]
    body = try_out(owner, draft(), *lines)
    said = receptionist_lines(body)
    assert any("nothing was booked" in t.get("tryout", "") for t in said), said
    assert pg_rows(E, "SELECT count(*) FROM bookings WHERE business_id = %s", bid) == [(1,)]


def test_a_message_is_pretended_and_nothing_reaches_the_messages():
    owner, bid = business("Try Message")
    lines = ["Can I leave a message for the dentist?", "My name is Lou Reed", "no",
             "my number is 201 555 0123", "yes", "Please call me about my crown"]
    body = try_out(owner, draft(), *lines)
    said = receptionist_lines(body)
    assert any("no message was kept" in t.get("tryout", "") for t in said), said
    assert pg_rows(E, "SELECT count(*) FROM messages WHERE business_id = %s", bid) == [(0,)]


def test_lines_after_goodbye_are_not_answered():
    owner, _ = business("Try Goodbye")
    body = try_out(owner, draft(), "What are your hours?", "no that's all, bye", "hello?")
    assert body["ended"] is True
    assert body["transcript"][-1]["speaker"] == "receptionist"
    assert "hello?" not in [t["text"] for t in body["transcript"]]


def test_without_a_session_it_is_401():
    assert Client(WEB).post("/api/v1/agent/try", {"config": draft()})[0] == 401


def test_the_server_stops_cleanly_without_errors_logged():
    assert WEB.stop() == 0          # and no sanitizer report (harness.Proc.stop)
    errors = [line for line in WEB.output().splitlines() if '"level":"error"' in line]
    assert errors == [], "\n".join(errors[:20])
