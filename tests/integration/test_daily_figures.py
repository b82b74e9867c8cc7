"""The daily figures analytics reads (schema/0008_owner_api_reads.sql): triggers count each
record once in its business's local day as it is inserted, as frontdesk_app in the
tenant's RLS scope like the outbox drain, however often a batch is replayed; a
cancellation takes its booking off; a change of zone counts the days again; the figures
always equal a recount from the records; and another business's figures can be neither
read nor written."""
import datetime
import itertools
import uuid

import psycopg2
import psycopg2.errors

from harness import create_tenant, env

# 02:30 UTC on 10 March 2026 is 22:30 on the 9th in New York (EDT, UTC-4).
LATE = "2026-03-10 02:30:00+00"
NOON = "2026-03-10 16:00:00+00"
NY_9TH, NY_10TH = datetime.date(2026, 3, 9), datetime.date(2026, 3, 10)
PLACES = itertools.count()
FIGURES = "calls, answered, missed, transferred, scored, score_sum, messages, billable_bookings"


def _as_tenant(bid, *statements):
    """Runs [(sql, args)] in one transaction as frontdesk_app for bid, as the drain does."""
    conn = psycopg2.connect(env().database_url)
    try:
        cur = conn.cursor()
        cur.execute("SET ROLE frontdesk_app")
        cur.execute("SELECT set_config('app.business_id', %s, true)", (bid,))
        for sql, args in statements:
            cur.execute(sql, args)
        conn.commit()
    finally:
        conn.close()


def _figures(bid):
    rows = env().pg_rows(f"SELECT day, {FIGURES} FROM daily_figures WHERE business_id = %s ORDER BY day", (bid,))
    return {r[0]: r[1:] for r in rows}


def _booked(bid):
    rows = env().pg_rows("SELECT day, service, bookings FROM daily_bookings WHERE business_id = %s", (bid,))
    return {(r[0], r[1]): r[2] for r in rows if r[2] != 0}


def _call(bid, at, outcome="answered_by_agent", call_id=None):
    call_id = call_id or str(uuid.uuid4())
    return ("INSERT INTO call_logs (id, business_id, call_control_id, direction, started_at, outcome) "
            "VALUES (%s, %s, %s, 'incoming', %s, %s) ON CONFLICT (id) DO NOTHING",
            (call_id, bid, "v3:" + call_id, at, outcome))


def _booking(bid, at, service="Cleaning", booking_id=None):
    """A booking recorded at `at`, starting at a place of its own three days later."""
    booking_id = booking_id or str(uuid.uuid4())
    return ("INSERT INTO bookings (id, business_id, service, starts_at, ends_at, slot_index, created_at) "
            "VALUES (%s, %s, %s, %s::timestamptz + interval '3 days', %s::timestamptz + interval '3 days 1 hour', "
            "%s, %s) ON CONFLICT (id) DO NOTHING", (booking_id, bid, service, at, at, next(PLACES) % 100, at))


def _cancellation(bid, booking_id, at):
    return ("INSERT INTO booking_cancellations (id, business_id, booking_id, cancelled_at) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (id) DO NOTHING", (str(uuid.uuid4()), bid, booking_id, at))


def _every_kind_of_record(bid):
    """Calls of each outcome, lead scores, a message, usage events and bookings over two
    local days."""
    calls = [str(uuid.uuid4()) for _ in range(4)]
    out = [_call(bid, LATE, "answered_by_agent", calls[0]), _call(bid, NOON, "forwarded", calls[1]),
           _call(bid, NOON, "missed", calls[2]), _call(bid, NOON, "rejected_no_agent", calls[3])]
    for call_id, score in ((calls[0], 80), (calls[1], 45)):
        out.append(("INSERT INTO lead_scores (id, business_id, call_log_id, call_control_id, score, reasons, "
                    "created_at) VALUES (%s, %s, %s, %s, %s, 'test', %s)",
                    (str(uuid.uuid4()), bid, call_id, "v3:" + call_id, score, NOON)))
    out.append(("INSERT INTO messages (id, business_id, caller_name, callback_number, message, taken_at) "
                "VALUES (%s, %s, 'Lou', '+12015550123', 'call me', %s)", (str(uuid.uuid4()), bid, LATE)))
    for at, service in ((LATE, "Cleaning"), (NOON, "Cleaning"), (NOON, "Whitening")):
        booking_id = str(uuid.uuid4())
        out.append(_booking(bid, at, service, booking_id))
        out.append(("INSERT INTO usage_events (id, business_id, booking_id, occurred_at) VALUES (%s, %s, %s, %s)",
                    (str(uuid.uuid4()), bid, booking_id, at)))
    return out


