"""The business cancels a booking through the owner API (POST /api/v1/bookings/{id}/cancel)
and the owning worker runs the same cancellation as a caller's by phone: api, two
workers, frontdesk-web and the Telnyx simulator on a Redis of their own (the clock is
pinned), and PostgreSQL, all real. The place
is free again at once, the row reads cancelled, the caller gets the business's
cancellation text once, and nothing is billed twice."""
import os
import tempfile
import threading
import time
import uuid
import zlib

import msgpack

import harness
from harness import ctl, env, pg_rows, wait_for
from rxhelp import ClockStack, example, variant
from webhelp import Web, add_user, login, new_email

E = env()
# The receptionist's clock, and the web's: Tuesday March 3rd 2026, 10:00 in New York.
NOW = "2026-03-03T15:00:00Z"
STACK = ClockStack(E, NOW, workers=2, FRONTDESK_SILENCE_MS=800)
SIM = STACK.sim
R = STACK.redis()
WEB = Web(E, FRONTDESK_REDIS_URL=STACK.redis_svc.redis_url, FRONTDESK_NOW=NOW)
OWNER_SMS = "+12015550199"      # docs/examples/dental-clinic.json's owner_sms
PASSWORD = "a long password 1"
WED_10 = 1772636400000          # 2026-03-04 10:00 New York (15:00 UTC), in ms
HOUR = 3600000
HALF_HOUR = 1800000


def tkey(bid, suffix):
    return f"fd:{{s{zlib.crc32(bid.encode()) % 64:03d}}}:t:{bid}:{suffix}"


def dental(name, capacity=2):
    """A business on docs/examples/dental-clinic.json (30-minute slots, 60-minute
    cleanings) with capacity places per slot; returns (business id, number)."""
    return STACK.business(variant(example("dental-clinic"), business_name=name,
                                  booking__capacity_per_slot=capacity))


def user_of(bid, role="owner", web=WEB):
    """A user of the business made with frontdesk-ctl, logged in: (token, csrf_token)."""
    email = new_email(role)
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(PASSWORD + "\n")
    r = ctl(E, "user", "create", "--business", bid, "--email", email, "--password-file", f.name,
            "--role", role)
    os.unlink(f.name)
    assert r.returncode == 0, r.stderr
    status, _, body = login(web, email, PASSWORD)
    assert status == 200, body
    return body["token"], body["csrf_token"]


def cancel(booking_id, token=None, web=WEB, **kw):
    return web.call("POST", f"/api/v1/bookings/{booking_id}/cancel", token=token, **kw)


def insert_booking(bid, start_ms, caller, held=True):
    """A 60-minute cleaning written as the worker's outbox would (and, when held, its
    two places in Redis): a booking without a phone call."""
    booking_id = str(uuid.uuid4())
    conn = E.pg()
    try:
        conn.cursor().execute(
            "INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number, "
            "caller_name, status, slot_index, call_control_id) VALUES (%s, %s, 'Cleaning', "
            "to_timestamp(%s / 1000.0), to_timestamp(%s / 1000.0), %s, 'Pat Doe', 'booked', 0, "
            "%s)", (booking_id, bid, start_ms, start_ms + HOUR, caller, "v3:" + uuid.uuid4().hex))
    finally:
        conn.close()
    if held:
        for slot in (start_ms, start_ms + HALF_HOUR):
            R.hset(tkey(bid, f"slot:{slot}"), booking_id, 0)
    return booking_id


def status_of(booking_id):
    return pg_rows(E, "SELECT status FROM bookings WHERE id = %s", booking_id)[0][0]


def cancellations(booking_id):
    return pg_rows(E, "SELECT reason FROM booking_cancellations WHERE booking_id = %s", booking_id)


def is_held(bid, booking_id, start_ms):
    return any(R.hexists(tkey(bid, f"slot:{s}"), booking_id)
               for s in (start_ms, start_ms + HALF_HOUR))


def owner_events(bid, r=R):
    entries = r.xrange(tkey(bid, "events")) if r.exists(tkey(bid, "events")) else []
    return [f for _, f in entries if f[b"type"] == b"owner.booking_cancel"]


def cancel_texts(number, caller):
    return [m["text"] for m in SIM.texts_from(number)
            if m["to"] == caller and "cancelled" in m["text"]]


def wait_cancelled(booking_id):
    wait_for(lambda: status_of(booking_id) == "cancelled", what="the booking row cancelled")


def cancel_accepted(booking_id, token=None, **kw):
    """Asks for a cancellation the worker carries out; its answer is 200 cancelled when
    the row was cancelled within the wait, else 202 cancelling. Returns the status."""
    status, _, body = cancel(booking_id, token, **kw)
    assert (status, body.get("status")) in ((200, "cancelled"), (202, "cancelling")), (status, body)
    assert body["id"] == booking_id
    return status


