"""Helpers for the worker integration tests (test_worker_faults.py): tenant key names,
a private stack (api + simulator + workers) on any Redis/PostgreSQL, bulk tenants,
and the checks an operator makes after a call (simulator commands, records in
PostgreSQL, stream acknowledgement)."""
import json
import os
import signal
import time
import uuid
import zlib

import psycopg2
import redis as redislib

import harness
from harness import Sim, Worker, ctl, random_number, start_api, wait_for

SHARDS = 64


# A caller's three turns, for tests that follow calls through faults
MSG = "I'd like to leave a message for the dentist."
HOURS = "What are your opening hours?"
BYE = "Thanks, that's all, goodbye."


def three_turns(pause_ms=0):
    """Three turns; an optional pause after the first (the caller thinks)."""
    steps = [{"say": MSG}]
    if pause_ms:
        steps.append({"pause_ms": pause_ms})
    return steps + [{"say": HOURS}, {"say": BYE}]


def shard(bid):
    return zlib.crc32(bid.lower().encode()) % SHARDS


def tkey(bid, suffix):
    return f"fd:{{s{shard(bid):03d}}}:t:{bid}:{suffix}"


def lease_key(bid):
    return tkey(bid, "lease")


def events_key(bid):
    return tkey(bid, "events")


def outbox_key(bid):
    return tkey(bid, "outbox")


def call_key(bid, call_id):
    return tkey(bid, "call:" + call_id)


def lease_owner(r, bid):
    """The worker id holding the tenant's lease now, or None."""
    v = r.get(lease_key(bid))
    if v is None:
        return None
    return v.decode().rsplit(":", 1)[0]


def group_info(r, bid):
    """XINFO GROUPS of the tenant's stream, group 'workers', as a dict (str keys)."""
    try:
        groups = r.xinfo_groups(events_key(bid))
    except redislib.exceptions.ResponseError:
        return None
    for g in groups:
        name = g.get("name")
        if isinstance(name, bytes):
            name = name.decode()
        if name == "workers":
            return g
    return None


def stream_done(r, bid):
    """True when every entry of the tenant's stream has been delivered and acknowledged."""
    g = group_info(r, bid)
    return g is not None and g.get("pending") == 0 and g.get("lag") == 0


def redis_url_port(url):
    return int(url.rsplit(":", 1)[1].split("/")[0])


def redis_for(url):
    return redislib.Redis(host="127.0.0.1", port=redis_url_port(url), db=0)


def create_tenant_at(e, redis_url=None, database_url=None, name=None, numbers=None):
    """harness.create_tenant, but writing to the given Redis/PostgreSQL."""
    extra = {}
    if redis_url:
        extra["FRONTDESK_REDIS_URL"] = redis_url
    if database_url:
        extra["FRONTDESK_DATABASE_URL"] = database_url
    name = name or ("Biz " + uuid.uuid4().hex[:8])
    numbers = numbers or [random_number()]
    args = ["tenant", "create", "--name", name]
    for n in numbers:
        args += ["--number", n]
    r = ctl(e, *args, extra_env=extra)
    assert r.returncode == 0, f"tenant create failed: {r.stderr}"
    bid = r.stdout.strip()
    uuid.UUID(bid)
    return bid, numbers[0]


def agent_config(name):
    hours = {d: ([{"open": "09:00", "close": "17:00"}] if i < 5 else [])
             for i, d in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])}
    return json.dumps({"config_version": 1, "business_name": name,
                       "greeting": f"Thank you for calling {name}. How can I help you today?",
                       "timezone": "America/New_York", "hours": hours,
                       "voice": "Telnyx.KokoroTTS.af", "language": "en-US"}, sort_keys=True)