def test_a_replayed_batch_counts_each_record_once():
    bid, _ = create_tenant(env())
    first = [_call(bid, NOON, call_id=str(uuid.uuid4())) for _ in range(3)]
    _as_tenant(bid, *first)
    _as_tenant(bid, *first, _call(bid, NOON))       # the batch again, and one new call
    _as_tenant(bid, *first)
    assert _figures(bid) == {NY_10TH: (4, 4, 0, 0, 0, 0, 0, 0)}


def test_each_record_counts_in_its_local_day_as_a_recount_would():
    bid, _ = create_tenant(env())
    _as_tenant(bid, *_every_kind_of_record(bid))
    counted = _figures(bid)
    assert counted == {NY_9TH: (1, 1, 0, 0, 0, 0, 1, 1), NY_10TH: (3, 0, 2, 1, 2, 125, 0, 2)}, counted
    assert _booked(bid) == {(NY_9TH, "Cleaning"): 1, (NY_10TH, "Cleaning"): 1, (NY_10TH, "Whitening"): 1}
    _as_tenant(bid, ("SELECT daily_figures_recount(ARRAY[%s]::uuid[])", (bid,)))
    assert _figures(bid) == counted
    assert _booked(bid) == {(NY_9TH, "Cleaning"): 1, (NY_10TH, "Cleaning"): 1, (NY_10TH, "Whitening"): 1}


def test_a_cancellation_takes_its_booking_off_and_one_that_came_first_keeps_it_off():
    bid, _ = create_tenant(env())
    kept, cancelled, early = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    _as_tenant(bid, _booking(bid, NOON, booking_id=kept), _booking(bid, NOON, booking_id=cancelled))
    assert _booked(bid) == {(NY_10TH, "Cleaning"): 2}
    _as_tenant(bid, _cancellation(bid, cancelled, NOON))
    assert _booked(bid) == {(NY_10TH, "Cleaning"): 1}
    _as_tenant(bid, _cancellation(bid, early, NOON))         # drained before its booking
    _as_tenant(bid, _booking(bid, NOON, booking_id=early))
    assert _booked(bid) == {(NY_10TH, "Cleaning"): 1}
    assert env().pg_rows("SELECT status FROM bookings WHERE id = %s", (early,)) == [("cancelled",)]


def test_a_change_of_zone_counts_the_days_again_in_the_new_zone():
    bid, _ = create_tenant(env())
    _as_tenant(bid, _call(bid, LATE), _call(bid, NOON))
    assert _figures(bid) == {NY_9TH: (1, 1, 0, 0, 0, 0, 0, 0), NY_10TH: (1, 1, 0, 0, 0, 0, 0, 0)}
    _as_tenant(bid, ("UPDATE businesses SET timezone = 'UTC' WHERE id = %s", (bid,)))
    assert _figures(bid) == {NY_10TH: (2, 2, 0, 0, 0, 0, 0, 0)}


def test_a_zone_postgresql_does_not_know_counts_in_utc_rather_than_refusing_records():
    bid, _ = create_tenant(env())
    env().pg_rows("UPDATE businesses SET timezone = 'Mars/Olympus_Mons' WHERE id = %s", (bid,))
    _as_tenant(bid, _call(bid, LATE))
    assert _figures(bid) == {NY_10TH: (1, 1, 0, 0, 0, 0, 0, 0)}


def test_another_business_s_figures_can_be_neither_read_nor_written():
    a, _ = create_tenant(env())
    b, _ = create_tenant(env())
    _as_tenant(b, _call(b, NOON), _booking(b, NOON))
    conn = psycopg2.connect(env().database_url)
    try:
        cur = conn.cursor()
        cur.execute("SET ROLE frontdesk_app")
        cur.execute("SELECT set_config('app.business_id', %s, true)", (a,))
        for table in ("daily_figures", "daily_bookings"):
            cur.execute(f"SELECT count(*) FROM {table} WHERE business_id = %s", (b,))
            assert cur.fetchone()[0] == 0, table
        try:
            cur.execute("INSERT INTO daily_figures (business_id, day, calls) VALUES (%s, %s, 1)", (b, NY_10TH))
        except psycopg2.errors.InsufficientPrivilege as err:
            assert "row-level security" in str(err), str(err)
        else:
            raise AssertionError("a figure of another business was written")
    finally:
        conn.rollback()
        conn.close()
    assert _figures(b) == {NY_10TH: (1, 1, 0, 0, 0, 0, 0, 0)}
