"""The services through PgBouncer (Debian's pgbouncer) in transaction mode, with a pool of
ONE server connection, so every transaction of every client runs on the same PostgreSQL
session, one after another. Whatever a transaction sets for the session stays there for
the next client's transaction; so the services set their role (frontdesk_app), timeouts
and tenant inside each transaction (lib/store/db_scope.h) and nothing for the session:
  - a session left as the URL's user (a superuser: Row Level Security does not apply to
    it) by another client shows each business only its own calls, and the services leave
    the session as they found it;
  - the lock timeout holds through the pooler: a locked row answers 503 within seconds;
  - a worker's records land through the pooler."""
import os
import pwd
import shutil
import signal
import subprocess
import time
import uuid

import psycopg2

import workerhelp as wh
from harness import _tmpdir, env, free_port, wait_for
from webhelp import Web, login, signup

E = env()
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


class Bouncer:
    """pgbouncer on a free loopback port in front of the run's PostgreSQL, pool_mode
    transaction, one server connection. It refuses to run as root: as root it runs as
    the postgres user, like the private PostgreSQL."""

    def __init__(self, database_url):
        assert os.path.exists(PGBOUNCER), "pgbouncer is missing: run ops/install-deps.sh"
        dsn = psycopg2.extensions.parse_dsn(database_url)
        self.dir = _tmpdir("fd-pgbouncer-")
        self.port = free_port()
        with open(os.path.join(self.dir, "users.txt"), "w") as f:
            f.write(f'"{dsn["user"]}" ""\n')
        ini = os.path.join(self.dir, "pgbouncer.ini")
        with open(ini, "w") as f:
            f.write(f"""[databases]
{dsn["dbname"]} = host={dsn["host"]} port={dsn["port"]} dbname={dsn["dbname"]} user={dsn["user"]}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.dir}/users.txt
pool_mode = transaction
default_pool_size = 1
reserve_pool_size = 0
max_db_connections = 1
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
logfile = {self.dir}/pgbouncer.log
""")
        # As root, the child itself becomes postgres (not through runuser, whose own
        # PID a stop would signal while pgbouncer, its child, kept running).
        as_user = {}
        if os.getuid() == 0:
            pg = pwd.getpwnam("postgres")
            os.chown(self.dir, pg.pw_uid, pg.pw_gid)
            for name in os.listdir(self.dir):
                os.chown(os.path.join(self.dir, name), pg.pw_uid, pg.pw_gid)
            as_user = {"user": pg.pw_uid, "group": pg.pw_gid, "extra_groups": []}
        self.p = subprocess.Popen([PGBOUNCER, ini], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  **as_user)
        self.url = f"postgresql://{dsn['user']}@127.0.0.1:{self.port}/{dsn['dbname']}"
        wait_for(self._answers, timeout=15, what="pgbouncer to answer")

    def _answers(self):
        try:
            psycopg2.connect(self.url, connect_timeout=1).close()
            return True
        except psycopg2.OperationalError:
            return False

    def session(self):
        """A client of the pool in autocommit: each statement is one transaction."""
        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        return conn

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)       # pgbouncer's immediate shutdown
            try:
                self.p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


BOUNCER = Bouncer(E.database_url)
WEB = Web(E, FRONTDESK_DATABASE_URL=BOUNCER.url)


def teardown_module(module):
    WEB.stop()
    BOUNCER.stop()


def _session_state():
    """What the one server session holds for the session itself, outside any transaction."""
    with BOUNCER.session() as conn, conn.cursor() as cur:
        cur.execute("SELECT current_user, current_setting('statement_timeout'), "
                    "current_setting('lock_timeout'), "
                    "coalesce(current_setting('app.business_id', true), '')")
        return cur.fetchone()


def _call_of(business_id, number):
    call_id = str(uuid.uuid4())
    with psycopg2.connect(E.database_url) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO call_logs (id, business_id, call_control_id, direction, "
                    "started_at, ended_at, duration_s, from_number, to_number, outcome) "
                    "VALUES (%s, %s, %s, 'incoming', now() - interval '3 minutes', "
                    "now() - interval '1 minute', 120, '+15550009999', %s, 'answered_by_agent')",
                    (call_id, business_id, "bouncer-" + call_id, number))
    return call_id


def _call_ids(token):
    status, _, body = WEB.call("GET", "/api/v1/calls?limit=100", token=token)
    assert status == 200, (status, body)
    assert body["next_cursor"] is None, body
    return {c["id"] for c in body["items"]}


def test_a_session_left_as_the_owner_shows_each_business_only_its_own_calls():
    a = signup(WEB)
    b = signup(WEB)
    call_a = _call_of(a["business_id"], "+13125550101")
    call_b = _call_of(b["business_id"], "+13125550102")
    # Another client of the pool leaves the one server session as the superuser the URL
    # names, with A declared as its tenant, for whatever transaction comes next.
    with BOUNCER.session() as other, other.cursor() as cur:
        cur.execute("RESET ROLE")
        cur.execute("SELECT set_config('app.business_id', %s, false)", (a["business_id"],))
    assert _session_state()[0] == "postgres"
    assert _call_ids(b["token"]) == {call_b}, "B saw a call that is not its own"
    assert _call_ids(a["token"]) == {call_a}
    # The services set nothing for the session: it is as the other client left it.
    user, statement_timeout, lock_timeout, tenant = _session_state()
    assert user == "postgres" and tenant == a["business_id"]
    assert (statement_timeout, lock_timeout) == ("0", "0")


def test_the_lock_timeout_holds_through_the_pooler():
    a = signup(WEB)
    locker = psycopg2.connect(E.database_url)       # directly: the pool has one connection
    locker.cursor().execute("SELECT id FROM businesses WHERE id = %s FOR UPDATE",
                            (a["business_id"],))
    try:
        start = time.monotonic()
        status, _, body = login(WEB, a["email"], a["password"])
        took = time.monotonic() - start
    finally:
        locker.rollback()
        locker.close()
    assert status == 503, (status, body)
    assert 1.5 < took < 6, took
    status, _, body = login(WEB, a["email"], a["password"])
    assert status == 200, (status, body)
    assert _session_state()[1:3] == ("0", "0")


def test_a_worker_s_records_land_through_the_pooler():
    with wh.Stack(E, database_url=BOUNCER.url) as stack:
        stack.worker("w1")
        bid, number = wh.create_tenant_at(E)
        stack.tenants.append(bid)
        call = stack.sim.call(number, frm="+15557650401", script=wh.three_turns())
        rec = stack.sim.wait_ended(call, timeout=30)
        wh.wait_records(E.database_url, bid, call, rec["transcript"], timeout=15)
    assert _session_state()[0] == "postgres"
