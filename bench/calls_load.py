#!/usr/bin/python3
"""calls_load: the driver of the calls benchmark (bench/run-calls-bench.sh).

Starts N simulated calls at once through the Telnyx simulator (tests/sim/telnyx_sim.py),
spread round-robin over the given businesses, waits (bounded) until every call has ended
and every webhook has been acknowledged, then measures from the simulator's records:
  - turn overhead: the api's 2xx to a caller's final call.transcription (the webhook's
    acked_at) -> the reply `speak` arriving at the simulator (that command's "at");
    likewise call.initiated -> answer and call.answered -> the greeting `speak`;
  - the api's share: webhook POST sent -> acknowledged, as the simulator sees it;
  - the simulator's own turnaround: GET /_sim/health round trips from this process,
    idle before the run and every few ms during it;
  - CPU time of the given processes over the run window (/proc/PID/stat).
Then it checks what must hold, and fails loudly (exit 1) if it does not: every call
ended, hung up by the receptionist after its goodbye, with all its turns heard, each
command sent once (plus de-duplicated retries), no request the simulator found
invalid, every webhook acknowledged; once the outboxes drain, exactly one call_logs
row per call with its conversation and every turn in PostgreSQL.

Prints one line "CALLS key=value ..." on stdout (figures for the summary) and writes
every measured sample to --out (JSON) for a closer look. Everything else: stderr.
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import psycopg2
import redis

# Three questions and a goodbye: the built-in receptionist answers the first with the
# hours, the next two with "let me take a message", and the last with its goodbye and
# a hang-up. Every caller turn gets exactly one reply `speak`.
SCRIPT = [
    {"say": "Hi, what are your opening hours this week?"},
    {"say": "Can I book a cleaning for next Tuesday?"},
    {"say": "Do you take new patients on Saturdays?"},
    {"say": "Great, thanks, that's all. Bye."},
]
CALLER_TURNS = sum(1 for s in SCRIPT if "say" in s)
EXPECTED = {"answer": 1, "speak": 1 + CALLER_TURNS, "transcription_start": 1, "hangup": 1}


def log(msg):
    print("calls_load: " + msg, file=sys.stderr, flush=True)


class Client:
    """One keep-alive HTTP/1.1 connection to the simulator."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def request(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            try:
                self.conn.request(method, path, body=data,
                                  headers={"Content-Type": "application/json"} if data else {})
                r = self.conn.getresponse()
                raw = r.read()
                if r.will_close:
                    self.conn.close()
                    self.conn = None
                return r.status, raw
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get_json(self, path):
        status, raw = self.request("GET", path)
        if status != 200:
            raise RuntimeError("GET %s: HTTP %d %s" % (path, status, raw[:200]))
        return json.loads(raw)


def cpu_ticks(pid):
    """utime + stime of a process (fields 14, 15 of /proc/PID/stat), in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def group_ticks(pids):
    """CPU ticks of each named group of processes; postgres counts its backends too."""
    out = {}
    for name, pid in pids.items():
        members = [pid] + (children(pid) if name == "postgres" else [])
        total = 0
        for p in members:
            try:
                total += cpu_ticks(p)
            except OSError:
                pass          # a backend that exited meanwhile
        out[name] = total
    return out


def pct(values, q):
    """The q-th percentile (0..100), nearest rank; None for no values."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def ms_stats(values):
    if not values:
        return {"n": 0, "p50": None, "p99": None, "max": None}
    return {"n": len(values), "p50": pct(values, 50) * 1000, "p99": pct(values, 99) * 1000,
            "max": max(values) * 1000}


class Prober(threading.Thread):
    """GET /_sim/health every interval_s on its own connection; records round trips."""

    def __init__(self, base, interval_s):
        super().__init__(daemon=True)
        self.client = Client(base)
        self.interval_s = interval_s
        self.stop = threading.Event()
        self.rtts = []

    def run(self):
        while not self.stop.is_set():
            t0 = time.perf_counter()
            try:
                self.client.request("GET", "/_sim/health")
            except (OSError, http.client.HTTPException):
                continue
            self.rtts.append(time.perf_counter() - t0)
            self.stop.wait(self.interval_s)


