#!/usr/bin/python3
"""calls_load: runs and judges the calls benchmark's load (bench/run-calls-bench.sh).

Runs build/bench/calls_driver, which starts N calls at once, spread round-robin over the
given businesses, playing both Telnyx's Call Control API for the workers and the callers
(webhooks to the api), until every call has ended and every webhook is acknowledged;
bench/wire_tap.py records kernel timestamps of the traffic around it. This process only
waits meanwhile: everything below reads the driver's record files after the run.
Measures:
  - turn overhead: the api's 2xx to a caller's final call.transcription -> the reply
    `speak` arriving at the driver; likewise call.initiated -> answer and call.answered
    -> the greeting `speak`; from the wire tap, and as the driver timed them (monotonic
    clock: its acknowledgement read -> its request callback);
  - the api's share: webhook POST sent -> acknowledged, as the driver sees it;
  - the driver's own lag behind the wire: a command reaching its socket -> its callback,
    the api's 2xx leaving -> the driver reading it;
  - CPU time of the given processes (and the driver's) over the run, and the time each
    waited for a core, read by the driver.
Then it checks what must hold, and fails loudly (exit 1) if it does not: every call
ended, hung up by the receptionist after its goodbye, with all its turns heard, each
command sent once (plus de-duplicated retries), every command body valid against the
Telnyx schema extract (tests/sim/sim_schema.py, as the simulator checks them) and every
webhook the driver sent too, each acknowledged at its first attempt; once the outboxes
drain, exactly one call_logs row per call with its conversation and every turn in
PostgreSQL.

Prints one line "CALLS key=value ..." on stdout (figures for the summary) and writes
every measured sample to --out (JSON) for a closer look. Everything else: stderr.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

import psycopg2
import redis

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "sim"))

from sim_schema import Schemas  # noqa: E402

# The driver's callers say these (bench/calls_driver.c, `script`): three questions and a
# goodbye. The built-in receptionist answers the first with the hours, the next two with
# "let me take a message", and the last with its goodbye and a hang-up. Every caller turn
# gets exactly one reply `speak`.
CALLER_TURNS = 4
EXPECTED = {"answer": 1, "speak": 1 + CALLER_TURNS, "transcription_start": 1, "hangup": 1}


def log(msg):
    print("calls_load: " + msg, file=sys.stderr, flush=True)


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


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


def run_driver(o, n, work, pids):
    """Runs the driver for n calls; returns (its run.json, commands, records by call as
    the simulator's GET /_sim/calls/ID shapes them, its return code)."""
    # a higher priority lets the driver answer a command as soon as it arrives, as Telnyx,
    # which runs elsewhere, would; the stack under test still has the rest of the cores
    nice = ["nice", "-n", str(o.driver_nice)] if o.driver_nice else []
    cmd = nice + [o.driver, "--listen", o.listen, "--api", o.api, "--key", o.key,
           "--numbers", o.numbers, "--out", work, "--calls", str(n),
           "--api-key", o.api_key, "--hook-conns", str(o.hook_conns),
           "--speech-ms-per-word", str(o.speech_ms_per_word), "--turn-gap-ms", str(o.turn_gap_ms),
           "--greeting-wait-ms", str(o.greeting_wait_ms), "--reply-wait-ms", str(o.reply_wait_ms),
           "--timeout-s", str(o.timeout_s), "--answer-delay-ms", str(o.answer_delay_ms),
           "--pids", ",".join("%s=%d" % kv for kv in pids.items())]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.stderr.strip():
        log("driver: " + p.stderr.strip()[-600:])
    try:
        with open(os.path.join(work, "run.json")) as f:
            run = json.load(f)
    except (OSError, ValueError):
        raise SystemExit("calls_load: the driver wrote no run.json (exit %d): %s" % (
            p.returncode, p.stderr.strip()[-300:]))
    commands = read_jsonl(os.path.join(work, "commands.jsonl"))
    hooks = read_jsonl(os.path.join(work, "webhooks.jsonl"))
    records = read_jsonl(os.path.join(work, "calls.jsonl"))
    by_id = {r["call_control_id"]: r for r in records}
    for r in records:
        r["commands"], r["webhooks"] = [], []
    for c in commands:
        if c.get("call_control_id") in by_id:
            by_id[c["call_control_id"]]["commands"].append(c)
    for w in sorted(hooks, key=lambda w: w["queued_mono"]):
        if w["call_control_id"] in by_id:
            by_id[w["call_control_id"]]["webhooks"].append(w)
    return run, commands, records, p.returncode


def invalid_webhooks(records, url, schemas):
    """The driver's webhooks (as their first attempt was sent) that the Telnyx schema
    extract refuses, with the errors: the driver must send what Telnyx sends."""
    out = []
    for rec in records:
        for w in rec["webhooks"]:
            body = {"data": w["data"], "meta": {"attempt": 1, "delivered_to": url}}
            errs = schemas.check(w["event_type"], body)
            if errs:
                out.append((w, errs))
    return out


def invalid_commands(commands, schemas):
    """The commands whose body the Telnyx schema extract refuses, with the errors."""
    out = []
    for c in commands:
        name = c.get("command")
        if name is None or not schemas.has_command(name):
            continue            # unknown routes and actions are reported as unexpected
        body = c.get("body")
        errs = schemas.check(name, body) if isinstance(body, dict) else ["$: the body must be a JSON object"]
        if errs:
            out.append((c, errs))
    return out


def finals_of(webhooks):
    return [w for w in webhooks if w["event_type"] == "call.transcription" and w.get("is_final")]


def measure(records):
    """Per-call latency samples as the driver timed them (monotonic clock), in seconds."""
    s = {"turn": [], "answer": [], "greeting": [], "api_ack": [], "api_ack_final": []}
    for rec in records:
        wh = rec["webhooks"]
        cmds = [c for c in rec["commands"] if not c.get("duplicate") and c.get("status") == 200]
        speaks = [c for c in cmds if c["command"] == "speak"]
        answers = [c for c in cmds if c["command"] == "answer"]
        first = {}
        for w in wh:
            first.setdefault(w["event_type"], w)
            if w.get("acked_mono") and w.get("sent_mono"):
                s["api_ack"].append(w["acked_mono"] - w["sent_mono"])
        if first.get("call.initiated", {}).get("acked_mono") and answers:
            s["answer"].append(answers[0]["mono"] - first["call.initiated"]["acked_mono"])
        if first.get("call.answered", {}).get("acked_mono") and speaks:
            s["greeting"].append(speaks[0]["mono"] - first["call.answered"]["acked_mono"])
        for i, w in enumerate(finals_of(wh)):
            if i + 1 < len(speaks) and w.get("acked_mono"):
                s["turn"].append(speaks[i + 1]["mono"] - w["acked_mono"])
                s["api_ack_final"].append(w["acked_mono"] - w["sent_mono"])
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

    def __init__(self, api_port, telnyx_port, out):
        self.out = out
        self.p = subprocess.Popen(
            [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "wire_tap.py"),
             "--api-port", str(api_port), "--telnyx-port", str(telnyx_port), "--out", out],
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
    """Latency samples from kernel timestamps (seconds), and the driver's own delays:
    its "at" of a command after the request reached its socket, its acked_at of a
    webhook after the api's answer left (both on the wall clock, as the tap's)."""
    by_call = {}
    for ts, kind, cid, detail in tap["events"]:
        by_call.setdefault(cid, []).append((ts, kind, detail))
    s = {"turn": [], "answer": [], "greeting": [], "api": [], "driver_pickup": [], "driver_ack_lag": []}
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
        own_speaks = [c["at"] for c in rec["commands"] if c["command"] == "speak" and not c.get("duplicate")]
        if len(own_speaks) == len(speaks):
            s["driver_pickup"] += [a - b for a, b in zip(own_speaks, speaks)]
        own_finals = [w["acked_at"] for w in finals_of(rec["webhooks"])]
        if len(own_finals) == len(finals) and all(own_finals):
            s["driver_ack_lag"] += [a - b for a, b in zip(own_finals, finals)]
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--driver", required=True, help="build/bench/calls_driver")
    ap.add_argument("--listen", required=True, help="HOST:PORT of the Call Control API (the workers' Telnyx)")
    ap.add_argument("--api", required=True, help="HOST:PORT of frontdesk-api")
    ap.add_argument("--key", required=True, help="the webhook signing key file")
    ap.add_argument("--api-key", default="", help="the Bearer key the workers send")
    ap.add_argument("--numbers", required=True, help="file: one business number a line")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--hook-conns", type=int, default=32, help="the driver's connections to the api")
    ap.add_argument("--driver-nice", type=int, default=0, help="run the driver at this niceness (root for < 0)")
    ap.add_argument("--speech-ms-per-word", type=float, default=3)
    ap.add_argument("--turn-gap-ms", type=float, default=5)
    ap.add_argument("--greeting-wait-ms", type=float, default=30000)
    ap.add_argument("--reply-wait-ms", type=float, default=30000)
    ap.add_argument("--answer-delay-ms", type=float, default=0,
                    help="Telnyx's answer to a command leaves this much after the command took effect")
    ap.add_argument("--timeout-s", type=float, default=120)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--redis-port", type=int, required=True)
    ap.add_argument("--pids", default="", help="name=PID,...: CPU measured over the run")
    ap.add_argument("--warmup", action="store_true",
                    help="only one call per business, checked, nothing measured")
    ap.add_argument("--work", required=True, help="a new folder for the driver's records")
    ap.add_argument("--out", help="write every sample here (JSON)")
    ap.add_argument("--tap", help="API_PORT:DRIVER_PORT:FILE: kernel timestamps by bench/wire_tap.py")
    o = ap.parse_args()
    numbers = [l.strip() for l in open(o.numbers) if l.strip()]
    pids = {k: int(v) for k, v in (x.split("=") for x in o.pids.split(",") if x)}
    n = len(numbers) if o.warmup else o.calls
    work = o.work
    os.makedirs(work, exist_ok=True)

    tap = None
    if o.tap and not o.warmup:
        a, b, f = o.tap.split(":", 2)
        tap = Tap(int(a), int(b), f)
        if tap.p is not None:
            pids["tap"] = tap.p.pid
    run, commands, records, driver_rc = run_driver(o, n, work, pids)
    wire = tap.stop() if tap else None
    # the run ends with the last webhook acknowledged (the api has enqueued everything)
    t_first = run["t_first"]
    t_end = max([w["acked_at"] for r in records for w in r["webhooks"] if w.get("acked_at")] or [run["t_done"]])

    problems = []
    if run["timed_out"]:
        problems.append("the calls had not all ended after %.0f s (%d live)" % (o.timeout_s, run["live"]))
    if len(records) != n:
        problems.append("the driver made %d calls of %d" % (len(records), n))
    bad_calls = 0
    for rec in records:
        p = call_problems(rec)
        if p:
            bad_calls += 1
            if bad_calls <= 5:
                problems.append("call %s: %s" % (rec["call_control_id"], "; ".join(p)))
    if bad_calls:
        problems.append("%d of %d calls did not go as scripted" % (bad_calls, n))
    schemas = Schemas()
    invalid = invalid_commands(commands, schemas)
    if invalid:
        c, errs = invalid[0]
        problems.append("%d requests the schema finds invalid, e.g. %s %s: %s" % (
            len(invalid), c["method"], c["path"], errs))
    bad_hooks = invalid_webhooks(records, "http://%s/webhooks/telnyx" % o.api, schemas)
    if bad_hooks:
        w, errs = bad_hooks[0]
        problems.append("%d of the driver's webhooks the schema finds invalid, e.g. %s: %s" % (
            len(bad_hooks), w["event_type"], errs))
    unknown = [c for c in commands if c.get("command") not in EXPECTED]
    if unknown:
        problems.append("%d unexpected Telnyx requests, e.g. %s %s -> %s" % (
            len(unknown), unknown[0]["method"], unknown[0]["path"], unknown[0]["status"]))
    made = {r["call_control_id"] for r in records}
    strays = [c for c in commands if c.get("call_control_id") not in made]
    if strays:
        problems.append("%d Telnyx requests for no call of this run, e.g. %s %s -> %s" % (
            len(strays), strays[0]["method"], strays[0]["path"], strays[0]["status"]))
    if driver_rc != 0 and not problems:
        problems.append("the driver exited %d" % driver_rc)
    dup = sum(1 for c in commands if c.get("duplicate"))
    ids = [r["call_control_id"] for r in records]

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
    created = [r["created_at"] for r in records if r.get("created_at")]
    durations = [r["ended_at"] - r["created_at"] for r in records if r.get("ended_at")]
    out = {
        "calls": n, "ok_calls": n - bad_calls, "elapsed_s": round(elapsed, 3),
        "start_spread_ms": round((max(created) - min(created)) * 1000, 1) if created else -1,
        "call_p50_ms": round(pct(durations, 50) * 1000, 1) if durations else 0,
        "webhooks": sum(len(r["webhooks"]) for r in records),
        "commands": len(commands), "duplicates": dup,
        "invalid": len(invalid), "pg_rows": sum(1 for v in got.values() if v[0] == 1),
        "pg_wait_s": round(pg_wait, 2), "problems": len(problems),
        "t_first": t_first, "t_end": t_end, "hook_conns": run["hook_conns"],
    }
    for name, vals in (("turn", s["turn"]), ("answer", s["answer"]), ("greet", s["greeting"]),
                       ("ack", s["api_ack"]), ("ackfinal", s["api_ack_final"])):
        st = ms_stats(vals)
        out[name + "_n"] = st["n"]
        for k in ("p50", "p99", "max"):
            out["%s_%s_ms" % (name, k)] = round(st[k], 3) if st[k] is not None else -1
    out["turn_negative"] = sum(1 for v in s["turn"] if v < 0)
    ws = measure_wire(records, wire) if wire else {}
    out["wire"] = 1 if wire else 0
    out["wire_drops"] = wire["drops"] if wire else -1
    for name in ("turn", "answer", "greeting", "api", "driver_pickup", "driver_ack_lag"):
        st = ms_stats(ws.get(name, []))
        out["wire_%s_n" % name] = st["n"]
        for k in ("p50", "p99", "max"):
            out["wire_%s_%s_ms" % (name, k)] = round(st[k], 3) if st[k] is not None else -1
    if wire and len(ws["turn"]) != len(s["turn"]):
        problems.append("the wire tap saw %d turns, the driver %d (drops: %d)" % (
            len(ws["turn"]), len(s["turn"]), wire["drops"]))
        log("FAILED: " + problems[-1])
    out["cpu_window_s"] = round(run["cpu_window_s"], 3)
    for name, secs in run["cpu_s"].items():
        out["cpu_" + name + "_s"] = round(secs, 2)
    for name, secs in run["cpu_wait_s"].items():
        out["wait_" + name + "_ms"] = round(secs * 1000, 1)
    print("CALLS " + " ".join("%s=%s" % kv for kv in out.items()), flush=True)
    if o.out:
        with open(o.out, "w") as f:
            json.dump({"summary": out, "samples": s, "wire": ws, "problems": problems}, f)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
