"""Schema v1 and its tenant isolation: migrations apply once and are recorded, and the
application role, exactly as the services assume it (owner URL, then SET ROLE
frontdesk_app), sees and changes only the rows of the tenant its transaction declares,
and nothing at all when it declares none."""
import os
import uuid

import psycopg2
import psycopg2.errors

from harness import ROOT, ctl, create_tenant, env, random_number

TENANT_TABLES = ("businesses", "users", "ai_agents", "phone_numbers")


def _owner(e, sql, args=None):
    """Runs one statement on an owner connection (autocommit); returns its rows, if any."""
    return e.pg_rows(sql, args)


def _url_for_db(e, dbname):
    base, _, _ = e.database_url.rpartition("/")
    return f"{base}/{dbname}"


def _app_conn(e, business_id=None):
    """A connection that runs as frontdesk_app, inside a transaction for business_id."""
    conn = psycopg2.connect(e.database_url)
    cur = conn.cursor()
    cur.execute("SET ROLE frontdesk_app")
    if business_id is not None:
        cur.execute("SELECT set_config('app.business_id', %s, true)", (business_id,))
    return conn, cur


def _tenant_with_user(e):
    bid, numbers = create_tenant(e)
    _owner(e, "INSERT INTO users (business_id, email) VALUES (%s, %s)",
           (bid, f"owner-{uuid.uuid4().hex[:8]}@example.com"))
    return bid, numbers


def _owner_rows(e, table, bid):
    column = "id" if table == "businesses" else "business_id"
    return _owner(e, f"SELECT * FROM {table} WHERE {column} = %s ORDER BY 1", (bid,))


def test_migrate_twice_changes_nothing_and_records_the_version():
    e = env()       # already migrated once by the harness
    recorded = _owner(e, "SELECT version, name FROM schema_migrations ORDER BY version")
    policies = _owner(e, "SELECT count(*) FROM pg_policies WHERE schemaname = 'public'")
    assert recorded[0] == (1, "v1")
    r = ctl(e, "migrate")
    assert r.returncode == 0, r.stderr
    assert "nothing to do" in r.stdout
    assert _owner(e, "SELECT version, name FROM schema_migrations ORDER BY version") == recorded
    assert _owner(e, "SELECT count(*) FROM pg_policies WHERE schemaname = 'public'") == policies


def test_migrate_on_a_fresh_database_applies_every_migration_then_nothing():
    e = env()
    dbname = "fd_fresh_" + uuid.uuid4().hex[:8]
    _owner(e, f"CREATE DATABASE {dbname}")
    try:
        url = _url_for_db(e, dbname)
        first = ctl(e, "migrate", extra_env={"FRONTDESK_DATABASE_URL": url})
        assert first.returncode == 0, first.stderr
        assert "applied 0001_v1.sql" in first.stdout
        assert "applied 0002_calls.sql" in first.stdout
        second = ctl(e, "migrate", extra_env={"FRONTDESK_DATABASE_URL": url})
        assert second.returncode == 0, second.stderr
        assert "nothing to do" in second.stdout
        conn = psycopg2.connect(url)
        try:
            cur = conn.cursor()
            cur.execute("SELECT version FROM schema_migrations ORDER BY version")
            schema = os.path.join(ROOT, "schema")
            assert cur.fetchall() == [(int(f[:4]),) for f in sorted(os.listdir(schema))
                                      if f.endswith(".sql")]
            cur.execute("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
                        " AND relname = ANY(%s)", (list(TENANT_TABLES),))
            assert sorted(r[0] for r in cur.fetchall()) == sorted(TENANT_TABLES)
        finally:
            conn.close()
    finally:
        _owner(e, f"DROP DATABASE {dbname} WITH (FORCE)")


def test_app_role_with_tenant_a_reads_none_of_b():
    e = env()
    a, _ = _tenant_with_user(e)
    b, _ = _tenant_with_user(e)
    conn, cur = _app_conn(e, a)
    try:
        for table in TENANT_TABLES:
            column = "id" if table == "businesses" else "business_id"
            cur.execute(f"SELECT count(*) FROM {table} WHERE {column} = %s", (b,))
            assert cur.fetchone()[0] == 0, table
            cur.execute(f"SELECT DISTINCT {column}::text FROM {table}")
            assert [r[0] for r in cur.fetchall()] == [a], table
    finally:
        conn.rollback()
        conn.close()


def test_app_role_with_tenant_a_updates_and_deletes_none_of_b():
    e = env()
    a, _ = _tenant_with_user(e)
    b, _ = _tenant_with_user(e)
    before = {t: _owner_rows(e, t, b) for t in TENANT_TABLES}
    conn, cur = _app_conn(e, a)
    try:
        cur.execute("UPDATE businesses SET name = 'stolen' WHERE id = %s", (b,))
        assert cur.rowcount == 0
        for table in ("users", "ai_agents", "phone_numbers"):
            cur.execute(f"UPDATE {table} SET created_at = now() WHERE business_id = %s", (b,))
            assert cur.rowcount == 0, table
        for table in ("phone_numbers", "ai_agents", "users"):
            cur.execute(f"DELETE FROM {table} WHERE business_id = %s", (b,))
            assert cur.rowcount == 0, table
        cur.execute("DELETE FROM businesses WHERE id = %s", (b,))
        assert cur.rowcount == 0
        conn.commit()
    finally:
        conn.close()
    assert {t: _owner_rows(e, t, b) for t in TENANT_TABLES} == before