def idle_rtts(base, n=200):
    c = Client(base)
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        c.request("GET", "/_sim/health")
        out.append(time.perf_counter() - t0)
    return out


def start_calls(base, numbers, n, threads):
    """POSTs n calls from `threads` connections released together. Returns
    ([call ids], first POST sent, last POST answered)."""
    ids = [None] * n
    errors = []
    ready = threading.Barrier(threads + 1)
    times = []

    def run(k):
        c = Client(base)
        c.request("GET", "/_sim/health")          # connect before the barrier
        ready.wait()
        times.append(time.time())
        for i in range(k, n, threads):
            spec = {"to": numbers[i % len(numbers)], "from": "+1555%07d" % (2000000 + i),
                    "script": SCRIPT}
            try:
                status, raw = c.request("POST", "/_sim/calls", spec)
                if status != 200:
                    raise RuntimeError("HTTP %d %s" % (status, raw[:200]))
                ids[i] = json.loads(raw)["call_control_id"]
            except Exception as err:    # reported below, the run fails
                errors.append("call %d: %s" % (i, err))
        times.append(time.time())

    ts = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(threads)]
    for t in ts:
        t.start()
    ready.wait()
    for t in ts:
        t.join()
    if errors:
        raise RuntimeError("starting calls failed: " + "; ".join(errors[:5]))
    return ids, min(times), max(times)


def all_done(records):
    return all(r["ended"] and all(w.get("acked_at") or w.get("failed") for w in r["webhooks"])
               for r in records)


def fetch_records(c, ids):
    return [c.get_json("/_sim/calls/" + urllib.parse.quote(i, safe="")) for i in ids]


def call_problems(rec):
    """What is wrong with one finished call (empty: it went as scripted)."""
    p = []
    if not rec["ended"]:
        p.append("not ended (state %s, step %s)" % (rec["state"], rec["script_step"]))
        return p
    if rec["hangup_source"] != "callee":
        p.append("hung up by %s (%s), not by the receptionist" % (rec["hangup_source"], rec["hangup_cause"]))
    counts = {}
    for c in rec["commands"]:
        if not c.get("duplicate"):
            counts[c["command"]] = counts.get(c["command"], 0) + 1
        if c.get("status") != 200:
            p.append("%s answered %s %s" % (c["command"], c.get("status"), c.get("error", "")))
    if counts != EXPECTED:
        p.append("commands %s, expected %s" % (counts, EXPECTED))
    speakers = [t["speaker"] for t in rec["transcript"]]
    if speakers != ["agent"] + ["caller", "agent"] * CALLER_TURNS:
        p.append("transcript speakers %s" % speakers)
    if any(t.get("heard") is False or t.get("interrupted") for t in rec["transcript"]):
        p.append("a line was not heard or was interrupted")
    for w in rec["webhooks"]:
        if not w.get("acked_at"):
            p.append("webhook %s not acknowledged (status %s)" % (w["event_type"], w.get("status")))
        elif w.get("attempts", 1) != 1:
            p.append("webhook %s took %d attempts" % (w["event_type"], w["attempts"]))
    return p


def measure(records):
    """Per-call latency samples, in seconds."""
    s = {"turn": [], "answer": [], "greeting": [], "api_ack": [], "api_ack_final": [],
         "turn_minus_ack": []}
    for rec in records:
        wh = rec["webhooks"]
        cmds = [c for c in rec["commands"] if not c.get("duplicate") and c.get("status") == 200]
        speaks = [c for c in cmds if c["command"] == "speak"]
        answers = [c for c in cmds if c["command"] == "answer"]
        first = {}
        for w in wh:
            first.setdefault(w["event_type"], w)
            if w.get("acked_at") and w.get("sent_at"):
                s["api_ack"].append(w["acked_at"] - w["sent_at"])
        if "call.initiated" in first and answers:
            s["answer"].append(answers[0]["at"] - first["call.initiated"]["acked_at"])
        if "call.answered" in first and speaks:
            s["greeting"].append(speaks[0]["at"] - first["call.answered"]["acked_at"])
        # each utterance is an interim then a final call.transcription
        finals = [w for w in wh if w["event_type"] == "call.transcription"][1::2]
        for i, w in enumerate(finals):
            if i + 1 < len(speaks) and w.get("acked_at"):
                s["turn"].append(speaks[i + 1]["at"] - w["acked_at"])
                s["api_ack_final"].append(w["acked_at"] - w["sent_at"])
    return s


