"""The fake Stripe (tests/sim/fake_stripe.py) behaves like Stripe where our billing tests
rely on it: idempotent replay and idempotency_error, requests the OpenAPI extract refuses
answered 400 and recorded as violations, meter events de-duplicated on identifier, each
fault mode, Checkout completing into a subscription, events built from its state, and
webhook signatures a correct verifier accepts or refuses as each mode means. No Redis,
PostgreSQL or binaries needed."""
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request

import harness
from stripehelp import (PRICE_BOOKING, PRICE_MONTHLY, FakeStripe, WebhookCatcher,
                        verify_signature)

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "schemas", "stripe"))
from stripe_schema import StripeSchema  # noqa: E402

SCHEMA = StripeSchema()
HOLD_S = 2
_fake = None
_catcher = None


def fake():
    """One fake for the file, posting to one catcher; tests use fresh customers."""
    global _fake, _catcher
    if _fake is None or _fake.p.poll() is not None:
        _catcher = WebhookCatcher()
        _fake = FakeStripe(_catcher.url, timeout_hold_s=HOLD_S)
    return _fake


def new_customer(f, name="Demo Dental"):
    status, _, body = f.call("POST", "/v1/customers", {"name": name, "email": "owner@example.com",
                                                       "metadata": {"business_id": "b-" + name}})
    assert status == 200, body
    return body


def customers_named(f, name):
    return [c for c in f.state()["customers"] if c.get("name") == name]


def deliveries_of(event_id):
    return [d for d in _catcher.deliveries if json.loads(d["body"])["id"] == event_id]


def test_a_replayed_key_answers_the_same_body_and_says_it_was_replayed():
    f = fake()
    params = {"name": "Replay", "metadata": {"business_id": "b1"}}
    s1, h1, b1 = f.call("POST", "/v1/customers", params, idempotency_key="signup-replay")
    s2, h2, b2 = f.call("POST", "/v1/customers", params, idempotency_key="signup-replay")
    assert (s1, s2) == (200, 200)
    assert b1 == b2 and b1["id"].startswith("cus_")
    assert "Idempotent-Replayed" not in h1 and h2.get("Idempotent-Replayed") == "true"
    assert h1["Request-Id"] != h2["Request-Id"]
    assert len(customers_named(f, "Replay")) == 1


def test_one_key_sent_at_once_from_many_threads_does_the_work_once():
    import threading
    f = fake()
    got = []

    def send():
        status, h, body = f.call("POST", "/v1/customers", {"name": "Racing"}, idempotency_key="signup-race")
        got.append((status, body.get("id") if status == 200 else body["error"]["code"]))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(customers_named(f, "Racing")) == 1
    ids = {x for status, x in got if status == 200}
    assert len(ids) == 1 and all(status == 200 or x == "idempotency_key_in_use" for status, x in got), got


def test_a_key_reused_with_other_parameters_is_an_idempotency_error():
    f = fake()
    f.call("POST", "/v1/customers", {"name": "KeyA"}, idempotency_key="signup-reuse")
    status, _, body = f.call("POST", "/v1/customers", {"name": "KeyB"}, idempotency_key="signup-reuse")
    assert status == 400 and body["error"]["type"] == "idempotency_error", body
    assert customers_named(f, "KeyB") == []


def test_an_unknown_parameter_is_refused_recorded_and_not_stored_under_its_key():
    f = fake()
    before = len(f.violations())
    status, _, body = f.call("POST", "/v1/customers", {"name": "Bad", "nickname": "x"},
                             idempotency_key="signup-bad")
    assert status == 400, body
    assert body["error"]["code"] == "parameter_unknown" and body["error"]["param"] == "nickname"
    new = f.violations()[before:]
    assert len(new) == 1 and "nickname" in new[0], new
    # a failed validation stores nothing: the key works for the corrected request
    status, h, body = f.call("POST", "/v1/customers", {"name": "Bad"}, idempotency_key="signup-bad")
    assert status == 200 and "Idempotent-Replayed" not in h, body


def test_brackets_percent_encoded_as_our_client_sends_them_nest_like_plain_ones():
    f = fake()
    before = len(f.violations())
    body = "name=Escaped&metadata%5Bbusiness_id%5D=b-esc&email=owner%40example.com"
    with raw_post(f, "/v1/customers", body, "signup-escaped", 5) as r:
        got = json.loads(r.read())
    assert got["metadata"] == {"business_id": "b-esc"} and got["email"] == "owner@example.com"
    assert f.violations()[before:] == []


