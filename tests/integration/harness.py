"""Integration-test harness: real redis-server, real PostgreSQL, the real binaries.

One private Redis and PostgreSQL serve the whole run (ops/services.sh, in a temp
folder, stopped by PID at exit); tests that must restart or break Redis start their
own with `private_redis()`. Tests use fresh businesses (new UUIDs and numbers), so
they never see each other's data. Binaries come from $FD_BIN (build/san/bin by
default, the ASan/UBSan build); every process a test starts is stopped by PID and
its stderr is checked for sanitizer reports.
"""
import atexit
import base64
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import nacl.signing
import psycopg2
import redis

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("FD_BIN", os.path.join(ROOT, "build", "san", "bin"))
SERVICES = os.path.join(ROOT, "ops", "services.sh")

_env = None
_tmp_dirs = []
_procs = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _read_env_file(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if "=" in line:
                k, v = line.split("=", 1)
                out[k] = v
    return out


def _tmpdir(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    _tmp_dirs.append(d)
    return d


class Services:
    """A private Redis and/or PostgreSQL started by ops/services.sh."""

    def __init__(self, what="start"):
        self.dir = _tmpdir("fd-svc-")
        subprocess.run([SERVICES, what, self.dir], check=True, stdout=subprocess.DEVNULL)
        self.vars = _read_env_file(os.path.join(self.dir, "env"))
        self.redis_url = self.vars["FRONTDESK_REDIS_URL"]
        self.redis_port = int(self.vars["REDIS_PORT"])
        self.database_url = self.vars.get("FRONTDESK_DATABASE_URL")
        self.stopped = False

    def redis(self):
        return redis.Redis(host="127.0.0.1", port=self.redis_port, db=0)

    def stop_redis(self, sig=signal.SIGTERM):
        """Stops Redis: SIGTERM lets it finish writing; SIGKILL is a crash."""
        pid = int(self.vars["REDIS_PID"])
        os.kill(pid, sig)
        _wait_pid_gone(pid)

    def start_redis_again(self):
        """Restarts Redis on the same port and folder (AOF replays what was there)."""
        d = os.path.join(self.dir, "redis")
        subprocess.run(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                        "--dir", d, "--appendonly", "yes", "--appendfsync", "always",
                        "--maxmemory-policy", "noeviction", "--maxmemory", "1gb", "--save", "",
                        "--enable-debug-command", "local",
                        "--daemonize", "yes", "--pidfile", os.path.join(d, "redis.pid"),
                        "--logfile", os.path.join(d, "redis.log")], check=True)
        for _ in range(200):
            try:
                if self.redis().ping():
                    break
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        with open(os.path.join(d, "redis.pid")) as f:
            self.vars["REDIS_PID"] = f.read().strip()
        self._rewrite_env()

    def stop_pg(self):
        r = _as_postgres(f"{PGBIN}/pg_ctl", "-D", self.vars["PG_DATA"], "-m", "fast", "-w", "-t", "30", "stop")
        assert r.returncode == 0, r.stderr

    def start_pg(self):
        """Starts the private PostgreSQL again with the options ops/services.sh gave it."""
        d = self.dir
        opts = (f"-p {self.vars['PG_PORT']} -c listen_addresses=127.0.0.1 -c unix_socket_directories={d}/pg "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        r = _as_postgres(f"{PGBIN}/pg_ctl", "-D", self.vars["PG_DATA"], "-l", f"{d}/pg/postgres.log", "-w",
                         "-t", "60", "start", "-o", opts)
        assert r.returncode == 0, r.stderr + r.stdout

    def pg_is_up(self):
        try:
            psycopg2.connect(self.database_url, connect_timeout=1).close()
            return True
        except psycopg2.OperationalError:
            return False

    def _rewrite_env(self):
        with open(os.path.join(self.dir, "env"), "w") as f:
            for k, v in self.vars.items():
                f.write(f"{k}={v}\n")

    def stop(self):
        if not self.stopped:
            self.stopped = True
            subprocess.run([SERVICES, "stop", self.dir], check=False)


PGBIN = "/usr/lib/postgresql/%s/bin" % sorted(os.listdir("/usr/lib/postgresql"))[-1]


def _as_postgres(*argv):
    cmd = list(argv)
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def _wait_pid_gone(pid, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError(f"pid {pid} did not exit")


def private_redis():
    """A Redis of its own, for tests that stop, slow or fill it."""
    s = Services("redis")
    _cleanup_later(s.stop)
    return s


_cleanups = []


def _cleanup_later(fn):
    _cleanups.append(fn)


def _cleanup_all():
    for p in list(_procs):
        p.kill_quietly()
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception:
            pass
    for d in _tmp_dirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup_all)


def _exit_on_sigterm(signum, frame):
    """A run stopped with SIGTERM (a timeout, Ctrl-C's kin) still stops what it started:
    atexit runs on SystemExit, not on a signal's default action."""
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _exit_on_sigterm)


class Env:
    """The shared services of this run, migrated, plus the development signing key."""

    def __init__(self):
        self.services = Services("start")
        _cleanup_later(self.services.stop)
        self.redis_url = self.services.redis_url
        self.database_url = self.services.database_url
        self.signing_key = nacl.signing.SigningKey.generate()
        self.public_key_b64 = base64.b64encode(bytes(self.signing_key.verify_key)).decode()
        self.dir = _tmpdir("fd-env-")
        self.key_file = os.path.join(self.dir, "dev_signing.key")
        with open(self.key_file, "w") as f:
            f.write(base64.b64encode(bytes(self.signing_key)).decode() + "\n")
        r = ctl(self, "migrate")
        assert r.returncode == 0, r.stderr

    def base_env(self, **extra):
        e = dict(os.environ)
        for k in list(e):
            if k.startswith("FRONTDESK_"):
                del e[k]
        e.update({
            "FRONTDESK_REDIS_URL": self.redis_url,
            "FRONTDESK_DATABASE_URL": self.database_url,
            "FRONTDESK_TELNYX_PUBLIC_KEY": self.public_key_b64,
            "FRONTDESK_LOG_LEVEL": "info",
            # Tests date their records by pinned clocks (FRONTDESK_NOW) that age with the
            # calendar: no worker deletes them unless a test asks (test_retention.py).
            "FRONTDESK_RETENTION_DAYS": "0",
            "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        })
        e.update({k: str(v) for k, v in extra.items()})
        return e

    def redis(self):
        return self.services.redis()

    def pg(self):
        """An owner connection (bypasses RLS): for checking what landed."""
        conn = psycopg2.connect(self.database_url)
        conn.autocommit = True
        return conn

    def pg_rows(self, sql, args=None):
        """Runs one statement on a new owner connection; returns its rows, if any."""
        conn = self.pg()
        try:
            cur = conn.cursor()
            cur.execute(sql, args)
            return cur.fetchall() if cur.description else None
        finally:
            conn.close()


def env():
    global _env
    if _env is None:
        _env = Env()
    return _env


def ctl(e, *args, extra_env=None, input=None, timeout=60):
    """Runs frontdesk-ctl with the run's environment; returns CompletedProcess (text)."""
    cmd = [os.path.join(BIN, "frontdesk-ctl"), *args]
    r = subprocess.run(cmd, env=e.base_env(**(extra_env or {})), capture_output=True,
                       text=True, input=input, timeout=timeout)
    assert_no_sanitizer_report(r.stderr, "frontdesk-ctl " + " ".join(args))
    return r


def assert_no_sanitizer_report(text, what):
    for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "ERROR: UndefinedBehaviorSanitizer"):
        if marker in text:
            raise AssertionError(f"{what}: sanitizer report:\n{text[-4000:]}")


def random_number():
    """A fresh E.164 number in the fictional 555-01xx style, unique per call."""
    return "+1" + str(random.randint(200, 999)) + "555" + str(random.randint(1000, 9999))


def create_tenant(e, name=None, numbers=None, fallback=None):
    """Creates a business with frontdesk-ctl; returns (business_id, [numbers])."""
    name = name or ("Biz " + uuid.uuid4().hex[:8])
    numbers = numbers or [random_number()]
    args = ["tenant", "create", "--name", name]
    for n in numbers:
        args += ["--number", n]
    if fallback:
        args += ["--fallback", fallback]
    r = ctl(e, *args)
    assert r.returncode == 0, f"tenant create failed: {r.stderr}"
    bid = r.stdout.strip()
    uuid.UUID(bid)
    return bid, numbers


class Proc:
    """A binary of ours running in the background, stopped by PID."""

    def __init__(self, argv, env_vars, name):
        self.name = name
        self.log_path = os.path.join(_tmpdir("fd-log-"), name + ".log")
        self.log = open(self.log_path, "wb")
        self.p = subprocess.Popen(argv, env=env_vars, stdout=self.log, stderr=subprocess.STDOUT)
        _procs.append(self)

    def output(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Stops the process; returns its exit status and checks for sanitizer reports."""
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
                raise AssertionError(f"{self.name} did not exit within {timeout}s of {sig}")
        if self in _procs:
            _procs.remove(self)
        self.log.close()
        assert_no_sanitizer_report(self.output(), self.name)
        return self.p.returncode

    def kill_quietly(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if self in _procs:
            _procs.remove(self)


def stop_leftovers():
    """Stops every process a test file started and left running, as its last test
    would: each file's binaries (a worker above all) must not live on into the next
    file's tests, where they would take its tenants. Returns what went wrong: a
    non-zero exit or a sanitizer report, one line each."""
    problems = []
    for p in list(_procs):
        if p.p.poll() is not None:      # ended already, as the test meant (kill -9, a crash test)
            p.kill_quietly()
            continue
        try:
            status = p.stop()
        except AssertionError as err:
            problems.append(f"{p.name}: {err}")
            continue
        if status != 0:
            problems.append(f"{p.name} exited with status {status}")
    return problems


def wait_http(url, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                return r.status
        except urllib.error.HTTPError as err:
            return err.code
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            time.sleep(0.05)
    raise AssertionError(f"{url} did not answer within {timeout}s")


class Api(Proc):
    def __init__(self, e, **extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        vars_ = e.base_env(FRONTDESK_LISTEN=f"127.0.0.1:{self.port}", **extra)
        super().__init__([os.path.join(BIN, "frontdesk-api")], vars_, "frontdesk-api")
        wait_http(self.url + "/healthz")


def start_api(e, **extra):
    return Api(e, **extra)


def http(method, url, body=None, headers=None, timeout=10):
    """One HTTP request; returns (status, headers dict, body bytes). Never raises on 4xx/5xx."""
    data = body if isinstance(body, (bytes, type(None))) else body.encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def webhook(event_type, payload, event_id=None, occurred_at=None):
    """A Telnyx v2 webhook envelope as bytes."""
    return json.dumps({
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": event_id or str(uuid.uuid4()),
            "occurred_at": occurred_at or "2026-11-28T10:00:00.000000Z",
            "payload": payload,
        },
        "meta": {"attempt": 1, "delivered_to": "https://example.invalid/webhooks/telnyx"},
    }).encode()


def sign(e, body, timestamp=None, key=None):
    """The two Telnyx signature headers for body (bytes)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    k = key or e.signing_key
    sig = k.sign(ts.encode() + b"|" + body).signature
    return {"telnyx-timestamp": ts, "telnyx-signature-ed25519": base64.b64encode(sig).decode(),
            "Content-Type": "application/json"}


def post_webhook(e, api, body, **kw):
    return http("POST", api.url + "/webhooks/telnyx", body, sign(e, body, **kw))


# ---- the worker side: simulator and workers ----

SIM = os.path.join(ROOT, "tests", "sim", "telnyx_sim.py")


class Sim(Proc):
    """The Telnyx simulator (tests/sim/telnyx_sim.py), posting webhooks to api."""

    def __init__(self, e, api, *extra_args):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = ["/usr/bin/python3", SIM, "--listen", f"127.0.0.1:{self.port}",
                "--webhook-url", api.url + "/webhooks/telnyx", "--key", e.key_file, *extra_args]
        super().__init__(argv, dict(os.environ), "telnyx-sim")
        wait_http(self.url + "/_sim/calls")

    def call(self, to, frm="+15557650000", script=None, **opts):
        body = {"to": to, "from": frm, "script": script or [], **opts}
        status, _, raw = http("POST", self.url + "/_sim/calls", json.dumps(body).encode(),
                              {"Content-Type": "application/json"})
        assert status in (200, 201), raw
        return json.loads(raw)["call_control_id"]

    def get(self, path):
        status, _, raw = http("GET", self.url + path)
        assert status == 200, (path, status, raw)
        return json.loads(raw)

    def post(self, path, body):
        status, _, raw = http("POST", self.url + path, json.dumps(body).encode(),
                              {"Content-Type": "application/json"})
        assert status == 200, (path, status, raw)
        return json.loads(raw) if raw else None

    def call_record(self, call_id):
        return self.get("/_sim/calls/" + urllib.request.quote(call_id, safe=""))

    def wait_ended(self, call_id, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            rec = self.call_record(call_id)
            if rec.get("ended"):
                return rec
            time.sleep(0.1)
        raise AssertionError(f"call {call_id} did not end within {timeout}s: {self.call_record(call_id)}")

    def texts_from(self, business_number):
        """Text messages the simulator received from the business's number: [{to, text}]."""
        out = []
        for m in self.get("/_sim/messages")["messages"]:
            req = m.get("request") or {}
            if req.get("from") == business_number:
                out.append({"to": req.get("to"), "text": req.get("text", "")})
        return out

    def invalid_requests(self):
        return [r for r in self.requests() if r.get("valid") is False]

    def requests(self):
        return self.get("/_sim/requests")["requests"]


class Worker(Proc):
    def __init__(self, e, sim, name="worker", **extra):
        # The suites share two cores with sanitizers on, where a worker's loop can stall
        # past the 750 ms that lose its tenants at the production liveness (1 s): a
        # tenant moving mid-test is safe (fenced) but not what most tests look at. The
        # production value is what test_worker_failover_fast runs with.
        extra.setdefault("FRONTDESK_LIVENESS_MS", 3000)
        self.metrics_port = free_port()
        vars_ = e.base_env(FRONTDESK_TELNYX_API_URL=sim.url + "/v2", FRONTDESK_TELNYX_API_KEY="test-key",
                           FRONTDESK_WORKER_LISTEN=f"127.0.0.1:{self.metrics_port}",
                           FRONTDESK_WORKER_ID=f"{name}-{uuid.uuid4().hex[:6]}", **extra)
        super().__init__([os.path.join(BIN, "frontdesk-worker")], vars_, name)
        wait_http(f"http://127.0.0.1:{self.metrics_port}/healthz")

    def metrics(self):
        status, _, raw = http("GET", f"http://127.0.0.1:{self.metrics_port}/metrics")
        return raw.decode()

    def metric(self, name):
        total = 0.0
        for line in self.metrics().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                total += float(line.rsplit(" ", 1)[1])
        return total


def wait_for(pred, timeout=20, step=0.1, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise AssertionError(f"{what} not met within {timeout}s")


def pg_rows(e, sql, *args):
    conn = e.pg()
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        conn.close()