def records_in_pg(database_url, ids):
    """{call_control_id: (call_logs rows, conversations, history rows, outcome)}"""
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    try:
        cur = conn.cursor()
        cur.execute("""
            SELECT l.call_control_id, count(DISTINCT l.id), count(DISTINCT c.id), count(h.id),
                   min(l.outcome)
              FROM call_logs l
              LEFT JOIN call_conversations c ON c.call_log_id = l.id
              LEFT JOIN conversation_history h ON h.conversation_id = c.id
             WHERE l.call_control_id = ANY(%s)
             GROUP BY l.call_control_id""", (ids,))
        return {r[0]: r[1:] for r in cur.fetchall()}
    finally:
        conn.close()


def outbox_total(r):
    return sum(r.xlen(k) for k in r.scan_iter(match="fd:*:outbox", count=1000))


def wait_pg(database_url, redis_port, ids, timeout_s):
    """Polls until the outboxes are empty and every call has its records; returns
    (records by call, outbox entries left, seconds waited)."""
    r = redis.Redis(host="127.0.0.1", port=redis_port)
    t0 = time.time()
    turns = 1 + 2 * CALLER_TURNS
    while True:
        left = outbox_total(r)
        got = records_in_pg(database_url, ids)
        complete = len(got) == len(ids) and all(v[2] >= turns for v in got.values())
        if (left == 0 and complete) or time.time() - t0 > timeout_s:
            return got, left, time.time() - t0
        time.sleep(0.2)


class Tap:
    """bench/wire_tap.py in a child process (stopped by its PID), or nothing if it
    cannot start (not root)."""

    def __init__(self, api_port, sim_port, out):
        self.out = out
        self.p = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "wire_tap.py"),
             "--api-port", str(api_port), "--sim-port", str(sim_port), "--out", out],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        if line.strip() != "ready":
            self.p.wait()
            log("WARNING: no wire timestamps: wire_tap: %s" % self.p.stderr.read().strip()[-300:])
            self.p = None

    def stop(self):
        """The tap's result ({"events", "segments", "drops"}), or None."""
        if self.p is None:
            return None
        self.p.send_signal(signal.SIGTERM)
        try:
            self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        if self.p.returncode != 0:
            log("WARNING: wire_tap exited %s: %s" % (self.p.returncode, self.p.stderr.read().strip()[-300:]))
            return None
        with open(self.out) as f:
            return json.load(f)