def bulk_tenants(database_url, r, n):
    """Creates n businesses, each with an active agent and one number, in one
    transaction as the owner (what ops/ctl/tenant.c does per tenant), then routes the
    numbers in Redis. Returns [(business_id, number)]."""
    out = []
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            # other test files share the database: never reuse a number they hold
            cur.execute("SELECT number FROM phone_numbers")
            used = {row[0] for row in cur.fetchall()}
    finally:
        conn.close()
    while len(out) < n:
        num = "+1" + str(200 + len(out) % 800) + "555" + "%04d" % ((uuid.uuid4().int) % 10000)
        if num in used:
            continue
        used.add(num)
        out.append((str(uuid.uuid4()), num))
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            rows_b = [(bid, f"Bulk {bid[:8]}") for bid, _ in out]
            from psycopg2.extras import execute_values
            execute_values(cur, "INSERT INTO businesses (id, name) VALUES %s", rows_b)
            execute_values(cur, "INSERT INTO ai_agents (business_id, version, is_active, config) VALUES %s",
                           [(bid, 1, True, agent_config(name)) for bid, name in rows_b],
                           template="(%s, %s, %s, %s::jsonb)")
            execute_values(cur, "INSERT INTO phone_numbers (business_id, number) VALUES %s",
                           [(bid, num) for bid, num in out])
    finally:
        conn.close()
    mapping = {num: bid for bid, num in out}
    items = list(mapping.items())
    for i in range(0, len(items), 500):
        r.hset("fd:numbers", mapping=dict(items[i:i + 500]))
    return out


class Stack:
    """api + simulator + workers on the given Redis/PostgreSQL (default: the env's).
    Everything it starts is stopped by PID in stop()."""

    def __init__(self, e, redis_url=None, database_url=None, sim_args=(), api_extra=None):
        self.e = e
        self.redis_url = redis_url or e.redis_url
        self.database_url = database_url or e.database_url
        self.over = {"FRONTDESK_REDIS_URL": self.redis_url, "FRONTDESK_DATABASE_URL": self.database_url}
        self.procs = []
        self.workers = []
        self.tenants = []        # business ids whose Redis keys are removed at the end
        self.api = start_api(e, **self.over, **(api_extra or {}))
        self.procs.append(self.api)
        self.sim = Sim(e, self.api, *sim_args)
        self.procs.append(self.sim)

    def redis(self):
        return redis_for(self.redis_url)

    def worker(self, name, **extra):
        env = dict(self.over)
        env.update(extra)
        w = Worker(self.e, self.sim, name, **env)
        w.worker_id = _env_of(w)["FRONTDESK_WORKER_ID"]
        self.procs.append(w)
        self.workers.append(w)
        return w

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        """Stops everything; when the test already failed, its error is what is raised
        (problems found while stopping are printed after it). Then forgets the test's
        tenants in Redis, so that calls a failed test left behind do not keep later
        tests' workers busy."""
        try:
            if exc_type is None:
                self.stop()
                return False
            try:
                self.stop()
            except AssertionError as err:
                print("    (also, while stopping: %s)" % str(err)[:3000])
            return False
        finally:
            self.forget_tenants()

    def forget_tenants(self):
        try:
            r = self.redis()
            for bid in self.tenants:
                prefix = f"fd:{{s{shard(bid):03d}}}"
                r.zrem(prefix + ":ready", bid)
                r.zrem(prefix + ":owned", bid)
                r.hdel(prefix + ":owners", bid)
                keys = list(r.scan_iter(match=f"{prefix}:t:{bid}:*", count=1000))
                for i in range(0, len(keys), 500):
                    r.delete(*keys[i:i + 500])
        except redislib.exceptions.RedisError:
            pass

    def stop(self):
        """Stops everything (workers first); returns {name: returncode}."""
        codes = {}
        errors = []
        for p in reversed(self.procs):
            try:
                codes[p.name] = p.stop()
            except AssertionError as err:
                errors.append(str(err))
        self.procs = []
        if errors:
            raise AssertionError("; ".join(errors))
        return codes


def _env_of(w):
    with open(f"/proc/{w.p.pid}/environ", "rb") as f:
        raw = f.read()
    return dict(kv.split("=", 1) for kv in raw.decode(errors="replace").split("\0") if "=" in kv)


def kill9(w):
    os.kill(w.p.pid, signal.SIGKILL)
    w.p.wait(timeout=10)


# ---- what an operator checks after calls ----

def speak_text(body):
    return " ".join((body or {}).get("payload", "").split())


