"""Callers cancel and move their own bookings by phone: api, worker, the Telnyx
simulator, Redis and PostgreSQL, all real. The booking is found by the number the caller
calls from (lib/booking/caller_bookings.h); cancelling frees its place at once, marks the row
cancelled through a booking_cancellations record, and texts the caller; moving is a
cancellation plus a new booking that is not billed a second time."""
import os
import zlib

import harness
from harness import Sim, Worker, ctl, env, pg_rows, start_api, wait_for

E = env()
API = start_api(E)
SIM = Sim(E, API)
# The receptionist's clock: Tuesday March 3rd 2026, 10:00 in New York (open hours).
WORKER = Worker(E, SIM, FRONTDESK_SILENCE_MS=800, FRONTDESK_NOW="2026-03-03T15:00:00Z")
R = E.redis()
OWNER = "+12015550199"          # docs/examples/dental-clinic.json's owner_notifications


def dental(name):
    number = harness.random_number()
    r = ctl(E, "tenant", "create", "--name", name, "--number", number)
    assert r.returncode == 0, r.stderr
    bid = r.stdout.strip()
    path = os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")
    r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    assert r.returncode == 0, r.stderr
    return bid, number


def agent_lines(rec):
    return [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]


def call(number, caller, *utterances, timeout=40):
    cid = SIM.call(number, caller, [{"say": u} for u in utterances])
    return agent_lines(SIM.wait_ended(cid, timeout=timeout))


def bookings(bid):
    return pg_rows(E, "SELECT id::text, to_char(starts_at AT TIME ZONE 'America/New_York', "
                      "'YYYY-MM-DD HH24:MI'), caller_number, status, cancelled_at IS NOT NULL "
                      "FROM bookings WHERE business_id = %s ORDER BY starts_at", bid)


def texts_to(business_number, to):
    return [m["text"] for m in SIM.texts_from(business_number) if m["to"] == to]


