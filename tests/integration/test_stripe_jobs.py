"""The worker's billing job against the fake Stripe (tests/sim/fake_stripe.py), PostgreSQL
and Redis: each business becomes exactly one Stripe customer and each booking exactly
one meter event, whatever Stripe's answers and the workers do meanwhile; a refused job
waits for an operator and `frontdesk-ctl billing retry`; `billing reconcile` finds and
repairs what is missing; with billing off nothing is sent and jobs wait. After each test
the fake has seen no request that breaks Stripe's OpenAPI extract."""
import json
import signal
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2

import harness
from harness import Worker, ctl, env, pg_rows, wait_for
from stripehelp import FakeStripe

E = env()
FAKE = FakeStripe(timeout_hold_s=6)
R = E.redis()
LEASE_MS = 4500                     # a request waits at most 1.5 s
METER = "/v1/billing/meter_events"


class NoSim:
    """Billing needs no Telnyx; the worker only wants a URL for it."""
    url = "http://127.0.0.1:9"


def billing_worker(name="biller", **extra):
    return Worker(E, NoSim(), name, FRONTDESK_BILLING_LEASE_MS=LEASE_MS, **dict(FAKE.env(), **extra))


def business(owner_email=None, name=None):
    """A business (and its owner, in the same transaction, as sign-up makes them)."""
    name = name or "Billing Co " + uuid.uuid4().hex[:6]
    conn = E.pg()
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO businesses (name) VALUES (%s) RETURNING id::text", (name,))
            bid = cur.fetchone()[0]
            if owner_email:
                cur.execute("INSERT INTO users (business_id, email, role) VALUES (%s, %s, 'owner')",
                            (bid, owner_email))
        conn.commit()
    finally:
        conn.close()
    return bid, name


def book(bid, occurred_at=None, without_job=False):
    """A booking's usage event, as the outbox drains it (its meter job comes with it);
    without_job deletes that job in the same transaction. Returns the booking id."""
    booking = str(uuid.uuid4())
    conn = E.pg()
    conn.autocommit = False
    try:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO usage_events (id, business_id, booking_id, occurred_at) "
                        "VALUES (%s, %s, %s, %s)", (str(uuid.uuid4()), bid, booking,
                                                     occurred_at or datetime.now(timezone.utc)))
            if without_job:
                cur.execute("DELETE FROM stripe_jobs WHERE booking_id = %s", (booking,))
        conn.commit()
    finally:
        conn.close()
    return booking


def job(bid, kind, booking=None):
    rows = pg_rows(E, "SELECT id::text, status, attempts, idempotency_key, result_id, last_error "
                      "FROM stripe_jobs WHERE business_id = %s AND kind = %s "
                      "AND booking_id IS NOT DISTINCT FROM %s::uuid", bid, kind, booking)
    assert len(rows) <= 1, rows
    return dict(zip(("id", "status", "attempts", "key", "result_id", "last_error"), rows[0])) \
        if rows else None


def wait_job(bid, kind, booking=None, statuses=("done",), timeout=30):
    return wait_for(lambda: (lambda j: j if j and j["status"] in statuses else None)(job(bid, kind, booking)),
                    timeout=timeout, step=0.2, what=f"{kind} job of {bid} {statuses}")


def customers_of(bid):
    return [c for c in FAKE.state()["customers"] if (c.get("metadata") or {}).get("business_id") == bid]


def customer_id(bid):
    return pg_rows(E, "SELECT stripe_customer_id FROM businesses WHERE id = %s", bid)[0][0]


def meter_events(identifier):
    return [m for m in FAKE.state()["meter_events"] if m["identifier"] == identifier]


def requests_with(key):
    return [r for r in FAKE.requests() if r["idempotency_key"] == key]


def reported(bid):
    return pg_rows(E, "SELECT count(*) FILTER (WHERE reported_at IS NOT NULL), count(*) "
                      "FROM usage_events WHERE business_id = %s", bid)[0]


def assert_stripe_saw_nothing_wrong():
    assert FAKE.violations() == []


def assert_customer_done(bid, redis=R):
    j = wait_job(bid, "customer")
    cus = customers_of(bid)
    assert len(cus) == 1, cus
    assert j["result_id"] == cus[0]["id"] == customer_id(bid)
    assert redis.hget("fd:stripe:customers", cus[0]["id"]) == bid.encode()
    assert {r["idempotency_key"] for r in FAKE.requests("/v1/customers")
            if r["idempotency_key"].endswith(bid)} == {"signup-" + bid}
    return cus[0]


