"""Retention (schema/0014_retention.sql): transcripts (conversation_history) and texts
(sms_messages with their sms_status_reports) older than FRONTDESK_RETENTION_DAYS go,
every business's, by `frontdesk-ctl retention run` and by one worker a day; younger
rows, and every other record (calls' logs, messages taken, bookings), stay. Real
PostgreSQL and Redis."""
import json
import os
import subprocess
import time
import uuid
from datetime import datetime, timezone

from harness import BIN, Sim, Worker, create_tenant, ctl, env, pg_rows, start_api, wait_for

E = env()
R = E.redis()
CALLER = "+15550007001"


def plant(bid, days_ago, tag):
    """One row of each table retention reads, and of tables it must leave alone, dated
    days_ago; returns {table: id}."""
    ids = {t: str(uuid.uuid4()) for t in ("conversation_history", "sms_messages",
                                          "sms_status_reports", "call_logs", "messages",
                                          "bookings")}
    at = "now() - make_interval(days => %d)" % days_ago
    pg_rows(E, "INSERT INTO conversation_history (id, business_id, conversation_id, turn, speaker, "
               f"text, at) VALUES (%s, %s, %s, 0, 'caller', %s, {at}) RETURNING id",
            ids["conversation_history"], bid, str(uuid.uuid4()), "transcript " + tag)
    pg_rows(E, "INSERT INTO sms_messages (id, business_id, conversation_id, direction, from_number, "
               "to_number, caller_number, body, status, at) VALUES (%s, %s, %s, 'inbound', %s, "
               f"'+15550000000', %s, %s, 'received', {at}) RETURNING id",
            ids["sms_messages"], bid, str(uuid.uuid4()), CALLER, CALLER, "text " + tag)
    pg_rows(E, "INSERT INTO sms_status_reports (id, business_id, telnyx_message_id, status, "
               f"error_detail, at) VALUES (%s, %s, %s, 'failed', %s, {at}) RETURNING id",
            ids["sms_status_reports"], bid, "tx-" + ids["sms_status_reports"], "detail " + tag)
    pg_rows(E, "INSERT INTO call_logs (id, business_id, call_control_id, direction, started_at, "
               f"outcome) VALUES (%s, %s, %s, 'incoming', {at}, 'answered_by_agent') RETURNING id",
            ids["call_logs"], bid, "cc-" + tag)
    pg_rows(E, "INSERT INTO messages (id, business_id, caller_name, callback_number, message, "
               f"taken_at) VALUES (%s, %s, 'Old Caller', %s, %s, {at}) RETURNING id",
            ids["messages"], bid, CALLER, "message " + tag)
    pg_rows(E, "INSERT INTO bookings (id, business_id, service, starts_at, ends_at, slot_index, "
               f"created_at) VALUES (%s, %s, 'Cleaning', {at}, {at} + interval '1 hour', 0, {at}) "
               "RETURNING id", ids["bookings"], bid)
    return ids


def present(ids):
    """{table: whether its planted row is still there}."""
    return {t: pg_rows(E, f"SELECT count(*) FROM {t} WHERE id = %s", i)[0][0] == 1
            for t, i in ids.items()}


KEPT_ALWAYS = {"call_logs": True, "messages": True, "bookings": True}
RETAINED = ("conversation_history", "sms_messages", "sms_status_reports")


def gone(ids):
    """What present() answers once retention deleted the planted rows."""
    return dict(KEPT_ALWAYS, **{t: False for t in RETAINED})


def kept(ids):
    return {t: True for t in ids}


def run(*args, **env_vars):
    return ctl(E, "retention", "run", *args, extra_env=env_vars or None)