def test_bodies_that_break_the_schema_are_violations():
    f = fake()
    status, _, body = f.call("POST", "/v1/checkout/sessions", {
        "mode": "subscription", "line_items": [{"price": PRICE_MONTHLY, "quantity": 1, "bogus": 1}]})
    assert status == 400 and body["error"]["param"] == "line_items[0][bogus]", body
    cases = [("/v1/customers", {"name": "x" * 300}),                       # maxLength 256
             ("/v1/checkout/sessions", {"mode": "monthly"}),               # enum
             ("/v1/billing/meter_events", {"event_name": "ai_booking"}),   # payload required
             ("/v1/invoiceitems", {"customer": "cus_x", "amount": "fifty"})]   # integer
    for path, params in cases:
        before = len(f.violations())
        status, _, body = f.call("POST", path, params)
        assert status == 400 and body["error"]["type"] == "invalid_request_error", (path, body)
        assert len(f.violations()) > before, path
    # "" clears a customer's metadata (anyOf with ""), so it is valid there
    c = new_customer(f, "Clears")
    before = len(f.violations())
    status, _, _ = f.call("POST", "/v1/customers", {"name": "Clears2", "metadata": ""})
    assert status == 200 and len(f.violations()) == before, f.violations()[before:]
    assert c["id"].startswith("cus_")


def test_wire_rules_are_checked_and_every_answer_has_a_request_id():
    f = fake()
    status, h, body = f.call("POST", "/v1/customers", {"name": "NoKey"}, key="sk_test_wrong")
    assert status == 401 and body["error"]["type"] == "invalid_request_error", body
    assert h.get("Request-Id", "").startswith("req_")
    assert customers_named(f, "NoKey") == []
    status, _, body = f.call("POST", "/v1/customers", {"name": "NoAuth"}, headers={"Authorization": None})
    assert status == 401 and "API key" in body["error"]["message"]
    for headers, what in ((({"Stripe-Version": "2020-08-27"}), "Stripe-Version"),
                          (({"Stripe-Version": None}), "Stripe-Version"),
                          (({"Idempotency-Key": None}), "Idempotency-Key"),
                          (({"Content-Type": "application/json"}), "Content-Type")):
        before = len(f.violations())
        status, h, _ = f.call("POST", "/v1/customers", {"name": "Wire"}, headers=headers)
        assert h.get("Request-Id", "").startswith("req_")
        new = f.violations()[before:]
        assert len(new) == 1 and what in new[0], (headers, new)
    status, _, body = f.call("POST", "/v1/not_a_thing", {"a": 1})
    assert status == 404 and "Unrecognized request URL" in body["error"]["message"]


def test_a_meter_event_identifier_counts_once():
    f = fake()
    c = new_customer(f, "Meter")
    before = len(f.violations())
    ident = "booking-" + c["id"]
    ev = {"event_name": "ai_booking", "identifier": ident, "timestamp": int(time.time()) - 60,
          "payload": {"stripe_customer_id": c["id"], "value": "1"}}
    status, _, body = f.call("POST", "/v1/billing/meter_events", ev, idempotency_key="meter-a")
    assert status == 200 and body["identifier"] == ident, body
    assert SCHEMA.check_object("billing.meter_event", body) == []
    # the same key replays the first answer; a new key with the same identifier is refused
    status, h, _ = f.call("POST", "/v1/billing/meter_events", ev, idempotency_key="meter-a")
    assert status == 200 and h.get("Idempotent-Replayed") == "true"
    status, _, body = f.call("POST", "/v1/billing/meter_events", ev, idempotency_key="meter-b")
    assert status == 400 and body["error"]["param"] == "identifier", body
    st = f.state()
    assert [e["identifier"] for e in st["meter_events"]].count(ident) == 1
    assert [e["identifier"] for e in st["meter_event_duplicates"]].count(ident) == 1
    assert st["violations"][before:] == []     # a duplicate is Stripe's answer, not our mistake


def test_faults_that_skip_the_work_leave_nothing_behind():
    f = fake()
    for mode, status_wanted in (("500", 500), ("429", 429), ("409", 409)):
        f.fault("/v1/customers", mode)
        name = "Fault" + mode
        status, h, body = f.call("POST", "/v1/customers", {"name": name}, idempotency_key="k-" + name)
        assert status == status_wanted, (mode, status, body)
        assert h.get("Request-Id") and body["error"]["type"]
        assert customers_named(f, name) == [], mode
        # nothing was stored under the key: the retry does the work
        status, h, _ = f.call("POST", "/v1/customers", {"name": name}, idempotency_key="k-" + name)
        assert status == 200 and "Idempotent-Replayed" not in h and len(customers_named(f, name)) == 1
    assert f.requests()[-1]["status"] == 200


