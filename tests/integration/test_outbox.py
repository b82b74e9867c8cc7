"""The outbox drain (lib/store/outbox_drain.c) against real Redis and PostgreSQL, through the
test driver build/san/tools/outbox_drain_once: every record of a tenant's outbox lands
in PostgreSQL exactly once, under its own business_id, the outbox empties, refused
entries block nothing and move to the dead outbox after five refusals (operators list,
show and replay them), and a PostgreSQL outage or a lock held on one business only delays
the drain, dead-lettering nothing."""
import json
import os
import subprocess
import time
import uuid
import zlib

import msgpack
import psycopg2

from harness import (BIN, Services, _cleanup_later, assert_no_sanitizer_report, create_tenant,
                     ctl, env, random_number)

DRIVER = os.path.join(os.path.dirname(BIN), "tools", "outbox_drain_once")
TABLES = ("call_logs", "call_conversations", "conversation_history")
PGBIN = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
PG_CTL = f"/usr/lib/postgresql/{PGBIN}/bin/pg_ctl"


def _outbox_key(bid, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:outbox"


def _call_records(call_no, turns=2):
    """The records one finished call leaves: (table, key, row) with deterministic keys."""
    tag = f"call-{call_no}"
    log_id = str(uuid.uuid5(uuid.NAMESPACE_URL, tag + "/log"))
    conv_id = str(uuid.uuid5(uuid.NAMESPACE_URL, tag + "/conv"))
    out = [("call_logs", log_id, {
        "call_control_id": "v3:" + tag, "call_session_id": None, "from_number": "+15550001111",
        "to_number": "+15550002222", "direction": "incoming",
        "started_at": "2026-11-28T10:00:00.123Z", "answered_at": "2026-11-28T10:00:01.000Z",
        "ended_at": "2026-11-28T10:01:00.000Z", "duration_s": 60, "hangup_cause": "normal_clearing",
        "hangup_source": "caller", "outcome": "answered_by_agent"}),
        ("call_conversations", conv_id, {"call_log_id": log_id, "summary": "asked 'hours'; o'clock",
                                         "turns": turns})]
    for t in range(turns):
        out.append(("conversation_history", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}/turn/{t}")), {
            "conversation_id": conv_id, "turn": t, "speaker": "caller" if t % 2 == 0 else "agent",
            "text": f"turn {t} of {tag} — ünïcode", "at": "2026-11-28T10:00:05Z"}))
    return out


def _xadd(r, bid, records):
    for table, key, row in records:
        r.xadd(_outbox_key(bid), {"table": table, "key": key, "row": msgpack.packb(row)})


def _run_driver(e_env, bids, timeout_ms=30000):
    r = subprocess.run([DRIVER, "--timeout-ms", str(timeout_ms), *bids], env=e_env,
                       capture_output=True, text=True, timeout=timeout_ms / 1000 + 30)
    assert_no_sanitizer_report(r.stderr, "outbox_drain_once")
    return r


def _metric(stdout, name):
    for line in stdout.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no metric {name} in {stdout!r}")


def _rows(database_url, table, bid):
    conn = psycopg2.connect(database_url)
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT id::text FROM {table} WHERE business_id = %s", (bid,))
        return sorted(row[0] for row in cur.fetchall())
    finally:
        conn.close()


def _expected(records, table):
    return sorted(key for t, key, _ in records if t == table)


def _check_landed_once(database_url, bid, records):
    for table in TABLES:
        assert _rows(database_url, table, bid) == _expected(records, table), table


_two = {}


def _two_businesses():
    """Two businesses with drained outboxes (one of them over several batches)."""
    if not _two:
        e = env()
        r = e.redis()
        a, _ = create_tenant(e)
        b, _ = create_tenant(e)
        recs_a = [rec for n in range(3) for rec in _call_records(f"{a}-{n}")]
        recs_b = [rec for n in range(5) for rec in _call_records(f"{b}-{n}", turns=100)]  # 510
        _xadd(r, a, recs_a)
        _xadd(r, b, recs_b)
        res = _run_driver(e.base_env(), [a, b])
        assert res.returncode == 0, res.stderr
        _two.update(a=a, b=b, recs_a=recs_a, recs_b=recs_b, stdout=res.stdout)
    return _two


