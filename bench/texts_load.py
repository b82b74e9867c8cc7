#!/usr/bin/python3
"""bench/texts_load.py: the load and the measures of the texts benchmark
(bench/run-texts-bench.sh). Texts N callers' questions at once to the businesses'
numbers (caller i -> number i mod B) through the Telnyx simulator's POST /_sim/messages,
waits until every caller got an answer, and measures, per caller, the simulator's
record of the api's 2xx to the message.received webhook -> the reply's POST /v2/messages
reaching the simulator (both the simulator's own clock: under load its Python threads
add their own delay). Worker CPU per text from /proc/PID/stat over the run.
Prints one line: TEXTS n=... p50_ms=... p99_ms=... max_ms=... elapsed_s=... ok=...
worker_cpu_ms_per_text=..."""
import argparse
import json
import os
import sys
import threading
import time
import urllib.request

HZ = os.sysconf("SC_CLK_TCK")


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def pct(sorted_values, p):
    if not sorted_values:
        return -1.0
    return sorted_values[min(len(sorted_values) - 1, int(p / 100.0 * len(sorted_values)))]


def send_all(sim, pairs, conns):
    """Posts every (caller, number) text, conns at a time; returns when all are in."""
    it = iter(pairs)
    lock = threading.Lock()

    def run():
        while True:
            with lock:
                nxt = next(it, None)
            if nxt is None:
                return
            caller, number = nxt
            http("POST", sim + "/_sim/messages", {"from": caller, "to": number, "text": "What are your hours?"})

    threads = [threading.Thread(target=run) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def replies(sim, callers):
    """caller -> (inbound acked_at, first reply's at) for every caller answered so far."""
    msgs = http("GET", sim + "/_sim/messages")["messages"]
    acked, answered = {}, {}
    for m in msgs:
        if m.get("inbound") and m.get("from") in callers:
            wh = (m.get("webhooks") or [{}])[0]
            if wh.get("acked_at"):
                acked[m["from"]] = wh["acked_at"]
        req = m.get("request") or {}
        if req.get("to") in callers and req["to"] not in answered:
            answered[req["to"]] = m["at"]
    return {c: (acked[c], answered[c]) for c in callers if c in acked and c in answered}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--numbers", required=True)
    ap.add_argument("--texts", type=int, default=1000)
    ap.add_argument("--conns", type=int, default=20)
    ap.add_argument("--timeout-s", type=float, default=120)
    ap.add_argument("--prefix", default="+1415")
    ap.add_argument("--pids", default="")
    a = ap.parse_args()
    numbers = [l.strip() for l in open(a.numbers) if l.strip()]
    callers = [f"{a.prefix}{i:07d}" for i in range(a.texts)]
    pairs = [(c, numbers[i % len(numbers)]) for i, c in enumerate(callers)]
    pids = dict(kv.split("=") for kv in a.pids.split(",") if kv)
    cpu0 = {k: cpu_s(int(p)) for k, p in pids.items()}
    t0 = time.time()
    send_all(a.sim, pairs, a.conns)
    want = set(callers)
    got = {}
    while time.time() - t0 < a.timeout_s:
        got = replies(a.sim, want)
        if len(got) == len(want):
            break
        time.sleep(0.5)
    elapsed = time.time() - t0
    cpu1 = {k: cpu_s(int(p)) for k, p in pids.items()}
    lat = sorted(1000.0 * (at - acked) for acked, at in got.values())
    worker_cpu = sum(cpu1[k] - cpu0[k] for k in cpu0 if k.startswith("worker"))
    extra = " ".join(f"cpu_{k}_s={cpu1[k] - cpu0[k]:.2f}" for k in sorted(cpu0))
    print(f"TEXTS n={len(lat)} of={a.texts} p50_ms={pct(lat, 50):.2f} p99_ms={pct(lat, 99):.2f} "
          f"max_ms={(lat[-1] if lat else -1):.1f} elapsed_s={elapsed:.2f} ok={int(len(got) == len(want))} "
          f"worker_cpu_ms_per_text={1000.0 * worker_cpu / max(1, a.texts):.3f} {extra}")
    return 0 if len(got) == len(want) else 1


if __name__ == "__main__":
    sys.exit(main())
