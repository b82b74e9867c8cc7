"""`frontdesk-ctl bookings rebuild` after a Redis loss (ops/ctl/bookings_rebuild.c): a
business's slot places and callers' booking lines are put back from PostgreSQL's booked
bookings still ahead, exactly as the worker's holds left them, and the receptionist then
behaves as before the loss: a full slot stays full, a caller cancels by phone. Another
business's keys are untouched; a rebuild waits for the owning worker and otherwise
changes nothing. Api, worker, the Telnyx simulator, Redis and PostgreSQL, all real.

The receptionist's clock: Tuesday March 3rd 2026, 10:00 in New York. The dental clinic's
cleaning lasts 60 minutes on a 30-minute grid (two slots), two places a slot."""
import os
import uuid
import zlib

import harness
from harness import Sim, Worker, ctl, env, pg_rows, start_api, wait_for

E = env()
NOW = "2026-03-03T15:00:00Z"
API = start_api(E)
SIM = Sim(E, API)
WORKER = Worker(E, SIM, FRONTDESK_SILENCE_MS=800, FRONTDESK_NOW=NOW, FRONTDESK_IDLE_RELEASE_MS=1000)
R = E.redis()
TEN_AM = 1772636400000          # 2026-03-04 10:00 New York, the first slot booked
HALF_PAST = TEN_AM + 30 * 60000


def dental(name):
    number = harness.random_number()
    r = ctl(E, "tenant", "create", "--name", name, "--number", number)
    assert r.returncode == 0, r.stderr
    bid = r.stdout.strip()
    path = os.path.join(harness.ROOT, "docs", "examples", "dental-clinic.json")
    r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    assert r.returncode == 0, r.stderr
    return bid, number


