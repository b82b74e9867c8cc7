"""Bookings against real Redis and PostgreSQL: the hold scripts (lua/booking_*.lua)
through lib/booking/booking_hold.c (the driver build/san/tools/booking_hold_tool), the race of
two processes for the last place of a slot, the PostgreSQL guard and tenant isolation
of schema/0003_bookings.sql, the outbox path of bookings, cancellations and usage
events, and `frontdesk-ctl bookings`."""
import json
import os
import subprocess
import time
import uuid
import zlib

import msgpack
import psycopg2
import psycopg2.errors

from harness import BIN, ROOT, assert_no_sanitizer_report, create_tenant, ctl, env

E = env()
R = E.redis()
TOOL = os.path.join(os.path.dirname(BIN), "tools", "booking_hold_tool")
DRAIN = os.path.join(os.path.dirname(BIN), "tools", "outbox_drain_once")
SLOT_MS = 30 * 60 * 1000
DAY_MS = 24 * 3600 * 1000
LEASE = "w1:1"


def _key(bid, suffix, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:{suffix}"


def _tenant():
    """A business id (no PostgreSQL row needed for Redis) whose lease we hold."""
    bid = str(uuid.uuid4())
    R.set(_key(bid, "lease"), LEASE)
    return bid


def _future_start(days=3):
    """A slot start on the half-hour grid a few days from now, in Unix ms."""
    now = int(time.time() * 1000)
    return (now // SLOT_MS + days * 48) * SLOT_MS


def tool(bid, *args, lease=LEASE, timeout=60):
    r = subprocess.run([TOOL, "--business", bid, "--lease", lease, *map(str, args)],
                       env=E.base_env(), capture_output=True, text=True, timeout=timeout)
    assert_no_sanitizer_report(r.stderr, "booking_hold_tool")
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    return r.stdout.strip()


def hold(bid, booking, capacity, *starts, call="tool-call", event="tool-event", **kw):
    return tool(bid, "hold", "--id", booking, "--capacity", capacity, "--call", call, "--event", event,
                *starts, **kw)


def give_back(bid, booking, *starts, call="tool-call", event="tool-event", **kw):
    return tool(bid, "give-back", "--id", booking, "--call", call, "--event", event, *starts, **kw)


def note(bid, booking, call="tool-call"):
    """The hold's note in the call's state hash, or None."""
    v = R.hget(_key(bid, f"call:{call}"), f"hold:{booking}")
    return v.decode() if v is not None else None


def counts(bid, *starts):
    out = tool(bid, "counts", *starts)
    assert out.startswith("counts"), out
    return [int(x) for x in out.split()[1:]]


def _uid():
    return str(uuid.uuid4())


# ---- Redis holds ----

def test_holds_succeed_up_to_capacity_and_then_the_slot_is_full():
    bid, s = _tenant(), _future_start()
    assert hold(bid, _uid(), 2, s) == "held 0"
    assert hold(bid, _uid(), 2, s) == "held 1"
    assert hold(bid, _uid(), 2, s) == "full 0"
    assert counts(bid, s, s + SLOT_MS) == [2, 0]


def test_a_replayed_hold_gets_the_same_place_and_takes_no_other():
    bid, s = _tenant(), _future_start()
    a, b = _uid(), _uid()
    assert hold(bid, a, 2, s) == "held 0"
    assert hold(bid, b, 2, s) == "held 1"
    assert hold(bid, a, 2, s) == "held 0"
    assert hold(bid, a.upper(), 2, s) == "held 0"      # ids are compared canonically
    assert counts(bid, s) == [2]


def test_a_booking_over_several_slots_is_held_all_or_nothing():
    bid, s = _tenant(), _future_start()
    assert hold(bid, _uid(), 1, s + SLOT_MS) == "held 0"        # the middle slot is taken
    long_one = _uid()
    assert hold(bid, long_one, 1, s, s + SLOT_MS, s + 2 * SLOT_MS) == "full 1"
    assert counts(bid, s, s + SLOT_MS, s + 2 * SLOT_MS) == [0, 1, 0]   # nothing claimed
    assert hold(bid, long_one, 2, s, s + SLOT_MS, s + 2 * SLOT_MS) == "held 0"
    assert R.hget(_key(bid, f"slot:{s + SLOT_MS}"), long_one) == b"1"
    assert counts(bid, s, s + SLOT_MS, s + 2 * SLOT_MS) == [1, 2, 1]


def test_release_frees_every_place_of_the_booking_once():
    bid, s = _tenant(), _future_start()
    a = _uid()
    starts = (s, s + SLOT_MS, s + 2 * SLOT_MS)
    assert hold(bid, a, 1, *starts) == "held 0"
    assert hold(bid, _uid(), 1, s) == "full 0"
    assert tool(bid, "release", "--id", a, *starts) == "released 3"
    assert tool(bid, "release", "--id", a, *starts) == "released 0"
    assert counts(bid, *starts) == [0, 0, 0]
    assert R.exists(_key(bid, f"slot:{s}")) == 0           # an empty hash is no key
    assert hold(bid, _uid(), 1, s) == "held 0"


def test_a_hold_is_noted_in_its_call_for_the_event_that_took_it_and_a_replay_keeps_the_note():
    bid, s = _tenant(), _future_start()
    a = _uid()
    starts = (s, s + SLOT_MS, s + 2 * SLOT_MS)
    assert hold(bid, a, 2, *starts, call="v3:c1", event="ev-1") == "held 0"
    assert note(bid, a, "v3:c1") == f"{s} {SLOT_MS} 3 ev-1"
    assert 0 < R.pttl(_key(bid, "call:v3:c1")) <= DAY_MS       # a call's hash always expires
    # the replay of the event on the next owner (or a later event asking again) gets the
    # same places and leaves the note as it is
    assert hold(bid, a, 2, *starts, call="v3:c1", event="ev-2") == "held 0"
    assert note(bid, a, "v3:c1") == f"{s} {SLOT_MS} 3 ev-1"


def test_a_hold_is_given_back_only_while_it_is_noted_for_the_event_asking():
    bid, s = _tenant(), _future_start()
    a = _uid()
    starts = (s, s + SLOT_MS)
    assert hold(bid, a, 1, *starts, call="v3:c2", event="ev-1") == "held 0"
    assert give_back(bid, a, *starts, call="v3:c2", event="ev-9") == "released 0"   # another event's
    assert give_back(bid, a, *starts, call="v3:c3", event="ev-1") == "released 0"   # another call's
    assert counts(bid, *starts) == [1, 1]
    assert give_back(bid, a, *starts, call="v3:c2", event="ev-1") == "released 2"
    assert note(bid, a, "v3:c2") is None and counts(bid, *starts) == [0, 0]
    assert give_back(bid, a, *starts, call="v3:c2", event="ev-1") == "released 0"   # once


def test_a_booked_hold_is_never_given_back():
    """The commit that books a hold deletes its note (lua/worker_commit.lua): a later
    give-back of that event, or a hold of the same booking by another event of the call,
    frees nothing."""
    bid, s = _tenant(), _future_start()
    a = _uid()
    assert hold(bid, a, 1, s, call="v3:c4", event="ev-1") == "held 0"
    R.hdel(_key(bid, "call:v3:c4"), f"hold:{a}")                  # booked by the commit
    assert hold(bid, a, 1, s, call="v3:c4", event="ev-2") == "held 0"
    assert note(bid, a, "v3:c4") is None
    assert give_back(bid, a, s, call="v3:c4", event="ev-1") == "released 0"
    assert give_back(bid, a, s, call="v3:c4", event="ev-2") == "released 0"
    assert counts(bid, s) == [1]


def test_a_give_back_with_a_stale_lease_is_fenced_and_changes_nothing():
    bid, s = _tenant(), _future_start()
    a = _uid()
    assert hold(bid, a, 1, s, call="v3:c5", event="ev-1") == "held 0"
    R.set(_key(bid, "lease"), "w2:2")
    assert give_back(bid, a, s, call="v3:c5", event="ev-1") == "fenced"
    assert R.hlen(_key(bid, f"slot:{s}")) == 1          # counts would be fenced too
    assert note(bid, a, "v3:c5") == f"{s} 0 1 ev-1"


def test_a_slot_key_expires_a_day_after_the_booking():
    bid, s = _tenant(), _future_start()
    hold(bid, _uid(), 1, s, s + SLOT_MS)
    expire_at = R.pttl(_key(bid, f"slot:{s}")) + int(time.time() * 1000)
    assert abs(expire_at - (s + SLOT_MS + DAY_MS)) < 5000


def test_a_hold_with_a_stale_lease_is_fenced_and_changes_nothing():
    bid, s = _tenant(), _future_start()
    a = _uid()
    assert hold(bid, a, 1, s) == "held 0"
    R.set(_key(bid, "lease"), "w2:2")                     # another worker took the tenant
    assert hold(bid, _uid(), 2, s + SLOT_MS) == "fenced"
    assert tool(bid, "release", "--id", a, s) == "fenced"
    assert tool(bid, "counts", s) == "fenced"
    assert R.hlen(_key(bid, f"slot:{s}")) == 1 and R.exists(_key(bid, f"slot:{s + SLOT_MS}")) == 0
    assert hold(bid, _uid(), 2, s, lease="w2:2") == "held 1"


def test_counts_of_more_slots_than_one_script_call_carries_come_back_in_order():
    bid, s = _tenant(), _future_start()
    starts = [s + i * SLOT_MS for i in range(250)]
    for i in (0, 99, 100, 249):
        hold(bid, _uid(), 3, starts[i])
    got = counts(bid, *starts)
    assert len(got) == 250
    assert [i for i, c in enumerate(got) if c] == [0, 99, 100, 249]


def test_two_processes_racing_for_the_last_place_of_a_slot_exactly_one_wins():
    """Two workers' worth of booking_hold.c, each on its own connection, ask for the last
    of two places of the same slot at the same wall-clock moment, 50 rounds."""
    bid, s = _tenant(), _future_start()
    rounds = 50
    script = open(os.path.join(ROOT, "lua", "booking_hold.lua")).read()
    for r in range(rounds):                                # one place of two is taken
        start = s + r * SLOT_MS
        res = R.eval(script, 3, _key(bid, "lease"), _key(bid, "call:v3:prefill"), _key(bid, f"slot:{start}"),
                     LEASE, _uid(), "2", str(start + DAY_MS), f"{start} 0 1 prefill")
        assert res == [b"held", 0]
    at = int(time.time() * 1000) + 2000                    # after both have connected
    procs = [subprocess.Popen([TOOL, "--business", bid, "--lease", LEASE, "race", "--name", name,
                               "--capacity", "2", "--rounds", str(rounds), "--at", str(at),
                               "--step-ms", "40", str(s)],
                              env=E.base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for name in ("worker-a", "worker-b")]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert_no_sanitizer_report(err, "booking_hold_tool race")
        assert p.returncode == 0, (out, err)
        outs.append(dict(line.split(" ", 2)[1:] for line in out.strip().splitlines()))
    for r in range(rounds):
        answers = sorted((outs[0][str(r)], outs[1][str(r)]))
        assert answers == ["full 0", "held 1"], (r, answers)
    assert counts(bid, *[s + r * SLOT_MS for r in range(rounds)]) == [2] * rounds
    wins = sum(outs[0][str(r)] == "held 1" for r in range(rounds))
    print(f"race: worker-a won {wins} of {rounds} rounds, worker-b {rounds - wins}")


# ---- PostgreSQL: the last guard, isolation, the outbox path ----

def _app(bid):
    """A connection running as frontdesk_app inside bid's RLS scope (one transaction)."""
    conn = psycopg2.connect(E.database_url)
    cur = conn.cursor()
    cur.execute("SET ROLE frontdesk_app")
    cur.execute("SELECT set_config('app.business_id', %s, true)", (bid,))
    return conn, cur


def _insert_booking(cur, bid, starts_at, slot_index, name="Ann Lee", service="Cleaning",
                    booking_id=None, number="+15550101234"):
    booking_id = booking_id or _uid()
    cur.execute("INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number, "
                "caller_name, slot_index, call_control_id) VALUES (%s, %s, %s, %s, "
                "%s::timestamptz + interval '1 hour', %s, %s, %s, 'v3:call')",
                (booking_id, bid, service, starts_at, starts_at, number, name, slot_index))
    return booking_id


def test_postgresql_refuses_a_second_booking_in_the_same_place_of_a_start():
    bid, _ = create_tenant(E)
    conn, cur = _app(bid)
    first = _insert_booking(cur, bid, "2026-03-03T14:00:00Z", 0)
    _insert_booking(cur, bid, "2026-03-03T14:00:00Z", 1)          # capacity 2: fine
    _insert_booking(cur, bid, "2026-03-03T14:30:00Z", 1)          # another start
    conn.commit()
    conn.close()
    conn, cur = _app(bid)
    try:
        _insert_booking(cur, bid, "2026-03-03T09:00:00-05:00", 1)  # the same instant
        raise AssertionError("a duplicate place was accepted")
    except psycopg2.errors.UniqueViolation:
        conn.rollback()
    for bad in (-1, 100):
        cur.execute("SELECT set_config('app.business_id', %s, true)", (bid,))
        try:
            _insert_booking(cur, bid, "2026-03-04T14:00:00Z", bad)
            raise AssertionError(f"slot_index {bad} was accepted")
        except psycopg2.errors.CheckViolation:
            conn.rollback()
    # A cancellation frees the place for the next booking.
    cur.execute("SELECT set_config('app.business_id', %s, true)", (bid,))
    cur.execute("INSERT INTO booking_cancellations (id, business_id, booking_id, cancelled_at) "
                "VALUES (%s, %s, %s, now())", (_uid(), bid, first))
    _insert_booking(cur, bid, "2026-03-03T14:00:00Z", 0)
    cur.execute("SELECT status, cancelled_at IS NOT NULL FROM bookings WHERE id = %s", (first,))
    assert cur.fetchone() == ("cancelled", True)
    conn.commit()
    conn.close()


def test_bookings_of_one_business_are_invisible_and_untouchable_to_another():
    a, _ = create_tenant(E)
    b, _ = create_tenant(E)
    conn, cur = _app(a)
    booking = _insert_booking(cur, a, "2026-03-05T15:00:00Z", 0)
    cur.execute("INSERT INTO usage_events (id, business_id, booking_id, occurred_at) "
                "VALUES (%s, %s, %s, now())", (_uid(), a, booking))
    conn.commit()
    conn.close()
    conn, cur = _app(b)
    for table in ("bookings", "usage_events", "booking_cancellations"):
        cur.execute(f"SELECT count(*) FROM {table}")
        assert cur.fetchone() == (0,), table
    # B's cancellation of A's booking cancels nothing (the trigger runs under B's RLS).
    cur.execute("INSERT INTO booking_cancellations (id, business_id, booking_id, cancelled_at) "
                "VALUES (%s, %s, %s, now())", (_uid(), b, booking))
    try:
        _insert_booking(cur, a, "2026-03-05T16:00:00Z", 0)
        raise AssertionError("B wrote a booking for A")
    except psycopg2.errors.InsufficientPrivilege:
        conn.rollback()
    conn.close()
    conn = E.pg()
    cur = conn.cursor()
    cur.execute("SELECT status FROM bookings WHERE id = %s", (booking,))
    assert cur.fetchone() == ("booked",)
    conn.close()


def _xadd(bid, records):
    for table, key, row in records:
        R.xadd(_key(bid, "outbox"), {"table": table, "key": key, "row": msgpack.packb(row)})


def _drain(bid):
    r = subprocess.run([DRAIN, "--timeout-ms", "20000", bid], env=E.base_env(),
                       capture_output=True, text=True, timeout=60)
    assert_no_sanitizer_report(r.stderr, "outbox_drain_once")
    assert r.returncode == 0, r.stderr
    assert R.xlen(_key(bid, "outbox")) == 0, "records left in the outbox"


def _pg(sql, args):
    conn = E.pg()
    try:
        cur = conn.cursor()
        cur.execute(sql, args)
        return cur.fetchall()
    finally:
        conn.close()


def _booking_records(booking, start="2026-03-03T14:00:00.000Z", end="2026-03-03T15:00:00.000Z"):
    usage = str(uuid.uuid5(uuid.NAMESPACE_URL, "usage/" + booking))
    return [("bookings", booking, {"service": "Cleaning", "starts_at": start, "ends_at": end,
                                   "caller_number": "+15550104321", "caller_name": "Bo Diaz",
                                   "slot_index": 0, "call_control_id": "v3:sim-1"}),
            ("usage_events", usage, {"kind": "booking", "booking_id": booking, "amount_cents": 5000,
                                     "occurred_at": "2026-03-01T10:00:00.000Z"})]


def test_a_booking_drains_through_the_outbox_and_a_replay_bills_nothing_twice():
    bid, _ = create_tenant(E)
    booking = _uid()
    _xadd(bid, _booking_records(booking))
    _drain(bid)
    _xadd(bid, _booking_records(booking))          # the event replayed: same ids
    _drain(bid)
    assert _pg("SELECT service, status, slot_index, caller_name FROM bookings WHERE business_id = %s",
               (bid,)) == [("Cleaning", "booked", 0, "Bo Diaz")]
    assert _pg("SELECT kind, amount_cents, reported_at FROM usage_events WHERE business_id = %s",
               (bid,)) == [("booking", 5000, None)]


def test_a_cancellation_drains_as_its_own_record_in_either_order():
    bid, _ = create_tenant(E)
    first, second = _uid(), _uid()
    cancel = lambda b: ("booking_cancellations", str(uuid.uuid5(uuid.NAMESPACE_URL, "c/" + b)),
                        {"booking_id": b, "cancelled_at": "2026-03-02T09:00:00.000Z",
                         "reason": "caller asked"})
    _xadd(bid, _booking_records(first))
    _drain(bid)
    _xadd(bid, [cancel(first)])                    # after its booking
    _xadd(bid, [cancel(second)])                   # before its booking
    _drain(bid)
    _xadd(bid, _booking_records(second, "2026-03-03T16:00:00.000Z", "2026-03-03T17:00:00.000Z"))
    _drain(bid)
    rows = _pg("SELECT id::text, status, cancelled_at FROM bookings WHERE business_id = %s", (bid,))
    assert {r[0]: r[1] for r in rows} == {first: "cancelled", second: "cancelled"}
    assert all(r[2] is not None for r in rows)


# ---- frontdesk-ctl bookings ----

def test_ctl_bookings_lists_a_business_s_bookings_in_its_time_zone():
    bid, _ = create_tenant(E)                      # the default agent: America/New_York
    other, _ = create_tenant(E)
    conn, cur = _app(bid)
    _insert_booking(cur, bid, "2026-03-04T19:30:00Z", 0, name="Zoë Ng", service="Whitening")
    _insert_booking(cur, bid, "2026-03-03T14:00:00Z", 0, name="Ann Lee")
    conn.commit()
    conn.close()
    r = ctl(E, "bookings", "--business", bid)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["START", "SERVICE", "CALLER", "NUMBER", "STATUS"]
    assert lines[1].startswith("2026-03-03 09:00 EST  Cleaning ")
    assert lines[2].startswith("2026-03-04 14:30 EST  Whitening")
    assert "Zoë Ng" in lines[2] and lines[2].rstrip().endswith("booked")
    assert lines[1].index("Ann Lee") == lines[2].index("Zoë Ng")     # aligned by characters
    assert "America/New_York" in r.stderr
    r = ctl(E, "bookings", "--business", bid, "--from", "2026-03-04", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x["service"] for x in rows] == ["Whitening"]
    assert rows[0]["starts_at"] == "2026-03-04T19:30:00Z" and rows[0]["caller_name"] == "Zoë Ng"
    r = ctl(E, "bookings", "--business", other, "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == []
    assert ctl(E, "bookings", "--business", bid, "--from", "2026-02-30").returncode == 2
    assert ctl(E, "bookings").returncode == 2


def test_the_booking_tables_force_row_level_security():
    rows = _pg("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
               "AND relname = ANY(%s)", (["bookings", "booking_cancellations", "usage_events"],))
    assert sorted(r[0] for r in rows) == ["booking_cancellations", "bookings", "usage_events"]