def test_app_role_with_tenant_a_cannot_insert_or_move_rows_into_b():
    e = env()
    a, _ = _tenant_with_user(e)
    b, _ = _tenant_with_user(e)
    attempts = [
        ("INSERT INTO phone_numbers (business_id, number) VALUES (%s, %s)", (b, random_number())),
        ("INSERT INTO users (business_id, email) VALUES (%s, %s)",
         (b, f"x-{uuid.uuid4().hex[:8]}@example.com")),
        ("INSERT INTO ai_agents (business_id, version, config) VALUES (%s, 99, '{}')", (b,)),
        ("INSERT INTO businesses (id, name) VALUES (%s, 'imposter')", (str(uuid.uuid4()),)),
        ("UPDATE phone_numbers SET business_id = %s WHERE business_id = %s", (b, a)),
    ]
    for sql, args in attempts:
        conn, cur = _app_conn(e, a)
        try:
            try:
                cur.execute(sql, args)
            except psycopg2.errors.InsufficientPrivilege as err:
                assert "row-level security" in str(err), str(err)
            else:
                raise AssertionError(f"not refused: {sql}")
        finally:
            conn.rollback()
            conn.close()
    assert len(_owner_rows(e, "phone_numbers", b)) == 1
    assert len(_owner_rows(e, "users", b)) == 1
    assert len(_owner_rows(e, "ai_agents", b)) == 1


def test_app_role_without_tenant_setting_reads_and_writes_nothing():
    e = env()
    _tenant_with_user(e)
    for setting in (None, ""):
        conn, cur = _app_conn(e)
        try:
            if setting is not None:
                cur.execute("SELECT set_config('app.business_id', %s, true)", (setting,))
            for table in TENANT_TABLES:
                cur.execute(f"SELECT count(*) FROM {table}")
                assert cur.fetchone()[0] == 0, (table, setting)
            cur.execute("UPDATE businesses SET name = 'x'")
            assert cur.rowcount == 0
            cur.execute("DELETE FROM phone_numbers")
            assert cur.rowcount == 0
            try:
                cur.execute("INSERT INTO businesses (id, name) VALUES (%s, 'x')", (str(uuid.uuid4()),))
            except psycopg2.errors.InsufficientPrivilege:
                pass
            else:
                raise AssertionError("insert without a tenant was not refused")
        finally:
            conn.rollback()
            conn.close()


def test_app_role_cannot_switch_row_security_off():
    e = env()
    conn, cur = _app_conn(e)
    try:
        try:
            cur.execute("ALTER TABLE businesses DISABLE ROW LEVEL SECURITY")
        except psycopg2.errors.InsufficientPrivilege:
            pass
        else:
            raise AssertionError("frontdesk_app could disable RLS")
    finally:
        conn.rollback()
        conn.close()


def test_ops_role_reads_every_tenant_and_writes_nothing():
    e = env()
    a, _ = create_tenant(e)
    b, _ = create_tenant(e)
    conn = psycopg2.connect(e.database_url)
    cur = conn.cursor()
    try:
        cur.execute("SET ROLE frontdesk_ops")
        cur.execute("SELECT count(*) FROM businesses WHERE id IN (%s, %s)", (a, b))
        assert cur.fetchone()[0] == 2
        cur.execute("SELECT count(*) FROM phone_numbers WHERE business_id IN (%s, %s)", (a, b))
        assert cur.fetchone()[0] == 2
        try:
            cur.execute("UPDATE businesses SET name = 'x' WHERE id = %s", (a,))
        except psycopg2.errors.InsufficientPrivilege:
            pass
        else:
            raise AssertionError("frontdesk_ops could write")
    finally:
        conn.rollback()
        conn.close()


def test_services_refuse_a_user_that_cannot_assume_the_app_role():
    e = env()
    role = "fd_stranger_" + uuid.uuid4().hex[:6]
    _owner(e, f"CREATE ROLE {role} LOGIN")
    try:
        url = e.database_url.replace("postgres@", f"{role}@")
        r = ctl(e, "tenant", "create", "--name", "Nope", "--number", random_number(),
                extra_env={"FRONTDESK_DATABASE_URL": url})
        assert r.returncode == 1
        assert "SET ROLE frontdesk_app" in r.stderr and "not a member" in r.stderr, r.stderr
        r = ctl(e, "migrate", extra_env={"FRONTDESK_DATABASE_URL": url})
        assert r.returncode == 1
        assert "owner" in r.stderr, r.stderr
    finally:
        _owner(e, f"DROP ROLE {role}")