def call(number, caller, *utterances, timeout=40):
    cid = SIM.call(number, caller, [{"say": u} for u in utterances])
    rec = SIM.wait_ended(cid, timeout=timeout)
    return [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]


def ask_for_wednesday_10(number, caller):
    return call(number, caller, "I'd like to book a cleaning tomorrow at 10 in the morning",
                "Jane Doe", "yes please", "no that's all, bye")


def bookings_of(bid, caller):
    """The caller's booked rows: [(id, start in Unix ms)]."""
    return pg_rows(E, "SELECT id::text, (extract(epoch FROM starts_at) * 1000)::bigint "
                      "FROM bookings WHERE business_id = %s AND caller_number = %s "
                      "AND status = 'booked'", bid, caller)


def book_by_phone(bid, number, caller):
    """The caller books Wednesday 10:00; returns the booking's id."""
    lines = ask_for_wednesday_10(number, caller)
    assert any("booked" in l.lower() for l in lines), lines
    rows = wait_for(lambda: bookings_of(bid, caller), what="the booking row")
    assert rows[0][1] == WED_10, rows
    return rows[0][0]


def test_the_owner_cancels_a_phone_booking_and_another_caller_takes_its_place():
    bid, number = dental("Owner Cancel Dental", capacity=1)
    token, _ = user_of(bid)
    caller = "+15550003001"
    booking_id = book_by_phone(bid, number, caller)
    assert is_held(bid, booking_id, WED_10)
    lines = ask_for_wednesday_10(number, "+15550003003")    # capacity 1: not at 10 any more
    assert WED_10 not in [r[1] for r in bookings_of(bid, "+15550003003")], lines
    status = cancel_accepted(booking_id, token)
    print(f"    answered {status}")
    if status != 200:
        wait_cancelled(booking_id)
    # the business's list shows it cancelled as soon as the answer says so
    _, _, page = WEB.call("GET", "/api/v1/bookings", token=token)
    assert [(b["id"], b["status"]) for b in page["items"]] == [(booking_id, "cancelled")], page
    assert not is_held(bid, booking_id, WED_10)             # the place is free in Redis
    assert cancellations(booking_id) == [("cancelled by the business",)]
    texts = wait_for(lambda: cancel_texts(number, caller), what="the cancellation text")
    assert len(texts) == 1 and "Cleaning" in texts[0] and "March 4th" in texts[0], texts
    # the caller's own line is marked, so they cannot cancel it again by phone
    line = R.hget(tkey(bid, f"caller:{caller}"), booking_id).decode()
    assert " - " not in line, line
    assert pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", bid) == [(1,)]
    # another caller books the same time: capacity 1, so only a freed place lets them
    other = "+15550003002"
    assert book_by_phone(bid, number, other) != booking_id
    assert pg_rows(E, "SELECT count(*) FROM usage_events WHERE booking_id = %s",
                   booking_id) == [(1,)]
    assert len(cancel_texts(number, caller)) == 1
    assert not [t for t in SIM.texts_from(number) if t["to"] == OWNER_SMS
                and t["text"].startswith("Cancelled")]    # the business did it: no notice


def test_asking_twice_cancels_once_and_texts_once():
    bid, number = dental("Twice Dental")
    token, _ = user_of(bid)
    caller = "+15550003011"
    booking_id = insert_booking(bid, WED_10, caller)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cancel_accepted(booking_id, token)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 2, answers
    wait_cancelled(booking_id)
    status, _, body = cancel(booking_id, token)             # once cancelled: as it is
    assert (status, body["status"]) == (200, "cancelled"), body
    assert not is_held(bid, booking_id, WED_10)
    assert cancellations(booking_id) == [("cancelled by the business",)]
    wait_for(lambda: cancel_texts(number, caller), what="the cancellation text")
    assert len(owner_events(bid)) == 1                      # the second was a duplicate
    wait_for(lambda: R.xlen(tkey(bid, "sms")) == 0, what="the texts sent")
    assert len(cancel_texts(number, caller)) == 1


def test_staff_may_cancel():
    bid, _ = dental("Staff Dental")
    owner_token, _ = user_of(bid)
    _, email, password = add_user(WEB, owner_token, role="staff")
    status, _, body = login(WEB, email, password)
    assert status == 200 and body["user"]["role"] == "staff", body
    booking_id = insert_booking(bid, WED_10 + 2 * HOUR, "+15550003021")
    cancel_accepted(booking_id, body["token"])
    wait_cancelled(booking_id)
    assert not is_held(bid, booking_id, WED_10 + 2 * HOUR)