def stop(*workers):
    for w in workers:
        assert w.stop() == 0, w.output()[-3000:]


# ---- billing off ------------------------------------------------------------------------

def test_with_billing_off_nothing_is_sent_and_jobs_wait_until_a_key_is_set():
    quiet = Worker(E, NoSim(), "no-billing")
    bid, _ = business("off@example.test")
    booking = book(bid)
    time.sleep(3)
    assert job(bid, "customer")["status"] == "pending" and job(bid, "customer")["attempts"] == 0
    assert job(bid, "meter", booking)["attempts"] == 0
    assert requests_with("signup-" + bid) == [] and requests_with("meter-" + booking) == []
    assert '"stripe_billing":"off"' in quiet.output()
    w = billing_worker()
    try:
        cus = assert_customer_done(bid)
        assert cus["email"] == "off@example.test"
        wait_job(bid, "meter", booking)
        assert [m["payload"]["stripe_customer_id"] for m in meter_events(booking)] == [cus["id"]]
        assert reported(bid) == (1, 1)
    finally:
        stop(w, quiet)
    assert_stripe_saw_nothing_wrong()


# ---- one customer per business ----------------------------------------------------------

def test_a_new_business_is_one_customer_with_its_name_and_owner_and_is_routed_by_redis():
    w = billing_worker()
    try:
        bid, name = business("owner@smith.test", name="Smith & Sons Plumbing")
        cus = assert_customer_done(bid)
        assert cus["name"] == name and cus["email"] == "owner@smith.test"
        nobody, _ = business()
        assert "email" not in {k for k, v in assert_customer_done(nobody).items() if v}
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


def test_a_customer_whose_answer_timed_out_after_stripe_made_it_is_made_once():
    w = billing_worker()
    try:
        FAKE.fault("/v1/customers", "timeout", count=1)
        bid, _ = business("slow@example.test")
        assert_customer_done(bid)
        sent = requests_with("signup-" + bid)
        assert len(sent) >= 2, sent
        retries = [l for l in w.output().splitlines() if "retries later" in l]
        assert any("no answer from Stripe" in l for l in retries), w.output()[-2000:]
        assert job(bid, "customer")["attempts"] >= 2
    finally:
        FAKE.clear_faults()
        stop(w)
    assert_stripe_saw_nothing_wrong()


def test_a_customer_answered_500_after_stripe_made_it_is_never_made_twice_and_settles_by_its_event():
    """Stripe stores the 500 for the key and replays it: the job keeps the same key (a new
    one would make a second customer) and waits until the customer is known, here through
    the Stripe event the webhook path records (stripe_events names the customer)."""
    w = billing_worker()
    try:
        FAKE.fault("/v1/customers", "500_after", count=1)
        bid, _ = business("lost@example.test")
        wait_for(lambda: len(requests_with("signup-" + bid)) >= 2, timeout=20, what="a replayed 500")
        j = job(bid, "customer")
        assert j["status"] == "pending" and "outcome unknown" in j["last_error"], j
        assert {r["status"] for r in requests_with("signup-" + bid)} == {500}
        made = customers_of(bid)
        assert len(made) == 1
        pg_rows(E, "INSERT INTO stripe_events (id, business_id, type, created, customer_id, object) "
                   "VALUES (%s, %s, 'customer.created', now(), %s, '{}') RETURNING id",
                "evt_" + uuid.uuid4().hex, bid, made[0]["id"])
        pg_rows(E, "UPDATE stripe_jobs SET next_attempt_at = now() WHERE id = %s RETURNING id", j["id"])
        assert wait_job(bid, "customer")["result_id"] == made[0]["id"]
        assert R.hget("fd:stripe:customers", made[0]["id"]) == bid.encode()
        assert len(customers_of(bid)) == 1
    finally:
        FAKE.clear_faults()
        stop(w)
    assert_stripe_saw_nothing_wrong()


# ---- one meter event per booking ----------------------------------------------------------

