#!/usr/bin/python3
"""bench/billing_load.py: the load, the measures and the count check of the billing
benchmark (bench/run-billing-bench.sh).

  businesses  makes B businesses (each with an owner, whose email the customer gets) and
              waits until the workers made each one's customer at the fake Stripe.
  reference   the fake's own limit: N bare meter-event POSTs straight from Python to a
              fresh fake (no frontdesk in between), as many connections as the two
              workers hold jobs at most (BILLING_JOBS_MAX, 4 each); prints REF per_s=...
  run         N bookings over the B businesses, written as the outbox drains a booking
              (its bookings row and its usage_events row, as frontdesk_app under the
              business's RLS, one transaction per business), so the usage event's trigger
              makes the meter job (schema/0010_billing.sql): first --paced of them one at a
              time at --paced-rate a second, then the rest at once; waits until every meter
              job is done, then measures and checks what the fake received.

Latency, per booking: usage_events.created_at (PostgreSQL's clock, the transaction's
start) -> the fake's receipt of the meter event's first successful request (its `at`,
time.time() on the same machine). Paced, it is the way itself (an idle worker looks for
due jobs once a second); in the burst it is mostly the wait in the queue: the p99 is
about the time to drain it. Throughput: the burst's bookings over its first
usage_events.created_at -> its last meter event received.

The count check, each failure a line on stderr and exit status 1: the fake's meter events
for these businesses' customers are exactly the N bookings (no loss, no extra), one per
identifier (none refused as a duplicate), each business's count equals its bookings,
every usage event has reported_at, no meter job failed, and the fake saw no violation.
Prints one line: BILLING n=... bookings_per_s=... p50_ms=... p99_ms=... paced_p50_ms=... ok=0|1 ..."""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

import psycopg2

HZ = os.sysconf("SC_CLK_TCK")
API_VERSION = "2026-07-29.dahlia"      # tests/schemas/stripe/, as the worker sends it
METER_PATH = "/v1/billing/meter_events"
REFERENCE_CONNS = 8                     # 2 workers x BILLING_JOBS_MAX (workers/billing_jobs.c)


def fake_get(url, path):
    with urllib.request.urlopen(url + path, timeout=120) as r:
        return json.loads(r.read())


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def pct(sorted_values, p):
    if not sorted_values:
        return -1.0
    return sorted_values[min(len(sorted_values) - 1, int(p / 100.0 * len(sorted_values)))]


def rows(db, sql, args=()):
    with db.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def wait_until(what, check, timeout_s, step_s=0.5):
    """Polls check() until it returns a true value; None after timeout_s."""
    end = time.time() + timeout_s
    while True:
        got = check()
        if got:
            return got
        if time.time() >= end:
            sys.stderr.write(f"bench: {what} not reached within {timeout_s:.0f} s\n")
            return None
        time.sleep(step_s)


# -- businesses ------------------------------------------------------------------------
def cmd_businesses(a):
    db = psycopg2.connect(a.database_url)
    db.autocommit = True
    rows(db, "INSERT INTO businesses (name) SELECT 'Bench Billing ' || i FROM generate_series(1, %s) i "
             "RETURNING id", (a.businesses,))
    rows(db, "INSERT INTO users (business_id, email, role) "
             "SELECT id, 'owner-' || id || '@bench.example', 'owner' FROM businesses RETURNING id")

    def customers_done():
        n = rows(db, "SELECT count(*) FROM stripe_jobs WHERE kind = 'customer' AND status = 'done'")[0][0]
        return n == a.businesses
    t0 = time.time()
    if not wait_until("every business's customer", customers_done, a.timeout_s):
        return 1
    print(f"CUSTOMERS n={a.businesses} elapsed_s={time.time() - t0:.2f}")
    return 0