def test_every_record_lands_once_under_the_business_of_its_stream():
    e = env()
    t = _two_businesses()
    _check_landed_once(e.database_url, t["a"], t["recs_a"])
    _check_landed_once(e.database_url, t["b"], t["recs_b"])
    r = e.redis()
    assert r.xlen(_outbox_key(t["a"])) == 0
    assert r.xlen(_outbox_key(t["b"])) == 0
    assert _metric(t["stdout"], "frontdesk_outbox_records_written_total") == 12 + 510
    assert _metric(t["stdout"], "frontdesk_outbox_batches_total") >= 4      # 510 entries: 3 batches
    conn = e.pg()
    cur = conn.cursor()
    cur.execute("SELECT duration_s, started_at = '2026-11-28T10:00:00.123Z'::timestamptz, "
                "call_session_id IS NULL, created_at IS NOT NULL FROM call_logs WHERE id = %s",
                (t["recs_a"][0][1],))
    assert cur.fetchone() == (60, True, True, True)
    cur.execute("SELECT text FROM conversation_history WHERE id = %s", (t["recs_b"][3][1],))
    assert cur.fetchone()[0] == f"turn 1 of call-{t['b']}-0 — ünïcode"
    conn.close()


def test_draining_the_same_keys_again_adds_no_duplicates():
    e = env()
    t = _two_businesses()
    r = e.redis()
    _xadd(r, t["a"], t["recs_a"])
    res = _run_driver(e.base_env(), [t["a"]])
    assert res.returncode == 0, res.stderr
    _check_landed_once(e.database_url, t["a"], t["recs_a"])
    assert r.xlen(_outbox_key(t["a"])) == 0


def _dead_key(bid, shards=64):
    return _outbox_key(bid, shards)[:-len("outbox")] + "outbox_dead"


def test_refused_entries_block_nothing_and_move_to_the_dead_outbox_after_five_refusals():
    e = env()
    r = e.redis()
    bid, _ = create_tenant(e)
    good1 = _call_records(f"{bid}-1")
    good2 = _call_records(f"{bid}-2")
    call_log = str(uuid.uuid4())
    conn = e.pg()           # a lead score for call_log already exists: the record's is a duplicate
    cur = conn.cursor()
    cur.execute("INSERT INTO lead_scores (id, business_id, call_log_id, call_control_id, score, "
                "reasons) VALUES (%s, %s, %s, 'v3:other', 10, 'earlier')",
                (str(uuid.uuid4()), bid, call_log))
    conn.commit()
    duplicate = ("lead_scores", str(uuid.uuid4()), {
        "call_log_id": call_log, "call_control_id": "v3:dup", "score": 80, "reasons": "asked price"})
    bad_speaker = ("conversation_history", str(uuid.uuid4()), {
        "conversation_id": str(uuid.uuid4()), "turn": 0, "speaker": "robot", "text": "x",
        "at": "2026-11-28T10:00:05Z"})
    _xadd(r, bid, good1)
    r.xadd(_outbox_key(bid), {"table": "users", "key": str(uuid.uuid4()),
                              "row": msgpack.packb({"email": "x@example.com"})})
    _xadd(r, bid, [duplicate, bad_speaker])
    _xadd(r, bid, good2)
    res = _run_driver(e.base_env(), [bid])
    assert res.returncode == 0, res.stderr
    _check_landed_once(e.database_url, bid, good1 + good2)
    # The record outside the whitelist can never be written: it moves at once.
    dead = r.xrange(_dead_key(bid))
    assert [(f[b"table"], f[b"sqlstate"], f[b"refusals"]) for _, f in dead] == [(b"users", b"", b"1")]
    left = r.xrange(_outbox_key(bid))
    assert [f[b"table"] for _, f in left] == [b"lead_scores", b"conversation_history"]
    assert res.stderr.count("left in the outbox for now") == 2, res.stderr
    # Each drain (here a new process: the counts are in Redis) refuses them once more.
    for n in range(2, 5):
        res = _run_driver(e.base_env(), [bid])
        assert res.returncode == 0, res.stderr
        assert r.xlen(_outbox_key(bid)) == 2, n
    res = _run_driver(e.base_env(), [bid])
    assert res.returncode == 0, res.stderr
    assert r.xlen(_outbox_key(bid)) == 0
    assert _metric(res.stdout, "frontdesk_outbox_records_dead_total") == 2
    assert res.stderr.count("moved to the dead outbox") == 2, res.stderr
    assert not r.exists(_dead_key(bid)[:-len("dead")] + "refusals")
    dead = r.xrange(_dead_key(bid))
    assert [(f[b"table"], f[b"sqlstate"], f[b"refusals"]) for _, f in dead] == [
        (b"users", b"", b"1"), (b"lead_scores", b"23505", b"5"),
        (b"conversation_history", b"23514", b"5")]
    assert b"lead_scores_call_idx" in dead[1][1][b"error"]
    _check_landed_once(e.database_url, bid, good1 + good2)

    # Operators see them, and replay one once its cause is gone.
    res = ctl(e, "dead", "list", "--outbox", "--business", bid)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[:6] == ["DEAD_ID", "ENTRY", "TABLE", "KEY", "SQLSTATE", "REFUSALS"]
    assert duplicate[1] in lines[2] and "23505" in lines[2] and "duplicate key" in lines[2], lines
    dup_dead_id = dead[1][0].decode()
    res = ctl(e, "dead", "show", "--outbox", "--business", bid, "--id", dup_dead_id)
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    assert shown["row"]["call_log_id"] == call_log and shown["key"] == duplicate[1]
    assert shown["sqlstate"] == "23505" and "duplicate key" in shown["error"]
    cur.execute("DELETE FROM lead_scores WHERE call_log_id = %s", (call_log,))
    conn.commit()
    res = ctl(e, "dead", "replay", "--outbox", "--business", bid, "--id", dup_dead_id)
    assert res.returncode == 0, res.stderr
    (_, fields), = r.xrange(_outbox_key(bid))
    assert fields[b"key"] == duplicate[1].encode()
    assert fields[b"replayed_from"] == dup_dead_id.encode()
    assert r.xlen(_dead_key(bid)) == 2
    res = _run_driver(e.base_env(), [bid])
    assert res.returncode == 0, res.stderr
    assert r.xlen(_outbox_key(bid)) == 0
    cur.execute("SELECT id::text, score FROM lead_scores WHERE business_id = %s", (bid,))
    assert cur.fetchall() == [(duplicate[1], 80)]
    res = ctl(e, "dead", "replay", "--outbox", "--business", bid, "--id", dup_dead_id)
    assert res.returncode != 0 and "no dead outbox record" in res.stderr, res.stderr
    res = ctl(e, "dead", "purge", "--outbox", "--business", bid, "--before", "2100-01-01T00:00:00Z")
    assert res.returncode == 0 and "purged 2 dead outbox record(s)" in res.stdout, res
    assert r.xlen(_dead_key(bid)) == 0
    conn.close()


