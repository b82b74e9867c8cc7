"""Helpers for the receptionist's end-to-end tests (test_caller_scripts.py,
test_booking_race.py, test_receptionist_isolation.py): a stack (api + simulator +
workers) on a Redis of its own, so that its workers' FRONTDESK_NOW is the only clock
its businesses ever see; businesses configured from docs/examples/ (or variants of
them); and what a caller, the business and Telnyx see after a call."""
import copy
import json
import os
import re
import tempfile

import harness
from harness import ctl, pg_rows, random_number, wait_for
from workerhelp import Stack

EXAMPLES = os.path.join(harness.ROOT, "docs", "examples")


def example(name):
    """The parsed document of docs/examples/<name>.json (a fresh copy each time)."""
    with open(os.path.join(EXAMPLES, name + ".json")) as f:
        return json.load(f)


def variant(doc, **changes):
    """A copy of doc with top-level fields replaced; "booking__capacity_per_slot"
    style keys replace one field of an object."""
    d = copy.deepcopy(doc)
    for k, v in changes.items():
        if "__" in k:
            outer, inner = k.split("__", 1)
            d.setdefault(outer, {})[inner] = v
        else:
            d[k] = v
    return d


class ClockStack:
    """api + simulator + workers on a private Redis (the run's PostgreSQL), every worker
    pinned to the same FRONTDESK_NOW. Businesses made with business() are routed and
    cached in this Redis only, so no other stack's workers (another clock) can own
    them."""

    def __init__(self, e, now, workers=1, sim_args=(), **worker_env):
        self.e = e
        self.now = now
        self.redis_svc = harness.private_redis()
        self.stack = Stack(e, redis_url=self.redis_svc.redis_url, sim_args=sim_args)
        self.sim = self.stack.sim
        self.workers = []
        self.worker_env = dict(FRONTDESK_NOW=now, **worker_env)
        for i in range(workers):
            self.add_worker(f"rx{i}")

    def add_worker(self, name, **extra):
        w = self.stack.worker(name, **dict(self.worker_env, **extra))
        self.workers.append(w)
        return w

    def redis(self):
        return self.stack.redis()

    def ctl(self, *args):
        return ctl(self.e, *args, extra_env={"FRONTDESK_REDIS_URL": self.redis_svc.redis_url})

    def business(self, doc, fallback=None, number=None):
        """A new business with its own number and doc as its active configuration.
        Returns (business id, number)."""
        number = number or random_number()
        args = ["tenant", "create", "--name", doc["business_name"], "--number", number]
        if fallback:
            args += ["--fallback", fallback]
        r = self.ctl(*args)
        assert r.returncode == 0, r.stderr
        bid = r.stdout.strip()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
            path = f.name
        try:
            r = self.ctl("agent", "set", "--business", bid, "--file", path)
        finally:
            os.unlink(path)
        assert r.returncode == 0, r.stderr
        self.stack.tenants.append(bid)
        return bid, number

    def stop(self):
        """Stops the processes (sanitizer reports fail here) and the private Redis;
        returns {name: exit status}. Fails if a process logged an error."""
        procs = list(self.stack.procs)
        try:
            codes = self.stack.stop()
        finally:
            self.stack.forget_tenants()
            self.redis_svc.stop()
        errors = [f"{p.name}: {line}" for p in procs for line in p.output().splitlines()
                  if '"level":"error"' in line]
        assert errors == [], "errors logged:\n" + "\n".join(errors[:20])
        return codes


# ---- what the caller and Telnyx saw ----

def commands(rec, name=None):
    return [c for c in rec["commands"] if not c.get("duplicate") and c.get("status") == 200
            and (name is None or c["command"] == name)]


def agent_lines(rec):
    return [" ".join(t["text"].split()) for t in rec["transcript"] if t["speaker"] == "agent"]


def caller_lines(rec):
    return [t["text"] for t in rec["transcript"] if t["speaker"] == "caller"]


def transfers(rec):
    """The numbers the call was transferred to (the accepted transfer commands)."""
    return [c["body"].get("to") for c in commands(rec, "transfer")]


def texts_from(sim, business_number):
    """Text messages the simulator received from the business's number: [{to, text}]."""
    return sim.texts_from(business_number)


# ---- what the business's records show ----

def bookings(e, bid, zone):
    """[(service, local start 'YYYY-MM-DD HH:MM', caller_name, caller_number, status)]"""
    rows = pg_rows(e, "SELECT service, to_char(starts_at AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI'), "
                      "caller_name, caller_number, status FROM bookings WHERE business_id = %s "
                      "ORDER BY starts_at, caller_number", zone, bid)
    return rows


def messages(e, bid):
    return pg_rows(e, "SELECT caller_name, callback_number, message FROM messages WHERE business_id = %s",
                   bid)


def call_log_count(e, call_id):
    return pg_rows(e, "SELECT count(*) FROM call_logs WHERE call_control_id = %s", call_id)[0][0]


def wait_call_logged(e, call_id, timeout=30):
    """Waits until the call's log row is in PostgreSQL: its outbox has drained (the
    records of a call drain after it ends, so bookings and messages are in by then)."""
    wait_for(lambda: call_log_count(e, call_id) >= 1, timeout=timeout, step=0.2,
             what=f"the call log of {call_id}")


DOLLARS = re.compile(r"\$([0-9][0-9,]*(?:\.[0-9]+)?)")


def amounts_in(text):
    """Dollar amounts in a text, normalised ("$120.00" and "$120" are both 120.0)."""
    return {float(a.replace(",", "")) for a in DOLLARS.findall(text)}


def allowed_amounts(doc):
    """Every dollar amount the business's own configuration holds: service prices and
    any amount written in its texts (policies, FAQ, descriptions)."""
    out = {float(s["price"]) for s in doc.get("services", []) if s.get("price")}
    out |= amounts_in(json.dumps(doc))
    return out