def key(bid, suffix, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:{suffix}"


def rebuild(bid, *args):
    return ctl(E, "bookings", "rebuild", "--business", bid, *args, extra_env={"FRONTDESK_NOW": NOW})


def call(number, caller, *utterances):
    cid = SIM.call(number, caller, [{"say": u} for u in utterances])
    return [t["text"] for t in SIM.wait_ended(cid, timeout=40)["transcript"] if t["speaker"] == "agent"]


def booked(bid):
    """{booking id: (start ms, slot_index, caller)} of the business's booked rows."""
    rows = pg_rows(E, "SELECT id::text, starts_at, slot_index, caller_number FROM bookings "
                      "WHERE business_id = %s AND status = 'booked'", bid)
    return {r[0]: (int(r[1].timestamp() * 1000), r[2], r[3]) for r in rows}


def book_cleaning(bid, number, caller, name):
    before = len(booked(bid))
    lines = call(number, caller, "I'd like to book a cleaning tomorrow at 10 in the morning", name,
                 "yes please", "no that's all, bye")
    assert any("booked" in l.lower() for l in lines), lines
    wait_for(lambda: len(booked(bid)) == before + 1, what="the booking row")


def booking_keys(bid):
    """{key: (its hash, its TTL in ms)} of the business's slot and caller keys."""
    out = {}
    for pattern in ("slot:*", "caller:*"):
        for k in R.scan_iter(match=key(bid, pattern), count=1000):
            out[k.decode()] = ({f.decode(): v.decode() for f, v in R.hgetall(k).items()}, R.pttl(k))
    return out


def every_key(bid):
    return {k: R.dump(k) for k in R.scan_iter(match=key(bid, "*"), count=1000)
            if not k.endswith(b":lease")}


def settled_keys(bid):
    """every_key once the business's call is done with: its records drained, its texts
    sent, nothing changing for a second."""
    last = [None]

    def still():
        now = every_key(bid)
        same, last[0] = now == last[0], now
        return same
    wait_for(still, timeout=30, step=1.0, what="the business's keys settled")
    return last[0]


def changed_keys(was, now):
    return sorted(k.decode() for k in set(was) | set(now) if was.get(k) != now.get(k))


def lose_booking_keys(bid):
    for pattern in ("slot:*", "caller:*"):
        for k in R.scan_iter(match=key(bid, pattern), count=1000):
            R.delete(k)
    assert booking_keys(bid) == {}


STATE = {}


def clinic():
    """Business A with two cleanings at the same time (the 10:00 and 10:30 slots full),
    a cancelled and a past booking in PostgreSQL only; business B with one cleaning."""
    if STATE:
        return STATE
    a, a_number = dental("Rebuild Dental")
    b, b_number = dental("Other Dental")
    book_cleaning(a, a_number, "+15550003001", "Ann First")
    book_cleaning(a, a_number, "+15550003002", "Bob Second")
    book_cleaning(b, b_number, "+15550003003", "Cy Other")
    for status, start in (("cancelled", "2026-03-05 14:00"), ("booked", "2026-03-02 09:00")):
        pg_rows(E, "INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number, "
                   "status, slot_index, cancelled_at) VALUES (%s, %s, 'Cleaning', "
                   "(%s::timestamp AT TIME ZONE 'America/New_York'), "
                   "(%s::timestamp AT TIME ZONE 'America/New_York') + interval '1 hour', %s, %s, 0, "
                   "CASE WHEN %s = 'cancelled' THEN now() END) RETURNING id",
                str(uuid.uuid4()), a, start, start, "+15550003001", status, status)
    STATE.update(a=a, a_number=a_number, b=b, before=booking_keys(a), other=settled_keys(b))
    return STATE


def places_are_bookings(bid):
    """Every place in the business's slots is a booked booking still ahead, each in the
    two slots it covers, with its slot_index as its place in the first."""
    ahead = {i: v for i, v in booked(bid).items() if v[0] >= TEN_AM}
    held = {}
    for k, (h, _) in booking_keys(bid).items():
        if ":slot:" in k:
            for i, place in h.items():
                held.setdefault(i, {})[int(k.rsplit(":", 1)[1])] = int(place)
    assert set(held) == set(ahead), (held, ahead)
    for i, (start, slot_index, _) in ahead.items():
        assert set(held[i]) == {start, start + 30 * 60000}, held[i]
        assert held[i][start] == slot_index, (i, held[i], slot_index)


def test_a_rebuild_puts_back_exactly_the_places_and_lines_postgresql_holds():
    s = clinic()
    a = s["a"]
    places_are_bookings(a)
    assert len(s["before"][key(a, f"slot:{TEN_AM}")][0]) == 2, "the 10:00 slot is full"
    lose_booking_keys(a)

    dry = rebuild(a, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    ahead = sorted(i for i, v in booked(a).items() if v[0] == TEN_AM)
    assert len(ahead) == 2
    assert sorted(dry.stdout.splitlines()) == sorted(
        [f"missing\t{i}\t2026-03-04T15:00Z\t2 of 2 places" for i in ahead] +
        [f"missing\t{i}\t2026-03-04T15:00Z\tcaller {booked(a)[i][2]}" for i in ahead]), dry.stdout
    assert booking_keys(a) == {}, "a dry run wrote"

    done = rebuild(a, "--wait", "30")
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == sorted(dry.stdout.replace("missing", "added").splitlines())
    after = booking_keys(a)
    assert {k: h for k, (h, _) in after.items()} == {k: h for k, (h, _) in s["before"].items()}
    for k, (_, ttl) in after.items():
        # the worker's and the ctl's pinned clocks started apart: expiries agree within that
        assert abs(ttl - s["before"][k][1]) < 300000, (k, ttl, s["before"][k][1])
    places_are_bookings(a)
    assert every_key(s["b"]) == s["other"], \
        f"another business's keys changed: {changed_keys(s['other'], every_key(s['b']))}"
    assert not R.exists(key(a, "lease")), "the rebuild kept the lease"
    shard = f"fd:{{s{zlib.crc32(a.encode()) % 64:03d}}}"
    assert a.encode() not in R.hkeys(shard + ":owners")
    assert not any(f.startswith(b"ctl-rebuild") for f in R.hkeys(shard + ":alive"))

    again = rebuild(a)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "" and "added 0 places and 0 caller lines" in again.stderr, again.stderr


def test_after_the_rebuild_a_full_slot_stays_full_and_a_caller_cancels_by_phone():
    s = clinic()
    a, number = s["a"], s["a_number"]
    if booking_keys(a) == {}:
        assert rebuild(a, "--wait", "30").returncode == 0
    lines = call(number, "+15550003004", "I'd like to book a cleaning tomorrow at 10 in the morning",
                 "Di Fourth", "no thanks, bye")
    assert not any("you're booked" in l.lower() for l in lines), lines
    assert any("10 AM is taken" in l for l in lines), lines
    assert "+15550003004" not in [v[2] for v in booked(a).values()]
    assert len(R.hgetall(key(a, f"slot:{TEN_AM}"))) == 2

    first = next(i for i, v in booked(a).items() if v[2] == "+15550003001" and v[0] == TEN_AM)
    lines = call(number, "+15550003001", "Hi, I need to cancel my appointment", "yes", "no thanks, bye")
    said = " ".join(lines)
    assert "cancelled your cleaning tomorrow, Wednesday, March 4th at 10 AM" in said, lines
    wait_for(lambda: first not in booked(a), what="the booking marked cancelled")
    assert not R.hexists(key(a, f"slot:{TEN_AM}"), first)
    assert not R.hexists(key(a, f"slot:{HALF_PAST}"), first)
    places_are_bookings(a)


def test_a_rebuild_waits_for_the_owning_worker_and_otherwise_changes_nothing():
    a, _ = dental("Owned Dental")
    pg_rows(E, "INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number, "
               "slot_index) VALUES (%s, %s, 'Cleaning', to_timestamp(%s / 1000.0), "
               "to_timestamp(%s / 1000.0) + interval '1 hour', '+15550003005', 1) RETURNING id",
            str(uuid.uuid4()), a, TEN_AM, TEN_AM)
    # a live worker holds the business: its lease, and its liveness in the shard
    shard = f"fd:{{s{zlib.crc32(a.encode()) % 64:03d}}}"
    s, us = R.time()
    R.set(key(a, "lease"), "someone-else:7")
    R.hset(shard + ":owners", a, "someone-else")
    R.hset(shard + ":alive", "someone-else", "%d boot" % (s * 1000 + us // 1000 + 30000))
    try:
        r = rebuild(a, "--wait", "1")
        assert r.returncode == 1 and "a worker owns business" in r.stderr, r.stderr
        assert booking_keys(a) == {}
        assert R.get(key(a, "lease")) == b"someone-else:7"
        assert not any(f.startswith(b"ctl-rebuild") for f in R.hkeys(shard + ":alive")), \
            "the rebuild stayed alive after giving up"
    finally:
        R.delete(key(a, "lease"))
        R.hdel(shard + ":owners", a)
        R.hdel(shard + ":alive", "someone-else")
    r = rebuild(a, "--wait", "0")
    assert r.returncode == 0, r.stderr
    [mine] = booked(a)
    line = f"{TEN_AM} {TEN_AM + 3600000} 1800000 2 - Cleaning"
    assert {k: h for k, (h, _) in booking_keys(a).items()} == {
        key(a, f"slot:{TEN_AM}"): {mine: "1"}, key(a, f"slot:{HALF_PAST}"): {mine: "0"},
        key(a, "caller:+15550003005"): {mine: line}}


def test_a_place_in_redis_only_is_reported_and_kept_and_a_taken_place_gives_another():
    a, _ = dental("Stray Dental")
    mine = str(uuid.uuid4())
    pg_rows(E, "INSERT INTO bookings (id, business_id, service, starts_at, ends_at, slot_index) "
               "VALUES (%s, %s, 'Cleaning', to_timestamp(%s / 1000.0), "
               "to_timestamp(%s / 1000.0) + interval '1 hour', 0) RETURNING id", mine, a, TEN_AM, TEN_AM)
    stray = str(uuid.uuid4())           # a hold whose call has not committed yet, say
    R.hset(key(a, f"slot:{TEN_AM}"), stray, "0")
    r = rebuild(a, "--wait", "0")
    assert r.returncode == 0, r.stderr
    assert f"moved\t{mine}\t2026-03-04T15:00Z\tplace 0 taken, given place 1" in r.stdout, r.stdout
    assert f"redis only\t{stray}\tslot {TEN_AM}\tleft as it is" in r.stdout, r.stdout
    assert R.hgetall(key(a, f"slot:{TEN_AM}")) == {stray.encode(): b"0", mine.encode(): b"1"}
    assert R.hgetall(key(a, f"slot:{HALF_PAST}")) == {mine.encode(): b"0"}
    assert not R.exists(key(a, "caller:+15550003005")), "a booking without a number has no line"


def test_the_rebuild_script_is_fenced_keeps_what_is_there_and_keeps_the_later_expiry():
    script = open(os.path.join(harness.ROOT, "lua", "booking_rebuild.lua")).read()
    bid = str(uuid.uuid4())
    lease, first, second = key(bid, "lease"), key(bid, f"slot:{TEN_AM}"), key(bid, f"slot:{HALF_PAST}")
    s, us = R.time()
    later, sooner = (s + 7200) * 1000, (s + 3600) * 1000
    R.set(lease, "ctl-rebuild-1:3")
    try:
        try:
            R.eval(script, 3, lease, first, second, "w9:1", "b1", 0, later)
            raise AssertionError("a stale lease wrote")
        except Exception as e:
            assert "FENCED" in str(e), e
        assert not R.exists(first) and not R.exists(second)
        assert R.eval(script, 3, lease, first, second, "ctl-rebuild-1:3", "b1", 1, later) == [2, 1]
        assert R.hgetall(first) == {b"b1": b"1"} and R.hgetall(second) == {b"b1": b"0"}
        assert R.eval(script, 3, lease, first, second, "ctl-rebuild-1:3", "b1", 0, sooner) == [0, 1]
        assert R.pttl(first) > 7000000, "a sooner expiry replaced the later one"
        assert R.eval(script, 2, lease, first, "ctl-rebuild-1:3", "b2", 1, later) == [1, 0]
        assert R.hgetall(first) == {b"b1": b"1", b"b2": b"0"}
    finally:
        R.delete(lease, first, second)


def test_bad_arguments_are_refused():
    for args in ((), ("--business", "nope"), ("--business", str(uuid.uuid4()), "--wait", "soon"),
                 ("--business", str(uuid.uuid4()), "--force")):
        r = ctl(E, "bookings", "rebuild", *args)
        assert r.returncode == 2, (args, r.stderr)
    r = rebuild(str(uuid.uuid4()))
    assert r.returncode == 1 and "no active configuration" in r.stderr, r.stderr
    usage = ctl(E, "help").stdout
    assert "bookings rebuild --business ID [--dry-run] [--wait SECONDS]" in usage
    assert "retention run [--days N] [--dry-run] [--json]" in usage


def test_processes_stop_cleanly():
    assert WORKER.stop() == 0
    assert SIM.stop() == 0
    assert API.stop() == 0