def test_a_booking_without_the_callers_number_is_freed_by_its_times():
    """No caller's line holds it (the caller's number was not known): its places are
    those its times cover; nobody is texted."""
    bid, number = dental("Unknown Caller Dental")
    token, _ = user_of(bid)
    booking_id = insert_booking(bid, WED_10 + HOUR, "unknown")
    cancel_accepted(booking_id, token)
    wait_cancelled(booking_id)
    assert not is_held(bid, booking_id, WED_10 + HOUR)
    assert [m for m in SIM.texts_from(number) if "cancelled" in m["text"]] == []


def test_another_business_booking_is_404_and_nothing_changes():
    bid_a, _ = dental("Victim Dental")
    bid_b, _ = dental("Intruder Dental")
    token_b, _ = user_of(bid_b)
    booking_id = insert_booking(bid_a, WED_10, "+15550003031")
    for target in (booking_id, str(uuid.uuid4()), "not-a-booking"):
        status, headers, body = cancel(target, token_b)
        assert status == 404 and headers["content-type"] == "application/problem+json", body
    assert status_of(booking_id) == "booked" and cancellations(booking_id) == []
    assert owner_events(bid_a) == [] and owner_events(bid_b) == []
    assert is_held(bid_a, booking_id, WED_10)


def test_a_cookie_request_without_the_csrf_header_is_403():
    bid, _ = dental("Cookie Dental")
    token, csrf = user_of(bid)
    booking_id = insert_booking(bid, WED_10, "+15550003041")
    status, _, body = cancel(booking_id, cookie=token)
    assert status == 403, body
    assert status_of(booking_id) == "booked" and owner_events(bid) == []
    cancel_accepted(booking_id, cookie=token, csrf=csrf)
    wait_cancelled(booking_id)


def test_a_booking_that_has_started_is_409_and_one_with_a_body_field_is_422():
    bid, _ = dental("Started Dental")
    token, _ = user_of(bid)
    started = insert_booking(bid, WED_10 - 25 * HOUR, "+15550003051", held=False)  # Tue 9:00
    status, _, body = cancel(started, token)
    assert status == 409 and "started" in body["detail"], body
    ahead = insert_booking(bid, WED_10, "+15550003052")
    status, _, body = cancel(ahead, token, body={"reason": "no"})
    assert status == 422 and body["errors"][0]["path"] == "reason", body
    assert status_of(started) == status_of(ahead) == "booked" and owner_events(bid) == []


def test_with_no_worker_to_run_it_the_answer_is_202_cancelling():
    """The web waits up to 2 s for the worker; on a Redis no worker reads, the event
    stays queued for the business's next owner and the answer says it is on its way."""
    svc = harness.private_redis()
    web = Web(E, FRONTDESK_REDIS_URL=svc.redis_url, FRONTDESK_NOW=NOW)
    try:
        bid, number = dental("Unowned Dental")
        token, _ = user_of(bid, web=web)
        booking_id = insert_booking(bid, WED_10, "+15550003071", held=False)
        started = time.time()
        for _ in range(2):                                  # asked twice: one event
            status, _, body = cancel(booking_id, token, web=web)
            assert (status, body["status"], body["id"]) == (202, "cancelling", booking_id), body
        assert 3.5 < time.time() - started < 10
        [event] = owner_events(bid, svc.redis())
        assert event[b"call"].decode() == "owner:" + booking_id
        fields = msgpack.unpackb(event[b"body"], raw=False)
        assert (fields["booking_id"], fields["from"], fields["to"], fields["service"]) == \
            (booking_id, "+15550003071", number, "Cleaning"), fields
        assert (fields["start_ms"], fields["end_ms"]) == (WED_10, WED_10 + HOUR)
        assert status_of(booking_id) == "booked"
    finally:
        assert web.stop() == 0


def test_redis_stopped_is_503_and_nothing_changes():
    svc = harness.private_redis()
    web = Web(E, FRONTDESK_REDIS_URL=svc.redis_url, FRONTDESK_NOW=NOW)
    try:
        bid, _ = dental("Outage Dental")
        token, _ = user_of(bid, web=web)                   # logging in needs Redis
        booking_id = insert_booking(bid, WED_10, "+15550003061")
        svc.stop_redis()
        status, headers, problem = cancel(booking_id, token, web=web)
        assert status == 503 and headers["content-type"] == "application/problem+json", problem
        assert status_of(booking_id) == "booked" and cancellations(booking_id) == []
        svc.start_redis_again()
        assert owner_events(bid, svc.redis()) == []
    finally:
        assert web.stop() == 0


def test_processes_stop_cleanly_with_no_error_logged():
    assert WEB.stop() == 0
    assert [l for l in WEB.output().splitlines() if '"level":"error"' in l] == []
    assert set(STACK.stop().values()) == {0}