def step_key(c):
    """A logical step of a call as the simulator saw it: the command and, for speech,
    what was said."""
    if c["command"] == "speak":
        return ("speak", speak_text(c.get("body")))
    return (c["command"],)


def command_id_problems(rec):
    """Steps of one call sent with more than one command_id, or sent twice as new
    (non-duplicate) commands. Returns a list of descriptions (empty: fine)."""
    by_step = {}
    for c in rec["commands"]:
        by_step.setdefault(step_key(c), []).append(c)
    problems = []
    # a barge-in (playback_stop) follows each time the caller talks over the receptionist:
    # several are legitimate, each with the command_id of the event that caused it
    by_step.pop(("playback_stop",), None)
    fresh_ids = [c.get("command_id") for c in rec["commands"] if not c.get("duplicate")]
    for cid in {i for i in fresh_ids if fresh_ids.count(i) > 1}:
        problems.append(f"command_id {cid} carried out {fresh_ids.count(cid)} times")
    for k, cs in by_step.items():
        ids = {c.get("command_id") for c in cs}
        fresh = [c for c in cs if not c.get("duplicate")]
        if len(ids) != 1:
            problems.append(f"{k}: {len(ids)} different command_ids {sorted(map(str, ids))}")
        if len(fresh) != 1:
            problems.append(f"{k}: carried out {len(fresh)} times")
    return problems


def call_records(database_url, call_id):
    """(call_logs rows, call_conversations rows, [(turn, speaker, text)]) for one call."""
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    try:
        cur = conn.cursor()
        cur.execute("SELECT id::text, business_id::text, outcome, hangup_source, answered_at IS NOT NULL "
                    "FROM call_logs WHERE call_control_id = %s", (call_id,))
        logs = cur.fetchall()
        convs, hist = [], []
        if logs:
            cur.execute("SELECT id::text, turns FROM call_conversations WHERE call_log_id = ANY(%s::uuid[])",
                        ([l[0] for l in logs],))
            convs = cur.fetchall()
            if convs:
                cur.execute("SELECT turn, speaker, text FROM conversation_history "
                            "WHERE conversation_id = ANY(%s::uuid[]) ORDER BY turn, id",
                            ([c[0] for c in convs],))
                hist = cur.fetchall()
        return logs, convs, hist
    finally:
        conn.close()


def records_problems(database_url, bid, call_id, transcript=None, strict_order=True):
    """What is wrong with one finished call's records (empty list: exactly once, complete)."""
    logs, convs, hist = call_records(database_url, call_id)
    p = []
    if len(logs) != 1:
        p.append(f"{len(logs)} call_logs rows")
    elif logs[0][1] != bid:
        p.append(f"call_logs under business {logs[0][1]}, not {bid}")
    if len(convs) != 1:
        p.append(f"{len(convs)} call_conversations rows")
    turns = [h[0] for h in hist]
    if turns != list(range(len(turns))):
        p.append(f"conversation_history turns {turns}")
    if convs and convs[0][1] != len(hist):
        p.append(f"call_conversations.turns={convs[0][1]} but {len(hist)} history rows")
    if transcript is not None:
        heard = [(t["speaker"], " ".join(t["text"].split())) for t in transcript if t.get("heard", True)]
        got = [(h[1], " ".join(h[2].split())) for h in hist]
        if not strict_order:
            heard, got = sorted(heard), sorted(got)
        if heard != got:
            p.append(f"history {got} != simulator transcript {heard}")
    return p


def wait_records(database_url, bid, call_id, transcript=None, timeout=30, strict_order=True):
    last = [None]

    def ok():
        last[0] = records_problems(database_url, bid, call_id, transcript, strict_order)
        return not last[0]
    try:
        wait_for(ok, timeout=timeout, step=0.25, what=f"records of {call_id}")
    except AssertionError:
        raise AssertionError(f"records of call {call_id}: {last[0]}")


def outbox_len(r, bid):
    return r.xlen(outbox_key(bid))


def worker_log_tail(w, n=40):
    return "\n".join(w.output().splitlines()[-n:])