def test_rows_are_visible_to_the_app_role_only_under_their_business():
    e = env()
    t = _two_businesses()
    conn = psycopg2.connect(e.database_url)
    try:
        cur = conn.cursor()
        cur.execute("SET ROLE frontdesk_app")
        for table in TABLES:
            cur.execute(f"SELECT count(*) FROM {table}")
            assert cur.fetchone()[0] == 0, table          # no tenant declared: nothing
        conn.rollback()
        cur.execute("SET ROLE frontdesk_app")
        cur.execute("SELECT set_config('app.business_id', %s, true)", (t["a"],))
        for table in TABLES:
            cur.execute(f"SELECT id::text, business_id::text FROM {table}")
            rows = cur.fetchall()
            assert {r[1] for r in rows} == {t["a"]}, table
            assert sorted(r[0] for r in rows) == _expected(t["recs_a"], table)
        conn.rollback()
    finally:
        conn.close()


def _pg_start(svc):
    """Starts the private PostgreSQL again, as ops/services.sh did."""
    d = svc.dir
    opts = (f"-p {svc.vars['PG_PORT']} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={d}/pg -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200")
    _as_pg([PG_CTL, "-D", svc.vars["PG_DATA"], "-l", f"{d}/pg/postgres.log", "-w", "-t", "60",
            "start", "-o", opts])


def _pg_stop(svc):
    _as_pg([PG_CTL, "-D", svc.vars["PG_DATA"], "-m", "fast", "-w", "-t", "30", "stop"])