def test_twenty_bookings_half_refused_and_a_killed_worker_are_twenty_meter_events():
    a, b = billing_worker("biller-a"), billing_worker("biller-b")
    try:
        bid, _ = business("busy@example.test")
        cus = assert_customer_done(bid)
        FAKE.fault(METER, "500", count=4, every=2)
        FAKE.fault(METER, "429", count=3, every=2)
        FAKE.fault(METER, "reset", count=3, every=2)
        bookings = [book(bid) for _ in range(10)]
        wait_for(lambda: a.metric("frontdesk_stripe_jobs_claimed_total") >= 1, timeout=10,
                 what="the first worker at work")
        a.p.send_signal(signal.SIGKILL)            # whatever it held, its lease lets go
        a.p.wait()
        bookings += [book(bid) for _ in range(10)]
        wait_for(lambda: reported(bid) == (20, 20), timeout=60, step=0.3, what="20 bookings reported")
        for booking in bookings:
            events = meter_events(booking)
            assert len(events) == 1, (booking, events)
            assert events[0]["payload"] == {"stripe_customer_id": cus["id"], "value": "1"}
            assert wait_job(bid, "meter", booking)["result_id"] == booking
        retried = sum(1 for bk in bookings if job(bid, "meter", bk)["attempts"] > 1)
        assert retried >= 3, retried
        assert b.metric("frontdesk_stripe_jobs_ended_total") > 0
    finally:
        FAKE.clear_faults()
        a.kill_quietly()
        stop(b)
    assert_stripe_saw_nothing_wrong()


def test_two_businesses_meter_events_carry_their_own_customers():
    w = billing_worker()
    try:
        one, two = business("one@example.test")[0], business("two@example.test")[0]
        c1, c2 = assert_customer_done(one), assert_customer_done(two)
        b1, b2 = book(one), book(two)
        wait_job(one, "meter", b1)
        wait_job(two, "meter", b2)
        assert [m["payload"]["stripe_customer_id"] for m in meter_events(b1)] == [c1["id"]]
        assert [m["payload"]["stripe_customer_id"] for m in meter_events(b2)] == [c2["id"]]
        assert c1["id"] != c2["id"]
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


def test_a_booking_older_than_stripe_accepts_is_billed_at_the_oldest_time_it_takes():
    w = billing_worker()
    try:
        bid = business()[0]
        assert_customer_done(bid)
        booking = book(bid, occurred_at=datetime.now(timezone.utc) - timedelta(days=50))
        wait_job(bid, "meter", booking)
        ts = meter_events(booking)[0]["timestamp"]
        assert time.time() - 35 * 86400 < ts < time.time() - 34 * 86400, ts
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


# ---- credits, refusals and retries --------------------------------------------------------

def cancel(bid, booking, after, reason="cancelled by the business"):
    made = pg_rows(E, "SELECT occurred_at FROM usage_events WHERE booking_id = %s", booking)[0][0]
    pg_rows(E, "INSERT INTO booking_cancellations (id, business_id, booking_id, cancelled_at, reason) "
               "VALUES (%s, %s, %s, %s, %s) RETURNING id", str(uuid.uuid4()), bid, booking,
            made + after, reason)


def test_a_booking_the_business_cancels_within_a_day_is_credited_once_and_no_other():
    w = billing_worker()
    try:
        bid = business()[0]
        cus = assert_customer_done(bid)
        soon, late, by_caller = book(bid), book(bid), book(bid)
        cancel(bid, soon, timedelta(hours=23))
        cancel(bid, late, timedelta(hours=25))
        cancel(bid, by_caller, timedelta(hours=1), reason="cancelled by the caller")
        j = wait_job(bid, "credit", soon)
        items = [i for i in FAKE.state()["invoice_items"] if i["metadata"].get("booking_id") == soon]
        assert len(items) == 1 and j["result_id"] == items[0]["id"]
        assert (items[0]["amount"], items[0]["currency"], items[0]["customer"]) == (-5000, "usd", cus["id"])
        assert job(bid, "credit", late) is None and job(bid, "credit", by_caller) is None
        assert len(meter_events(soon)) == 1           # the booking was billed, then credited
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


def test_the_credit_rule_reads_the_reason_the_owner_api_cancels_with():
    """The trigger of schema/0011_billing_credits.sql matches the words
    workers/owner_actions.c writes; a change of either would silently end all credits."""
    src = open(harness.ROOT + "/workers/owner_actions.c").read()
    reason = src.split('#define CANCEL_REASON "', 1)[1].split('"', 1)[0]
    sql = open(harness.ROOT + "/schema/0011_billing_credits.sql").read()
    assert "IF NEW.reason = '%s' THEN" % reason in sql, reason


