#!/usr/bin/python3
"""bench/texts_load.py: the load and the measures of the texts benchmark
(bench/run-texts-bench.sh). N text conversations (caller i -> number i mod B), each
texting K questions, through the Telnyx simulator's POST /_sim/messages: the texts of
all conversations go out at a steady RATE per second, interleaved (conversation i's
j-th text at (j * N + i) / RATE s), so that every conversation is live at once and a
conversation's texts come seconds apart, as people text; with --rate 0 every text goes
at once (a burst, which measures the queue it makes). Waits until every text got its
answer and measures, per text, the simulator's record of the api's 2xx to the
message.received webhook -> the reply's POST /v2/messages reaching the simulator (both
the simulator's own clock: under load its Python threads add their own delay), and, as
the reference measured in the same run, the webhook's own round trip (the simulator's
POST -> the api's 2xx). Worker CPU per text from /proc/PID/stat over the run.
Prints one line: TEXTS n=... of=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
webhook_p50_ms=... webhook_p99_ms=... elapsed_s=... ok=... worker_cpu_ms_per_text=..."""
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


QUESTIONS = ("What are your hours?", "Are you open on Saturday?", "What time do you close today?")


def send_all(sim, texts, rate, conns):
    """Posts every (caller, number, words) text: the k-th at k / rate s from now (all at
    once when rate is 0), conns at a time."""
    it = iter(enumerate(texts))
    lock = threading.Lock()
    t0 = time.time()

    def run():
        while True:
            with lock:
                nxt = next(it, None)
            if nxt is None:
                return
            k, (caller, number, words) = nxt
            if rate > 0:
                wait = t0 + k / rate - time.time()
                if wait > 0:
                    time.sleep(wait)
            http("POST", sim + "/_sim/messages", {"from": caller, "to": number, "text": words})

    threads = [threading.Thread(target=run) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def answers(sim, callers):
    """Per text answered so far: (its webhook's sent_at, acked_at, its answer's at, caller,
    business number). A
    caller's texts are matched to the replies in order, each to the first reply the
    simulator got after its webhook was posted."""
    msgs = http("GET", sim + "/_sim/messages")["messages"]
    texts, replies, to = {}, {}, {}
    for m in msgs:
        if m.get("inbound") and m.get("from") in callers:
            wh = (m.get("webhooks") or [{}])[0]
            to[m["from"]] = m.get("to")
            if wh.get("acked_at"):
                texts.setdefault(m["from"], []).append((wh["sent_at"], wh["acked_at"]))
        req = m.get("request") or {}
        if req.get("to") in callers:
            replies.setdefault(req["to"], []).append(m["at"])
    out = []
    for caller, sent in texts.items():
        ats = sorted(replies.get(caller, []))
        i = 0
        for sent_at, acked_at in sorted(sent):
            while i < len(ats) and ats[i] < sent_at:
                i += 1
            if i == len(ats):
                break
            out.append((sent_at, acked_at, ats[i], caller, to.get(caller)))
            i += 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--numbers", required=True)
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--per-conversation", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0, help="texts per second; 0: all at once")
    ap.add_argument("--conns", type=int, default=20)
    ap.add_argument("--timeout-s", type=float, default=120)
    ap.add_argument("--prefix", default="+1415")
    ap.add_argument("--pids", default="")
    # BENCH_SLOWEST=N in the environment prints the N slowest texts on stderr
    a = ap.parse_args()
    numbers = [l.strip() for l in open(a.numbers) if l.strip()]
    callers = [f"{a.prefix}{i:07d}" for i in range(a.conversations)]
    texts = [(c, numbers[i % len(numbers)], QUESTIONS[j % len(QUESTIONS)])
             for j in range(a.per_conversation) for i, c in enumerate(callers)]
    pids = dict(kv.split("=") for kv in a.pids.split(",") if kv)
    cpu0 = {k: cpu_s(int(p)) for k, p in pids.items()}
    t0 = time.time()
    send_all(a.sim, texts, a.rate, a.conns)
    want = set(callers)
    got = []
    while time.time() - t0 < a.timeout_s:
        got = answers(a.sim, want)
        if len(got) >= len(texts):
            break
        time.sleep(0.5)
    elapsed = time.time() - t0
    cpu1 = {k: cpu_s(int(p)) for k, p in pids.items()}
    lat = sorted(max(0.0, 1000.0 * (at - acked)) for _, acked, at, _, _ in got)
    webhook = sorted(1000.0 * (acked - sent) for sent, acked, _, _, _ in got)
    slowest = int(os.environ.get("BENCH_SLOWEST", "0"))
    for sent, acked, at, caller, number in sorted(got, key=lambda g: g[1] - g[2])[:slowest]:
        print(f"slow: {1000.0 * (at - acked):.1f} ms at +{acked - t0:.2f} s, {caller} -> {number}", file=sys.stderr)
    worker_cpu = sum(cpu1[k] - cpu0[k] for k in cpu0 if k.startswith("worker"))
    extra = " ".join(f"cpu_{k}_s={cpu1[k] - cpu0[k]:.2f}" for k in sorted(cpu0))
    print(f"TEXTS n={len(lat)} of={len(texts)} p50_ms={pct(lat, 50):.2f} p90_ms={pct(lat, 90):.2f} "
          f"p99_ms={pct(lat, 99):.2f} max_ms={(lat[-1] if lat else -1):.1f} "
          f"webhook_p50_ms={pct(webhook, 50):.2f} webhook_p99_ms={pct(webhook, 99):.2f} "
          f"elapsed_s={elapsed:.2f} ok={int(len(got) >= len(texts))} "
          f"worker_cpu_ms_per_text={1000.0 * worker_cpu / max(1, len(texts)):.3f} {extra}")
    return 0 if len(got) >= len(texts) else 1


if __name__ == "__main__":
    sys.exit(main())