def test_rows_older_than_the_limit_go_for_every_business_and_younger_ones_and_other_tables_stay():
    a, _ = create_tenant(E)
    b, _ = create_tenant(E)
    old = {x: plant(x, 400, "old") for x in (a, b)}
    young = {x: plant(x, 300, "young") for x in (a, b)}
    dry = run("--days", "365", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    counts = json.loads(dry.stdout)
    assert counts["dry_run"] is True and counts["days"] == 365
    assert all(counts["would_delete"][t] >= 2 for t in RETAINED), counts
    assert all(present(old[x]) == kept(old[x]) for x in (a, b)), "a dry run deleted"

    done = run("--days", "365", "--json")
    assert done.returncode == 0, done.stderr
    deleted = json.loads(done.stdout)["deleted"]
    assert all(deleted[t] >= 2 for t in RETAINED), deleted
    for x in (a, b):
        assert present(old[x]) == gone(old[x]), x
        assert present(young[x]) == kept(young[x]), x
    again = run("--days", "365")
    assert again.returncode == 0, again.stderr
    assert "deleted rows older than 365 days" in again.stderr
    assert all(present(young[x]) == kept(young[x]) for x in (a, b))


def test_zero_days_keeps_everything():
    a, _ = create_tenant(E)
    ids = plant(a, 4000, "ancient")
    r = run("--days", "0", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["deleted"] == {t: 0 for t in RETAINED}
    r = run(FRONTDESK_RETENTION_DAYS="0")
    assert r.returncode == 0 and "everything is kept" in r.stderr, r.stderr
    assert present(ids) == kept(ids)
    # the variable is the default of --days: a short one deletes the ancient rows
    r = run(FRONTDESK_RETENTION_DAYS="3650")
    assert r.returncode == 0, r.stderr
    assert present(ids) == gone(ids)


def test_bad_arguments_are_refused_and_nothing_is_deleted():
    a, _ = create_tenant(E)
    ids = plant(a, 10, "recent")
    for args in (("--days", "-1"), ("--days", "ten"), ("--days", "36501"), ("--days",),
                 ("--forever",)):
        r = run(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
    r = run(FRONTDESK_RETENTION_DAYS="a year")
    assert r.returncode == 2 and "FRONTDESK_RETENTION_DAYS" in r.stderr, r.stderr
    assert ctl(E, "retention").returncode == 2
    assert present(ids) == kept(ids)


def test_the_daily_run_happens_once_a_day_whatever_the_number_of_workers():
    day = "fd:retention:ran:" + datetime.now(timezone.utc).strftime("%Y-%m-%d")
    R.delete(day)
    a, _ = create_tenant(E)
    first_old = plant(a, 40, "first")
    api = start_api(E)
    sim = Sim(E, api)
    workers = []
    try:
        # two at once: both ask for today's key at their first tick
        for name in ("retention-a", "retention-b"):
            workers.append(Worker(E, sim, name=name, FRONTDESK_RETENTION_DAYS="30"))
        ran = wait_for(lambda: [w for w in workers if "retention run done" in w.output()],
                       timeout=30, what="a worker's retention run")
        assert present(first_old) == gone(first_old)
        time.sleep(1.5)
        ran = [w for w in workers if "retention run done" in w.output()]
        assert len(ran) == 1 and ran[0].output().count("retention run done") == 1, \
            [w.name for w in ran]
        assert R.get(day).decode().startswith(ran[0].name) and R.ttl(day) > 86400
        second_old = plant(a, 40, "second")
        workers.append(Worker(E, sim, name="retention-c", FRONTDESK_RETENTION_DAYS="30"))
        workers.append(Worker(E, sim, name="retention-off", FRONTDESK_RETENTION_DAYS="0"))
        time.sleep(2)
        assert [w for w in workers if "retention run done" in w.output()] == ran
        assert present(second_old) == kept(second_old), "a second run the same day"
        # the next day (its key gone) a worker runs it again
        R.delete(day)
        workers.append(Worker(E, sim, name="retention-next", FRONTDESK_RETENTION_DAYS="30"))
        wait_for(lambda: "retention run done" in workers[-1].output(), timeout=30,
                 what="the next day's run")
        assert present(second_old) == gone(second_old)
    finally:
        for w in workers:
            assert w.stop() == 0
        sim.stop()
        api.stop()
    assert all('"level":"error"' not in w.output() for w in workers)


def test_a_worker_refuses_a_retention_that_is_not_a_number_of_days():
    p = subprocess.run([os.path.join(BIN, "frontdesk-worker")],
                       env=E.base_env(FRONTDESK_RETENTION_DAYS="-5",
                                      FRONTDESK_TELNYX_API_KEY="test-key"),
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "FRONTDESK_RETENTION_DAYS" in p.stderr, p.stderr