def test_a_refused_job_fails_with_stripes_message_and_billing_retry_sends_it_with_a_new_key():
    w = billing_worker()
    try:
        bid = business()[0]
        assert_customer_done(bid)
        real = customer_id(bid)
        gone = "cus_Gone" + uuid.uuid4().hex[:10]
        pg_rows(E, "UPDATE businesses SET stripe_customer_id = %s WHERE id = %s RETURNING id", gone, bid)
        booking = book(bid)
        wait_job(bid, "meter", booking)
        cancel(bid, booking, timedelta(hours=2))
        failed = wait_job(bid, "credit", booking, statuses=("failed",))
        assert "HTTP 400" in failed["last_error"] and "No such customer" in failed["last_error"], failed
        assert gone in failed["last_error"]
        time.sleep(1.5)
        assert len(requests_with("credit-" + booking)) == 1          # no retry by itself
        listed = ctl(E, "billing", "jobs", "--business", bid, "--status", "failed", "--json")
        assert listed.returncode == 0, listed.stderr
        assert [j["id"] for j in json.loads(listed.stdout)] == [failed["id"]]
        pg_rows(E, "UPDATE businesses SET stripe_customer_id = %s WHERE id = %s RETURNING id", real, bid)
        r = ctl(E, "billing", "retry", failed["id"])
        assert r.returncode == 0, r.stderr
        assert "credit-%s-r1" % booking in r.stderr
        done = wait_job(bid, "credit", booking)
        assert done["key"] == "credit-%s-r1" % booking and done["result_id"].startswith("ii_")
        assert [x["status"] for x in requests_with("credit-%s-r1" % booking)] == [200]
        again = ctl(E, "billing", "retry", failed["id"])
        assert again.returncode == 1 and "not failed" in again.stderr
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


def test_a_booking_stripe_already_has_under_another_key_is_done_and_not_billed_again():
    """An earlier request Stripe answered with a 500 and forgot the key of after a day, or
    an operator's retry: Stripe refuses the identifier it holds, and the booking counts as
    reported, once."""
    bid = business()[0]
    w = billing_worker()
    try:
        cus = assert_customer_done(bid)
    finally:
        stop(w)
    booking = book(bid)
    status, _, body = FAKE.call("POST", METER, {
        "event_name": "ai_booking", "identifier": booking,
        "payload[stripe_customer_id]": cus["id"], "payload[value]": "1"},
        idempotency_key="an-earlier-key-" + booking)
    assert status == 200, body
    w = billing_worker()
    try:
        done = wait_job(bid, "meter", booking)
        assert done["result_id"] == booking and not done["last_error"], done
        assert reported(bid) == (1, 1)
        assert [r["status"] for r in requests_with("meter-" + booking)] == [400]
        assert len(meter_events(booking)) == 1
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


# ---- reconciliation -----------------------------------------------------------------------

def test_reconcile_finds_a_booking_without_its_meter_job_and_repair_gets_it_billed():
    w = billing_worker()
    try:
        bid = business()[0]
        assert_customer_done(bid)
        booking = book(bid, without_job=True)
        r = ctl(E, "billing", "reconcile", "--business", bid)
        assert r.returncode == 1, (r.stdout, r.stderr)
        assert r.stdout.splitlines() == ["%s\tmeter\t%s\tusage event without a meter job" % (bid, booking)]
        time.sleep(1)
        assert meter_events(booking) == []
        r = ctl(E, "billing", "reconcile", "--business", bid, "--repair")
        assert r.returncode == 0, (r.stdout, r.stderr)
        assert r.stdout.strip().endswith("(repaired)")
        wait_job(bid, "meter", booking)
        assert len(meter_events(booking)) == 1 and reported(bid) == (1, 1)
        r = ctl(E, "billing", "reconcile", "--business", bid)
        assert (r.returncode, r.stdout) == (0, ""), (r.stdout, r.stderr)
    finally:
        stop(w)
    assert_stripe_saw_nothing_wrong()


def test_reconcile_marks_a_sent_booking_reported_and_records_a_job_lost_after_sending():
    bid = business()[0]
    sent, lost = book(bid), book(bid)
    pg_rows(E, "UPDATE stripe_jobs SET status = 'done', done_at = now() WHERE booking_id = %s "
               "RETURNING id", sent)
    pg_rows(E, "UPDATE usage_events SET reported_at = now() WHERE booking_id = %s RETURNING id", lost)
    pg_rows(E, "DELETE FROM stripe_jobs WHERE booking_id = %s RETURNING id", lost)
    r = ctl(E, "billing", "reconcile", "--business", bid, "--repair", "--json")
    assert r.returncode == 0, r.stderr
    found = {(d["booking_id"], d["problem"], d["repaired"]) for d in json.loads(r.stdout)}
    assert found == {(sent, "meter job done but usage event not reported", True),
                     (lost, "usage event reported without a meter job", True)}
    assert reported(bid) == (2, 2)
    assert job(bid, "meter", lost)["status"] == "done"
    assert ctl(E, "billing", "reconcile", "--business", bid).returncode == 0