def _as_pg(argv):
    if os.getuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def test_postgres_outage_delays_the_drain_and_loses_nothing():
    e = env()
    svc = Services("start")
    _cleanup_later(svc.stop)
    extra = {"FRONTDESK_REDIS_URL": svc.redis_url, "FRONTDESK_DATABASE_URL": svc.database_url}
    res = ctl(e, "migrate", extra_env=extra)
    assert res.returncode == 0, res.stderr
    res = ctl(e, "tenant", "create", "--name", "Outage Co", "--number", random_number(),
              extra_env=extra)
    assert res.returncode == 0, res.stderr
    bid = res.stdout.strip()
    r = svc.redis()
    before = [rec for n in range(4) for rec in _call_records(f"{bid}-before-{n}")]
    during = [rec for n in range(4) for rec in _call_records(f"{bid}-during-{n}")]
    _xadd(r, bid, before)
    _pg_stop(svc)
    log_path = os.path.join(svc.dir, "driver.log")
    with open(log_path, "w") as log:
        p = subprocess.Popen([DRIVER, "--timeout-ms", "60000", bid], env=e.base_env(**extra),
                             stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        time.sleep(2.5)
        _xadd(r, bid, during)
        time.sleep(1.5)
        assert p.poll() is None, "the driver gave up while PostgreSQL was down"
        assert r.xlen(_outbox_key(bid)) == len(before) + len(during)
        _pg_start(svc)
        stdout, _ = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    with open(log_path) as f:
        stderr = f.read()
    assert_no_sanitizer_report(stderr, "outbox_drain_once")
    assert p.returncode == 0, stderr
    assert "outbox drain failed; will retry" in stderr
    assert _metric(stdout, "frontdesk_outbox_drain_failures_total") >= 3
    # The driver triggered once, before the second half was added; the worker triggers
    # again after each commit. A second run drains what came in meanwhile.
    res = _run_driver(e.base_env(**extra), [bid])
    assert res.returncode == 0, res.stderr
    _check_landed_once(svc.database_url, bid, before + during)
    assert r.xlen(_outbox_key(bid)) == 0
    assert r.xlen(_dead_key(bid)) == 0          # unavailable is never refused
    assert "moved to the dead outbox" not in stderr + res.stderr


def _wait_for_rows(database_url, bid, records, limit_s):
    """Seconds until every call_logs row of records is in PostgreSQL, or None."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        if _rows(database_url, "call_logs", bid) == _expected(records, "call_logs"):
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def test_a_row_lock_held_on_one_business_delays_only_that_business():
    """The drain writes every tenant on one connection, one transaction at a time: a lock on
    business A's row (its records' foreign keys wait for it) would hold B's transactions
    behind A's until the statement timeout (10 s) cancelled it. lock_timeout (2 s)
    fails A's transaction alone, as a transient error: B lands at once, A once the lock
    is gone, nothing is dead-lettered."""
    e = env()
    r = e.redis()
    a, _ = create_tenant(e)
    b, _ = create_tenant(e)
    recs_a = [rec for n in range(2) for rec in _call_records(f"{a}-locked-{n}")]
    recs_b = [rec for n in range(2) for rec in _call_records(f"{b}-free-{n}")]
    locker = psycopg2.connect(e.database_url)      # not autocommit: the lock stays
    locker.cursor().execute("SELECT id FROM businesses WHERE id = %s FOR UPDATE", (a,))
    _xadd(r, a, recs_a)
    _xadd(r, b, recs_b)
    log_path = os.path.join(e.dir, f"driver-lock-{a}.log")
    with open(log_path, "w") as log:
        p = subprocess.Popen([DRIVER, "--timeout-ms", "60000", a, b], env=e.base_env(),
                             stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        took = _wait_for_rows(e.database_url, b, recs_b, 6)
        assert took is not None, "B's records waited for A's lock"
        time.sleep(max(0.0, 12 - took))     # past the statement timeout and the drain's deadline
        assert _rows(e.database_url, "call_logs", a) == []
        assert p.poll() is None
        locker.rollback()
        assert _wait_for_rows(e.database_url, a, recs_a, 15) is not None
        stdout, _ = p.communicate(timeout=30)
    finally:
        locker.close()
        if p.poll() is None:
            p.kill()
            p.wait()
    with open(log_path) as f:
        stderr = f.read()
    assert_no_sanitizer_report(stderr, "outbox_drain_once")
    assert p.returncode == 0, stderr
    assert "lock timeout" in stderr, stderr
    assert "passed its deadline" not in stderr, stderr
    assert "moved to the dead outbox" not in stderr, stderr
    assert _metric(stdout, "frontdesk_outbox_records_dead_total") == 0
    _check_landed_once(e.database_url, a, recs_a)
    _check_landed_once(e.database_url, b, recs_b)
    for bid in (a, b):
        assert r.xlen(_outbox_key(bid)) == 0 and r.xlen(_dead_key(bid)) == 0