# -- the reference: the fake's own limit -----------------------------------------------
def cmd_reference(a):
    host = urllib.parse.urlsplit(a.fake)
    customer = "cus_benchreference"
    errors = []
    lock = threading.Lock()
    next_i = [0]

    def run():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= a.bookings:
                break
            ident = f"ref-{i}"
            body = urllib.parse.urlencode({"event_name": "ai_booking", "identifier": ident,
                                           "payload[stripe_customer_id]": customer,
                                           "payload[value]": "1", "timestamp": str(int(time.time()))})
            conn.request("POST", METER_PATH, body, {
                "Authorization": "Bearer " + a.secret_key, "Stripe-Version": API_VERSION,
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": "meter-" + ident})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                with lock:
                    errors.append(r.status)
        conn.close()

    t0 = time.time()
    threads = [threading.Thread(target=run) for _ in range(REFERENCE_CONNS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - t0
    print(f"REF n={a.bookings} conns={REFERENCE_CONNS} elapsed_s={elapsed:.2f} "
          f"per_s={a.bookings / elapsed:.1f} errors={len(errors)}")
    return 0 if not errors else 1


# -- the run -----------------------------------------------------------------------------
def insert_bookings(db, plan, made):
    """Bookings per (business id, count) of plan, one transaction per business as
    frontdesk_app under its RLS; adds {booking id: business id} to made."""
    for bid, count in plan:
        if count == 0:
            continue
        ids = [str(uuid.uuid4()) for _ in range(count)]
        first = sum(1 for b in made.values() if b == bid)
        with db.cursor() as cur:
            cur.execute("SET LOCAL ROLE frontdesk_app")
            cur.execute("SELECT set_config('app.business_id', %s, true)", (bid,))
            # one place index per booking, a day per hundred: the place index stays unique
            cur.execute("INSERT INTO bookings (id, business_id, service, starts_at, ends_at, slot_index) "
                        "SELECT b::uuid, %s, 'Cleaning', "
                        "       date_trunc('hour', now()) + (1 + n / 100) * interval '1 day', "
                        "       date_trunc('hour', now()) + (1 + n / 100) * interval '1 day' + interval '1 hour', "
                        "       n %% 100 "
                        "  FROM unnest(%s::text[]) WITH ORDINALITY AS t(b, o), LATERAL (SELECT o + %s AS n) x",
                        (bid, ids, first))
            cur.execute("INSERT INTO usage_events (id, business_id, booking_id, occurred_at) "
                        "SELECT gen_random_uuid(), %s, b::uuid, now() FROM unnest(%s::text[]) AS t(b)",
                        (bid, ids))
        db.commit()
        made.update((i, bid) for i in ids)


def wait_meter_jobs(db, n, timeout_s):
    """Until n meter jobs are done (or one failed)."""
    def done():
        ok, failed_jobs = rows(db, "SELECT count(*) FILTER (WHERE status = 'done'), "
                                   "count(*) FILTER (WHERE status = 'failed') "
                                   "FROM stripe_jobs WHERE kind = 'meter'")[0]
        db.commit()
        return ok >= n or failed_jobs > 0
    wait_until(f"{n} meter jobs done", done, timeout_s, step_s=0.2)


def count_check(db, fake_state, booked, customer_of, failed):
    """Appends to failed every way the fake's meter events differ from the bookings."""
    ours = set(customer_of.values())
    events = [e for e in fake_state["meter_events"]
              if (e.get("payload") or {}).get("stripe_customer_id") in ours]
    idents = [e["identifier"] for e in events]
    if len(events) != len(booked):
        failed.append(f"the fake has {len(events)} meter events for these businesses, not {len(booked)}")
    if len(set(idents)) != len(idents):
        failed.append(f"{len(idents) - len(set(idents))} meter events share an identifier")
    lost, extra = set(booked) - set(idents), set(idents) - set(booked)
    if lost:
        failed.append(f"{len(lost)} bookings have no meter event (e.g. {sorted(lost)[0]})")
    if extra:
        failed.append(f"{len(extra)} meter events are no booking's (e.g. {sorted(extra)[0]})")
    dups = [d for d in fake_state.get("meter_event_duplicates") or []
            if (d.get("payload") or {}).get("stripe_customer_id") in ours or d.get("identifier") in booked]
    if dups:
        failed.append(f"{len(dups)} meter events were sent again for a used identifier")
    want, got = {}, {}
    for bid in booked.values():
        want[bid] = want.get(bid, 0) + 1
    business_of_customer = {c: b for b, c in customer_of.items()}
    for e in events:
        bid = business_of_customer[e["payload"]["stripe_customer_id"]]
        got[bid] = got.get(bid, 0) + 1
        if booked.get(e["identifier"], bid) != bid:
            failed.append(f"meter event {e['identifier']} went to another business's customer")
    wrong = [b for b in want if got.get(b, 0) != want[b]]
    if wrong:
        failed.append(f"{len(wrong)} businesses' meter event counts differ from their bookings "
                      f"(e.g. {wrong[0]}: {got.get(wrong[0], 0)} of {want[wrong[0]]})")
    unreported = rows(db, "SELECT count(*) FROM usage_events WHERE reported_at IS NULL")[0][0]
    if unreported:
        failed.append(f"{unreported} usage events have no reported_at")
    bad_jobs = rows(db, "SELECT status, count(*) FROM stripe_jobs WHERE status <> 'done' GROUP BY 1")
    if bad_jobs:
        failed.append("Stripe jobs not done: " + ", ".join(f"{s} {n}" for s, n in bad_jobs))
    customers = [c for c in fake_state["customers"] if c["id"] in ours]
    if len(customers) != len(customer_of) or len(fake_state["customers"]) != len(customer_of):
        failed.append(f"the fake has {len(fake_state['customers'])} customers for {len(customer_of)} businesses")
    if fake_state["violations"]:
        failed.append(f"{len(fake_state['violations'])} violations at the fake, e.g. {fake_state['violations'][0]}")


def cmd_run(a):
    db = psycopg2.connect(a.database_url)
    businesses = [r[0] for r in rows(db, "SELECT id::text FROM businesses ORDER BY name")]
    customer_of = dict(rows(db, "SELECT id::text, stripe_customer_id FROM businesses"))
    db.commit()
    if None in customer_of.values():
        sys.stderr.write("bench: a business has no Stripe customer yet\n")
        return 1
    pids = dict(kv.split("=") for kv in a.pids.split(",") if kv)
    cpu0 = {k: cpu_s(int(p)) for k, p in pids.items()}

    # Paced first, one booking at a time: the latency of the way itself, no queue.
    booked = {}
    paced = min(a.paced, a.bookings)
    t0 = time.time()
    for i in range(paced):
        insert_bookings(db, [(businesses[i % len(businesses)], 1)], booked)
        time.sleep(max(0.0, t0 + (i + 1) / a.paced_rate - time.time()))
    wait_meter_jobs(db, paced, a.timeout_s)
    paced_ids = set(booked)

    # Then the rest at once: the throughput, and the latency under that backlog.
    n = a.bookings - paced
    per = [n // len(businesses) + (1 if i < n % len(businesses) else 0) for i in range(len(businesses))]
    t0 = time.time()
    insert_bookings(db, list(zip(businesses, per)), booked)
    insert_s = time.time() - t0
    wait_meter_jobs(db, len(booked), a.timeout_s)
    cpu1 = {k: cpu_s(int(p)) for k, p in pids.items()}

    state = fake_get(a.fake, "/_fake/state")
    created = {b: c for b, c in rows(db, "SELECT booking_id::text, extract(epoch FROM created_at)::float8 "
                                         "FROM usage_events")}
    db.commit()
    received = {}
    for r in state["requests"]:
        ident = (r.get("params") or {}).get("identifier")
        if r["path"] == METER_PATH and r["status"] == 200 and not r.get("replayed") and ident in booked:
            received.setdefault(ident, r["at"])
    failed = []
    count_check(db, state, booked, customer_of, failed)
    lat = sorted(1000.0 * (received[b] - created[b]) for b in received if b not in paced_ids)
    lat_paced = sorted(1000.0 * (received[b] - created[b]) for b in received if b in paced_ids)
    sent = sum(1 for r in state["requests"] if r["path"] == METER_PATH)
    burst = [b for b in booked if b not in paced_ids]
    first = min((created[b] for b in burst), default=t0)
    last = max((received[b] for b in burst if b in received), default=time.time())
    span = max(last - first, 1e-9)
    reached = sum(1 for b in burst if b in received)
    worker_cpu = sum(cpu1[k] - cpu0[k] for k in cpu0 if k.startswith("worker"))
    extra = " ".join(f"cpu_{k}_s={cpu1[k] - cpu0[k]:.2f}" for k in sorted(cpu0))
    print(f"BILLING n={len(received)} of={a.bookings} businesses={len(businesses)} burst={len(burst)} "
          f"bookings_per_s={reached / span:.1f} span_s={span:.2f} insert_s={insert_s:.2f} "
          f"p50_ms={pct(lat, 50):.1f} p99_ms={pct(lat, 99):.1f} max_ms={(lat[-1] if lat else -1):.1f} "
          f"paced={len(lat_paced)} paced_rate={a.paced_rate:g} paced_p50_ms={pct(lat_paced, 50):.1f} "
          f"paced_p99_ms={pct(lat_paced, 99):.1f} "
          f"requests={sent} worker_cpu_ms_per_booking={1000.0 * worker_cpu / max(1, a.bookings):.3f} "
          f"ok={int(not failed)} {extra}")
    for why in failed:
        sys.stderr.write(f"bench: count check: {why}\n")
    return 0 if not failed else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("businesses", "reference", "run"))
    ap.add_argument("--database-url", default=os.environ.get("FRONTDESK_DATABASE_URL"))
    ap.add_argument("--fake", required=True, help="the fake Stripe's URL")
    ap.add_argument("--secret-key", default="", help="the fake's key (reference)")
    ap.add_argument("--bookings", type=int, default=10000)
    ap.add_argument("--businesses", type=int, default=100)
    ap.add_argument("--paced", type=int, default=200, help="of --bookings, sent one at a time first (run)")
    ap.add_argument("--paced-rate", type=float, default=10, help="bookings/s of the paced ones (run)")
    ap.add_argument("--timeout-s", type=float, default=900)
    ap.add_argument("--pids", default="", help="name=pid,... whose CPU is measured (run)")
    a = ap.parse_args()
    if a.bookings < 1 or a.businesses < 1 or a.paced < 0 or a.paced_rate <= 0:
        ap.error("--bookings and --businesses must be at least 1, --paced at least 0, "
                 "--paced-rate above 0")
    return {"businesses": cmd_businesses, "reference": cmd_reference, "run": cmd_run}[a.command](a)


if __name__ == "__main__":
    sys.exit(main())