def test_500_after_does_the_work_and_replays_the_500_for_its_key():
    f = fake()
    f.fault("/v1/customers", "500_after")
    params = {"name": "After500"}
    status, _, _ = f.call("POST", "/v1/customers", params, idempotency_key="k-after")
    assert status == 500
    assert len(customers_named(f, "After500")) == 1
    status, h, _ = f.call("POST", "/v1/customers", params, idempotency_key="k-after")
    assert status == 500 and h.get("Idempotent-Replayed") == "true"
    assert len(customers_named(f, "After500")) == 1


def raw_post(f, path, body, key, timeout):
    req = urllib.request.Request(f.url + path, data=body.encode(), method="POST", headers={
        "Authorization": "Bearer " + f.secret_key, "Stripe-Version": "2026-07-29.dahlia",
        "Idempotency-Key": key, "Content-Type": "application/x-www-form-urlencoded"})
    return urllib.request.urlopen(req, timeout=timeout)


def test_reset_drops_the_connection_without_doing_the_work():
    f = fake()
    f.fault("/v1/customers", "reset")
    try:
        raw_post(f, "/v1/customers", "name=Reset", "k-reset", 5)
        raise AssertionError("a reset request got an answer")
    except (urllib.error.URLError, ConnectionError, http_client_errors()):
        pass
    assert customers_named(f, "Reset") == []


def http_client_errors():
    import http.client
    return http.client.HTTPException


def test_timeout_does_the_work_and_never_answers_then_the_key_replays():
    f = fake()
    f.fault("/v1/customers", "timeout")
    start = time.time()
    try:
        raw_post(f, "/v1/customers", "name=Slow", "k-slow", 1)
        raise AssertionError("a timed-out request got an answer")
    except (socket.timeout, TimeoutError, urllib.error.URLError):
        pass
    assert time.time() - start < HOLD_S
    assert len(customers_named(f, "Slow")) == 1
    with raw_post(f, "/v1/customers", "name=Slow", "k-slow", 5) as r:
        assert r.status == 200 and r.headers["Idempotent-Replayed"] == "true"
    assert len(customers_named(f, "Slow")) == 1


def test_every_makes_half_the_requests_fail_for_count_of_them():
    f = fake()
    f.fault("/v1/billing/meter_events", "500", count=2, every=2)
    c = new_customer(f, "Half")
    got = []
    for i in range(6):
        status, _, _ = f.call("POST", "/v1/billing/meter_events",
                              {"event_name": "ai_booking", "identifier": "half-%s-%d" % (c["id"], i),
                               "payload": {"stripe_customer_id": c["id"], "value": "1"}})
        got.append(status)
    assert got == [200, 500, 200, 500, 200, 200], got
    # a fault on another path leaves this one alone; DELETE clears them all
    f.fault("/v1/invoiceitems", "500", count=5)
    assert new_customer(f, "Other")["id"]
    f.clear_faults()
    assert f.state()["faults"] == []


def test_checkout_completes_into_a_subscription_with_both_prices_and_two_signed_events():
    f = fake()
    violations_before = len(f.violations())
    c = new_customer(f, "Checkout")
    status, _, s = f.call("POST", "/v1/checkout/sessions", {
        "mode": "subscription", "customer": c["id"], "client_reference_id": "b-checkout",
        "line_items": [{"price": PRICE_MONTHLY, "quantity": 1}, {"price": PRICE_BOOKING}],
        "success_url": "https://app.example/billing?s={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://app.example/billing", "metadata": {"business_id": "b-checkout"},
        "subscription_data": {"metadata": {"business_id": "b-checkout"}}})
    assert status == 200, s
    assert s["url"].startswith("https://checkout.stripe.test/") and s["status"] == "open"
    before = len(_catcher.deliveries)
    done = f.complete_checkout(s["id"])
    assert [e["status"] for e in done["events"]] == [200, 200]
    sub = [x for x in f.state()["subscriptions"] if x["id"] == done["subscription"]][0]
    assert sub["customer"] == c["id"] and sub["status"] == "active"
    assert [i["price"]["id"] for i in sub["items"]["data"]] == [PRICE_MONTHLY, PRICE_BOOKING]
    assert sub["metadata"] == {"business_id": "b-checkout"}
    sent = _catcher.deliveries[before:]
    events = [json.loads(d["body"]) for d in sent]
    assert [e["type"] for e in events] == ["checkout.session.completed", "customer.subscription.created"]
    for d, e in zip(sent, events):
        assert verify_signature(f.webhook_secret, d["body"], d["headers"]["Stripe-Signature"])
        assert SCHEMA.check_event(e) == [], SCHEMA.check_event(e)
        assert e["api_version"] == "2026-07-29.dahlia" and e["livemode"] is False
    cs = events[0]["data"]["object"]
    assert cs["client_reference_id"] == "b-checkout" and cs["subscription"] == sub["id"]
    assert cs["status"] == "complete" and cs["payment_status"] == "paid"
    status, _, got = f.call("GET", "/v1/customers/" + c["id"], {"expand": ["subscriptions"]})
    assert status == 200 and got["subscriptions"]["data"][0]["id"] == sub["id"]
    # the fake checks its own answers against the extract too
    assert f.violations()[violations_before:] == []