def slot_key(bid, local_start_ms, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:slot:{local_start_ms}"


def book_cleaning(bid, number, caller, when="tomorrow at 10 in the morning", name="Jane Doe"):
    lines = call(number, caller, f"I'd like to book a cleaning {when}", name, "yes please",
                 "no that's all, bye")
    assert any("booked" in l.lower() for l in lines), lines
    return wait_for(lambda: (lambda b: b if b else None)(bookings(bid)), what="the booking row")


def test_a_caller_cancels_their_booking_and_its_place_is_free_again():
    bid, number = dental("Cancel Dental")
    caller = "+15550002001"
    [(booking_id, start, who, status, _)] = book_cleaning(bid, number, caller)
    assert (start, who, status) == ("2026-03-04 10:00", caller, "booked")
    # 2026-03-04 10:00 New York is 15:00 UTC
    key = slot_key(bid, 1772636400000)
    assert R.hexists(key, booking_id)
    lines = call(number, caller, "Hi, I need to cancel my appointment", "yes", "no thanks, bye")
    said = " ".join(lines)
    assert "cancelled your cleaning tomorrow, Wednesday, March 4th at 10 AM" in said, lines
    rows = wait_for(lambda: (lambda b: b if b and b[0][3] == "cancelled" else None)(bookings(bid)),
                    what="the booking marked cancelled")
    assert rows == [(booking_id, "2026-03-04 10:00", caller, "cancelled", True)]
    assert pg_rows(E, "SELECT booking_id::text FROM booking_cancellations WHERE business_id = %s",
                   bid) == [(booking_id,)]
    assert not R.hexists(key, booking_id)               # the place is free again
    texts = wait_for(lambda: (lambda t: t if len(t) >= 2 else None)(texts_to(number, caller)),
                     what="the booking and cancellation texts")
    assert len(texts) == 2 and "cancelled" in texts[1] and "March 4th" in texts[1], texts
    owner = wait_for(lambda: [t for t in texts_to(number, OWNER) if t.startswith("Cancelled")],
                     what="the owner's notice")
    assert len(owner) == 1 and caller in owner[0]
    # billed once for the booking; the cancellation bills nothing
    assert pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", bid) == [(1,)]


def test_another_number_finds_no_booking_and_cancels_nothing():
    bid, number = dental("Other Number Dental")
    [(booking_id, *_)] = book_cleaning(bid, number, "+15550002011")
    lines = call(number, "+15550002012", "I want to cancel my appointment", "yes", "no, bye")
    assert any("couldn't find a booking" in l for l in lines), lines
    assert [r[3] for r in bookings(bid)] == ["booked"]
    assert pg_rows(E, "SELECT count(*) FROM booking_cancellations WHERE business_id = %s", bid) == [(0,)]


def test_a_caller_who_says_no_keeps_the_booking():
    bid, number = dental("Keep Dental")
    caller = "+15550002021"
    book_cleaning(bid, number, caller)
    lines = call(number, caller, "I need to cancel my appointment", "no, actually keep it", "bye")
    assert any("left your appointment as it is" in l for l in lines), lines
    assert [r[3] for r in bookings(bid)] == ["booked"]


def test_a_caller_moves_their_booking_to_another_day_and_is_billed_once():
    bid, number = dental("Move Dental")
    caller = "+15550002031"
    [(old_id, *_)] = book_cleaning(bid, number, caller)
    lines = call(number, caller, "Hi, this is Jane Doe, I need to reschedule my appointment", "yes",
                 "thursday at 2 in the afternoon", "yes please", "no that's all, bye")
    said = " ".join(lines)
    assert "cancelled your cleaning tomorrow, Wednesday, March 4th at 10 AM" in said, lines
    assert any("booked" in l.lower() for l in lines), lines
    rows = wait_for(lambda: (lambda b: b if len(b) == 2 else None)(bookings(bid)),
                    what="the old booking and the new one")
    assert [(r[1], r[3]) for r in rows] == [("2026-03-04 10:00", "cancelled"),
                                            ("2026-03-05 14:00", "booked")], rows
    assert rows[0][0] == old_id
    assert pg_rows(E, "SELECT booking_id::text FROM usage_events WHERE business_id = %s", bid) == \
        [(old_id,)]                                     # a move is not a second booking


def test_a_booking_in_the_past_cannot_be_cancelled_by_phone():
    """The index is checked against the receptionist's clock: a booking that has already
    started is not offered for cancelling (the worker's clock is pinned; the booking is
    written into the caller's index with a start before it)."""
    bid, number = dental("Past Dental")
    caller = "+15550002041"
    key = f"fd:{{s{zlib.crc32(bid.encode()) % 64:03d}}}:t:{bid}:caller:{caller}"
    R.hset(key, "5f1d7c0e-0000-4000-8000-000000000001",
           "1772540000000 1772541800000 1800000 1 - Cleaning")   # March 3rd, before 10:00
    lines = call(number, caller, "cancel my booking please", "yes", "no, bye")
    assert any("couldn't find a booking" in l for l in lines), lines


def test_the_cancel_script_is_fenced_idempotent_and_knows_missing_bookings():
    script = open(os.path.join(harness.ROOT, "lua", "caller_booking_cancel.lua")).read()
    add = open(os.path.join(harness.ROOT, "lua", "caller_booking_add.lua")).read()
    bid = "5f1d7c0e-0000-4000-8000-0000000000c1"
    p = f"fd:{{s{zlib.crc32(bid.encode()) % 64:03d}}}:t:{bid}"
    lease, index, slot = p + ":lease", p + ":caller:+15550002051", p + ":slot:4102444800000"
    R.set(lease, "w1:1")
    booking = "5f1d7c0e-0000-4000-8000-0000000000c2"
    line = "4102444800000 4102446600000 1800000 1 - Cleaning"
    assert R.eval(add, 2, lease, index, "w1:1", booking, line, "4102531200000") == 1
    assert R.eval(add, 2, lease, index, "w1:1", booking, "changed", "4102531200000") == 0
    assert R.hget(index, booking).decode() == line            # a replay changes nothing
    R.hset(slot, booking, 0)
    marked = line.replace(" - ", " 9a1d7c0e-0000-4000-8000-0000000000ff ")
    try:
        R.eval(script, 3, lease, index, slot, "w0:0", booking, marked)
        raise AssertionError("a stale lease cancelled")
    except Exception as e:
        assert "FENCED" in str(e)
    assert R.hexists(slot, booking)
    assert R.eval(script, 3, lease, index, slot, "w1:1", booking, marked) == 1
    assert R.eval(script, 3, lease, index, slot, "w1:1", booking, marked) == 0   # replay
    assert R.hget(index, booking).decode() == marked and not R.exists(slot)
    assert R.eval(script, 3, lease, index, slot, "w1:1", "5f1d7c0e-0000-4000-8000-0000000000c3",
                  marked) == -1


def test_processes_stop_cleanly():
    assert WORKER.stop() == 0
    assert SIM.stop() == 0
    assert API.stop() == 0