def test_one_worker_a_day_reconciles_every_business_and_repairs_what_it_can():
    day = "fd:billing:reconciled:" + datetime.now(timezone.utc).strftime("%Y-%m-%d")
    R.delete(day)
    bid = business()[0]
    booking = book(bid, without_job=True)
    first = billing_worker("nightly-a")
    try:
        wait_job(bid, "meter", booking)
        assert len(meter_events(booking)) == 1
        assert R.get(day) is not None and R.ttl(day) > 86400
        assert first.metric("frontdesk_billing_reconcile_differences_total") >= 1
        assert "nightly billing reconciliation done" in first.output()
        second = billing_worker("nightly-b")
        time.sleep(1)
        stop(second)
        assert "nightly billing reconciliation done" not in second.output()
    finally:
        stop(first)
    assert_stripe_saw_nothing_wrong()


def test_billing_commands_refuse_bad_arguments_and_list_a_business_s_jobs():
    assert ctl(E, "billing").returncode == 2
    assert ctl(E, "billing", "jobs", "--business", "nope").returncode == 2
    assert ctl(E, "billing", "jobs", "--status", "lost").returncode == 2
    assert ctl(E, "billing", "reconcile", "--fix").returncode == 2
    assert ctl(E, "billing", "retry").returncode == 2
    missing = ctl(E, "billing", "retry", str(uuid.uuid4()))
    assert missing.returncode == 1 and "no Stripe job" in missing.stderr
    bid = business()[0]
    booking = book(bid)
    r = ctl(E, "billing", "jobs", "--business", bid)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:4] == ["JOB", "BUSINESS", "KIND", "STATUS"]
    assert sorted(l.split()[2] for l in lines[1:]) == ["customer", "meter"]
    assert job(bid, "meter", booking)["id"] in r.stdout
    pending = ctl(E, "billing", "retry", job(bid, "meter", booking)["id"])
    assert pending.returncode == 1 and "not failed" in pending.stderr


def test_the_application_role_cannot_read_other_businesses_through_reconcile():
    conn = psycopg2.connect(E.database_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SET ROLE frontdesk_app")
            try:
                cur.execute("SELECT * FROM stripe_billing_reconcile(NULL, false)")
                raise AssertionError("frontdesk_app read every business's billing")
            except psycopg2.errors.InsufficientPrivilege:
                pass
            cur.execute("SELECT stripe_jobs_pending_count()")
            assert cur.fetchone()[0] >= 0
    finally:
        conn.close()


# ---- a booking made on a real call ----------------------------------------------------

def test_a_booking_made_on_a_call_is_one_meter_event_for_the_business_s_customer():
    """Simulator, api, a billing worker: the caller books, the booking's usage event drains
    from the outbox with its meter job, and Stripe hears of it once, as the business's,
    though Telnyx delivers every webhook of the call twice."""
    from rxhelp import ClockStack, agent_lines, example, variant, wait_call_logged
    st = ClockStack(E, "2026-03-03T16:00:00Z", workers=1, FRONTDESK_BILLING_LEASE_MS=LEASE_MS,
                    **FAKE.env())
    try:
        bid, number = st.business(variant(example("hair-salon")))
        cus = assert_customer_done(bid, st.redis())
        call = st.sim.call(number, "+17735559001", [
            {"say": "Can I book a beard trim on Saturday at 10am? My name is Ann Lee"},
            {"say": "yes"}, {"say": "bye"}], duplicates=True)
        rec = st.sim.wait_ended(call, timeout=60)
        assert any("You're booked" in l for l in agent_lines(rec)), agent_lines(rec)
        wait_call_logged(E, call)
        booking = pg_rows(E, "SELECT booking_id::text FROM usage_events WHERE business_id = %s", bid)
        assert len(booking) == 1
        booking = booking[0][0]
        wait_job(bid, "meter", booking)
        events = meter_events(booking)
        assert len(events) == 1 and events[0]["payload"]["stripe_customer_id"] == cus["id"]
        assert reported(bid) == (1, 1)
    finally:
        st.stop()
    assert_stripe_saw_nothing_wrong()