def test_signature_modes_are_accepted_or_refused_by_a_correct_verifier():
    f = fake()
    c = new_customer(f, "Signatures")
    want = {"good": True, "rolled": True, "bad": False, "stale": False, "tampered": False}
    for mode, accepted in want.items():
        sent = f.event("invoice.paid", c["id"], signature=mode)
        assert sent["status"] == 200
        (d,) = deliveries_of(sent["id"])
        header = d["headers"]["Stripe-Signature"]
        assert verify_signature(f.webhook_secret, d["body"], header) is accepted, (mode, header)
        if mode == "rolled":
            assert header.count("v1=") == 2
        if mode == "stale":     # signed correctly, only old
            t = int(header.split(",")[0][2:])
            assert verify_signature(f.webhook_secret, d["body"], header, now=t)
    sent = f.event("invoice.paid", c["id"], duplicate=True)
    assert sent["statuses"] == [200, 200] and len(deliveries_of(sent["id"])) == 2


def test_events_are_built_from_the_state_with_overrides_and_a_chosen_created():
    f = fake()
    c = new_customer(f, "Events")
    sent = f.event("invoice.payment_failed", c["id"], created=1700000000,
                   object={"attempt_count": 3, "metadata": {"business_id": "b-events"}})
    (d,) = deliveries_of(sent["id"])
    e = json.loads(d["body"])
    inv = e["data"]["object"]
    assert e["created"] == 1700000000 and e["type"] == "invoice.payment_failed"
    assert inv["object"] == "invoice" and inv["customer"] == c["id"] and inv["attempt_count"] == 3
    assert inv["metadata"] == {"business_id": "b-events"} and inv["status"] == "open"
    sub_id = inv["parent"]["subscription_details"]["subscription"]
    assert sub_id.startswith("sub_")
    moved = f.move_subscription(sub_id, "past_due")
    e = json.loads(deliveries_of(moved["id"])[0]["body"])
    assert e["type"] == "customer.subscription.updated"
    assert e["data"]["object"]["status"] == "past_due"
    assert e["data"]["previous_attributes"] == {"status": "active"}
    bad = f.event("invoice.paid", "not-a-customer", expect=400)
    assert "customer" in bad["error"]
    assert f.control("POST", "/_fake/subscriptions/sub_missing", {"status": "past_due"}, expect=404)


def test_customers_portal_sessions_and_credits():
    f = fake()
    c = new_customer(f, "Portal")
    status, _, p = f.call("POST", "/v1/billing_portal/sessions",
                          {"customer": c["id"], "return_url": "https://app.example/billing"})
    assert status == 200 and p["url"].startswith("https://billing.stripe.test/"), p
    assert SCHEMA.check_object("billing_portal.session", p) == []
    status, _, item = f.call("POST", "/v1/invoiceitems",
                             {"customer": c["id"], "amount": -5000, "currency": "usd"},
                             idempotency_key="credit-x")
    assert status == 200 and item["amount"] == -5000 and item["id"].startswith("ii_"), item
    status, _, body = f.call("POST", "/v1/invoiceitems",
                             {"customer": "cus_nobody", "amount": -5000, "currency": "usd"})
    assert status == 400 and body["error"]["code"] == "resource_missing"
    status, _, body = f.call("GET", "/v1/customers/cus_nobody")
    assert status == 404 and body["error"]["code"] == "resource_missing"
    f.event("customer.deleted", c["id"])
    status, _, body = f.call("GET", "/v1/customers/" + c["id"])
    assert status == 200 and body == {"id": c["id"], "object": "customer", "deleted": True}
    status, _, body = f.call("POST", "/v1/invoiceitems",
                             {"customer": c["id"], "amount": -5000, "currency": "usd"})
    assert status == 400 and body["error"]["code"] == "resource_missing", body
    # a replay is the answer as it was first given
    status, h, body = f.call("POST", "/v1/customers", {"name": "Portal", "email": "owner@example.com",
                                                       "metadata": {"business_id": "b-Portal"}},
                             idempotency_key="signup-portal-replay")
    f.event("customer.deleted", body["id"])
    status, h, again = f.call("POST", "/v1/customers", {"name": "Portal", "email": "owner@example.com",
                                                        "metadata": {"business_id": "b-Portal"}},
                              idempotency_key="signup-portal-replay")
    assert h.get("Idempotent-Replayed") == "true" and again == body