def measure_wire(records, tap):
    """Latency samples from kernel timestamps (seconds), and the simulator's own delays:
    its "at" of a command after the request reached its socket, its acked_at of a
    webhook after the api's answer left."""
    by_call = {}
    for ts, kind, cid, detail in tap["events"]:
        by_call.setdefault(cid, []).append((ts, kind, detail))
    s = {"turn": [], "answer": [], "greeting": [], "api": [], "sim_pickup": [], "sim_ack_lag": []}
    for rec in records:
        ev = by_call.get(rec["call_control_id"], [])
        speaks = [t for t, k, d in ev if k == "command" and d == "speak"]
        answers = [t for t, k, d in ev if k == "command" and d == "answer"]
        acks = {}
        for t, k, d in ev:
            if k == "ack":
                acks.setdefault(d, []).append(t)
        webhooks = [t for t, k, d in ev if k == "webhook"]
        s["api"] += [a - w for a, w in zip(sorted(t for t, k, d in ev if k == "ack"), webhooks)]
        if acks.get("call.initiated") and answers:
            s["answer"].append(answers[0] - acks["call.initiated"][0])
        if acks.get("call.answered") and speaks:
            s["greeting"].append(speaks[0] - acks["call.answered"][0])
        finals = acks.get("call.transcription+final", [])
        for i, t in enumerate(finals):
            if i + 1 < len(speaks):
                s["turn"].append(speaks[i + 1] - t)
        sim_speaks = [c["at"] for c in rec["commands"] if c["command"] == "speak" and not c.get("duplicate")]
        if len(sim_speaks) == len(speaks):
            s["sim_pickup"] += [a - b for a, b in zip(sim_speaks, speaks)]
        sim_finals = [w["acked_at"] for w in rec["webhooks"] if w["event_type"] == "call.transcription"][1::2]
        if len(sim_finals) == len(finals):
            s["sim_ack_lag"] += [a - b for a, b in zip(sim_finals, finals)]
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sim", required=True, help="the simulator's base URL")
    ap.add_argument("--numbers", required=True, help="file: one business number a line")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--start-threads", type=int, default=20)
    ap.add_argument("--timeout-s", type=float, default=120)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--redis-port", type=int, required=True)
    ap.add_argument("--pids", default="", help="name=PID,...: CPU measured over the run")
    ap.add_argument("--warmup", action="store_true",
                    help="only one call per business, checked, nothing measured")
    ap.add_argument("--out", help="write every sample here (JSON)")
    ap.add_argument("--tap", help="API_PORT:SIM_PORT:FILE: kernel timestamps by bench/wire_tap.py")
    o = ap.parse_args()
    numbers = [l.strip() for l in open(o.numbers) if l.strip()]
    pids = {k: int(v) for k, v in (x.split("=") for x in o.pids.split(",") if x)}
    hz = os.sysconf("SC_CLK_TCK")
    c = Client(o.sim)
    n = len(numbers) if o.warmup else o.calls
    threads = max(1, min(o.start_threads, n))

    idle = [] if o.warmup else idle_rtts(o.sim)
    prober = Prober(o.sim, 0.01)
    tap = None
    if o.tap and not o.warmup:
        a, b, f = o.tap.split(":", 2)
        tap = Tap(int(a), int(b), f)
        if tap.p is not None:
            pids["tap"] = tap.p.pid
    cpu0 = group_ticks(pids)
    ids, t_first, t_started = start_calls(o.sim, numbers, n, threads)
    if not o.warmup:
        prober.start()
    deadline = t_first + o.timeout_s
    cpu1 = wire = None
    while True:
        st = c.get_json("/_sim/stats")
        if st["live_calls"] == 0 or time.time() > deadline:
            if cpu1 is None:        # before the record fetches below load the simulator
                cpu1, t_cpu1 = group_ticks(pids), time.time()
                prober.stop.set()
                wire = tap.stop() if tap else None
            records = fetch_records(c, ids)
            if all_done(records) or time.time() > deadline:
                break
            time.sleep(0.2)
        time.sleep(0.01)
    # the run ends with the last webhook acknowledged (the api has enqueued everything)
    t_end = max([w["acked_at"] for r in records for w in r["webhooks"] if w.get("acked_at")] or [time.time()])

    problems = []
    bad_calls = 0
    for rec in records:
        p = call_problems(rec)
        if p:
            bad_calls += 1
            if bad_calls <= 5:
                problems.append("call %s: %s" % (rec["call_control_id"], "; ".join(p)))
    if bad_calls:
        problems.append("%d of %d calls did not go as scripted" % (bad_calls, n))
    reqs = c.get_json("/_sim/requests")["requests"]
    invalid = [r for r in reqs if r.get("valid") is False]
    if invalid:
        problems.append("%d requests the simulator found invalid, e.g. %s %s: %s" % (
            len(invalid), invalid[0]["method"], invalid[0]["path"], invalid[0].get("errors")))
    unknown = [r for r in reqs if r.get("command") not in EXPECTED and r["path"].startswith("/v2/")]
    if unknown:
        problems.append("%d unexpected Telnyx requests, e.g. %s %s -> %s" % (
            len(unknown), unknown[0]["method"], unknown[0]["path"], unknown[0]["status"]))
    dup = sum(1 for r in records for cmd in r["commands"] if cmd.get("duplicate"))

    # warm-up: what PostgreSQL lacks is reported, not fatal (the tenants' leases are
    # still moving between the workers then; the measured run checks strictly)
    got, outbox_left, pg_wait = wait_pg(o.database_url, o.redis_port, ids, 10 if o.warmup else 30)
    pg_problems_from = len(problems)
    turns = 1 + 2 * CALLER_TURNS
    missing = [i for i in ids if i not in got]
    wrong = {i: v for i, v in got.items() if v[0] != 1 or v[1] != 1 or v[2] != turns
             or v[3] != "answered_by_agent"}
    if outbox_left:
        problems.append("%d outbox entries still in Redis after %.0f s" % (outbox_left, pg_wait))
    if missing:
        problems.append("%d calls without a call_logs row after %.0f s, e.g. %s" % (
            len(missing), pg_wait, missing[0]))
    if wrong:
        k = next(iter(wrong))
        problems.append("%d calls with wrong records (call_logs, conversations, turns, outcome), "
                        "e.g. %s: %s, expected (1, 1, %d, answered_by_agent)" % (len(wrong), k, wrong[k], turns))

    if o.warmup:
        for p in problems[pg_problems_from:]:
            log("WARNING: warm-up: " + p)
        problems = problems[:pg_problems_from]
    for p in problems:
        log("FAILED: " + p)
    if o.warmup:
        log("warm-up: %d calls, %d failed checks" % (n, len(problems)))
        return 1 if problems else 0

    s = measure(records)
    elapsed = t_end - t_first
    created = [r["created_at"] for r in records]
    durations = [r["ended_at"] - r["created_at"] for r in records if r.get("ended_at")]
    out = {
        "calls": n, "ok_calls": n - bad_calls, "elapsed_s": round(elapsed, 3),
        "start_spread_ms": round((max(created) - min(created)) * 1000, 1),
        "start_post_s": round(t_started - t_first, 3),
        "call_p50_ms": round(pct(durations, 50) * 1000, 1) if durations else 0,
        "webhooks": sum(len(r["webhooks"]) for r in records),
        "commands": sum(len(r["commands"]) for r in records), "duplicates": dup,
        "invalid": len(invalid), "pg_rows": sum(1 for v in got.values() if v[0] == 1),
        "pg_wait_s": round(pg_wait, 2), "problems": len(problems),
        "t_first": t_first, "t_end": t_end,
    }
    for name, vals in (("turn", s["turn"]), ("answer", s["answer"]), ("greet", s["greeting"]),
                       ("ack", s["api_ack"]), ("ackfinal", s["api_ack_final"]),
                       ("idle_rtt", idle), ("load_rtt", prober.rtts)):
        st = ms_stats(vals)
        out[name + "_n"] = st["n"]
        for k in ("p50", "p99", "max"):
            out["%s_%s_ms" % (name, k)] = round(st[k], 3) if st[k] is not None else -1
    out["turn_negative"] = sum(1 for v in s["turn"] if v < 0)
    ws = measure_wire(records, wire) if wire else {}
    out["wire"] = 1 if wire else 0
    out["wire_drops"] = wire["drops"] if wire else -1
    for name in ("turn", "answer", "greeting", "api", "sim_pickup", "sim_ack_lag"):
        st = ms_stats(ws.get(name, []))
        out["wire_%s_n" % name] = st["n"]
        for k in ("p50", "p99", "max"):
            out["wire_%s_%s_ms" % (name, k)] = round(st[k], 3) if st[k] is not None else -1
    if wire and len(ws["turn"]) != len(s["turn"]):
        problems.append("the wire tap saw %d turns, the simulator %d (drops: %d)" % (
            len(ws["turn"]), len(s["turn"]), wire["drops"]))
        log("FAILED: " + problems[-1])
    out["cpu_window_s"] = round(t_cpu1 - t_first, 3)
    for name in pids:
        out["cpu_" + name + "_s"] = round((cpu1[name] - cpu0[name]) / hz, 2)
    print("CALLS " + " ".join("%s=%s" % kv for kv in out.items()), flush=True)
    if o.out:
        with open(o.out, "w") as f:
            json.dump({"summary": out, "samples": s, "wire": ws, "idle_rtt": idle, "load_rtt": prober.rtts,
                       "problems": problems}, f)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