def test_database_errors_never_print_the_password():
    e = env()
    for url in ("postgresql://fd:hunter2secret@127.0.0.1:1/frontdesk",
                "postgresql://fd:hunter2%zzsecret@127.0.0.1:1/frontdesk"):
        for args in (("migrate",), ("status",), ("numbers", "sync")):
            r = ctl(e, *args, extra_env={"FRONTDESK_DATABASE_URL": url})
            assert "hunter2" not in r.stderr + r.stdout, r.stderr
            if args != ("status",):     # status still shows what Redis has
                assert r.returncode != 0, r.stderr


# ---- number requests: tenant rows, claimed across tenants only through the claim ----------

def _requests_due_first(e, n):
    """n pending requests of a fresh business, due before any other request (next attempt
    in 2000), so claims take them first whatever other tests left behind."""
    bid, _ = create_tenant(e)
    return bid, [str(r[0]) for r in _owner(
        e, "INSERT INTO number_requests (business_id, area_code, next_attempt_at) "
           "SELECT %s, '312', timestamptz '2000-01-01' + g * interval '1 second' "
           "FROM generate_series(1, %s) g RETURNING id", (bid, n))]


def _claim(cur, claimant):
    cur.execute("SELECT id::text, claimed_by FROM number_request_claim(%s, 60000)", (claimant,))
    rows = cur.fetchall()
    return rows[0][0] if rows else None


def _settle(e, ids):
    _owner(e, "UPDATE number_requests SET status = 'failed', failure_reason = 'test', "
              "claimed_by = NULL, lease_until = NULL WHERE id = ANY(%s::uuid[])", (ids,))


def test_number_requests_are_a_tenant_table_read_by_operators():
    e = env()
    a, (ra,) = _requests_due_first(e, 1)
    b, (rb,) = _requests_due_first(e, 1)
    try:
        conn, cur = _app_conn(e, a)
        try:
            cur.execute("SELECT id::text FROM number_requests")
            assert [r[0] for r in cur.fetchall()] == [ra]
            cur.execute("UPDATE number_requests SET status = 'failed' WHERE id = %s", (rb,))
            assert cur.rowcount == 0
            try:
                cur.execute("INSERT INTO number_requests (business_id) VALUES (%s)", (b,))
            except psycopg2.errors.InsufficientPrivilege as err:
                assert "row-level security" in str(err)
            else:
                raise AssertionError("a request for another business was not refused")
        finally:
            conn.rollback()
            conn.close()
        conn = psycopg2.connect(e.database_url)
        try:
            cur = conn.cursor()
            cur.execute("SET ROLE frontdesk_ops")
            cur.execute("SELECT count(*) FROM number_requests WHERE id IN (%s, %s)", (ra, rb))
            assert cur.fetchone()[0] == 2
        finally:
            conn.rollback()
            conn.close()
        assert _owner(e, "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class "
                         "WHERE relname = 'number_requests'") == [(True,)]
    finally:
        _settle(e, [ra, rb])


def test_the_claim_leases_each_due_request_to_one_claimant_at_a_time():
    e = env()
    _, ids = _requests_due_first(e, 2)
    holder, holder_cur = _app_conn(e)
    other, other_cur = _app_conn(e)
    try:
        # holder's claim is not committed yet: its row stays locked and is skipped
        first = _claim(holder_cur, "holder")
        second = _claim(other_cur, "other")
        other.commit()
        assert first == ids[0] and second == ids[1], (first, second, ids)
        holder.commit()
        third = _claim(other_cur, "third")
        other.commit()
        assert third not in ids, third      # both are leased now
        if third is not None:               # another test's request: give it back at once
            _owner(e, "UPDATE number_requests SET claimed_by = NULL, lease_until = NULL "
                      "WHERE id = %s AND claimed_by = 'third'", (third,))
        claimed = dict(_owner(e, "SELECT id::text, claimed_by FROM number_requests "
                                 "WHERE id = ANY(%s::uuid[])", (ids,)))
        assert claimed == {ids[0]: "holder", ids[1]: "other"}
    finally:
        holder.close()
        other.close()
        _settle(e, ids)


def test_the_app_role_reaches_other_tenants_requests_only_through_the_claim():
    e = env()
    _, (rid,) = _requests_due_first(e, 1)
    conn, cur = _app_conn(e)
    try:
        cur.execute("SELECT count(*) FROM number_requests WHERE id = %s", (rid,))
        assert cur.fetchone()[0] == 0
    finally:
        conn.rollback()
        conn.close()
        _settle(e, [rid])
    assert _owner(e, "SELECT pg_has_role('frontdesk_app', 'frontdesk_provisioner', 'MEMBER'), "
                     "has_function_privilege('frontdesk_app', 'number_request_claim(text, integer)', "
                     "'EXECUTE'), has_function_privilege('frontdesk_ops', "
                     "'number_request_claim(text, integer)', 'EXECUTE')") == [(False, True, False)]