def test_an_invoice_is_the_plan_plus_metered_bookings_plus_credits_and_a_retry_settles_it():
    f = fake()
    c = new_customer(f, "Invoice")
    for i in range(2):
        status, _, _ = f.call("POST", "/v1/billing/meter_events", {
            "event_name": "ai_booking", "identifier": "inv-%s-%d" % (c["id"], i),
            "payload": {"stripe_customer_id": c["id"], "value": "1"}})
        assert status == 200
    f.call("POST", "/v1/invoiceitems", {"customer": c["id"], "amount": -5000, "currency": "usd"})
    failed = json.loads(deliveries_of(f.event("invoice.payment_failed", c["id"])["id"])[0]["body"])
    inv = failed["data"]["object"]
    assert inv["amount_due"] == 20000 + 2 * 5000 - 5000 and inv["status"] == "open", inv
    paid = json.loads(deliveries_of(f.event("invoice.paid", c["id"])["id"])[0]["body"])
    assert paid["data"]["object"]["id"] == inv["id"]
    assert paid["data"]["object"]["amount_paid"] == 25000 and paid["data"]["object"]["status"] == "paid"
    later = json.loads(deliveries_of(f.event("invoice.paid", c["id"])["id"])[0]["body"])
    assert later["data"]["object"]["id"] != inv["id"] and later["data"]["object"]["amount_paid"] == 20000
    gone = json.loads(deliveries_of(f.event("customer.subscription.deleted", c["id"])["id"])[0]["body"])
    assert gone["data"]["object"]["status"] == "canceled" and gone["data"]["object"]["ended_at"]


def test_events_go_to_the_webhook_url_set_after_start():
    f = fake()
    c = new_customer(f, "Moved")
    other = WebhookCatcher(status=503)
    try:
        f.webhook_to(other.url)
        sent = f.event("invoice.paid", c["id"])
        assert sent["status"] == 503 and len(other.deliveries) == 1
        assert deliveries_of(sent["id"]) == []
    finally:
        f.webhook_to(_catcher.url)
        other.stop()
    assert f.control("POST", "/_fake/webhook", {"url": "ftp://x"}, expect=400)


def test_the_key_may_come_as_basic_auth_user_name():
    import base64
    f = fake()
    basic = "Basic " + base64.b64encode((f.secret_key + ":").encode()).decode()
    status, _, body = f.call("POST", "/v1/customers", {"name": "Basic"}, headers={"Authorization": basic})
    assert status == 200, body
    wrong = "Basic " + base64.b64encode(b"sk_test_nope:").decode()
    status, _, body = f.call("POST", "/v1/customers", {"name": "Basic2"}, headers={"Authorization": wrong})
    assert status == 401 and body["error"]["code"] == "api_key_invalid"


def test_the_fake_stops_cleanly_on_sigterm_even_holding_a_connection():
    f = fake()
    f.fault("/v1/customers", "timeout")
    try:
        raw_post(f, "/v1/customers", "name=Held", "k-held", 0.5)
    except (socket.timeout, TimeoutError, urllib.error.URLError):
        pass
    start = time.time()
    assert f.stop(timeout=5) == 0
    assert time.time() - start < 3


def test_the_checker_answers_from_the_command_line():
    import subprocess
    cli = os.path.join(harness.ROOT, "tests", "schemas", "stripe", "stripe_schema.py")
    ok = subprocess.run(["/usr/bin/python3", cli, "request", "POST", "/v1/customers",
                         "name=A&metadata%5Bbusiness_id%5D=b"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.strip() == "OK", ok
    bad = subprocess.run(["/usr/bin/python3", cli, "request", "POST", "/v1/billing/meter_events",
                          "event_name=ai_booking&payload[value]=1&identifer=x"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "identifer" in bad.stdout, bad
    usage = subprocess.run(["/usr/bin/python3", cli], capture_output=True, text=True)
    assert usage.returncode == 2
