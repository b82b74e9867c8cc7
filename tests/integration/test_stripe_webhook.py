"""frontdesk-api's POST /webhooks/stripe against real Redis: signed Stripe events land on
their business's stream (routed by metadata.business_id, client_reference_id or the
customer map fd:stripe:customers), once per event id; anything not signed right changes
nothing; an event no business owns is kept unrouted; without its secret the route says
it is off. The events are signed here with Python's hmac, as Stripe signs them."""
import hashlib
import hmac
import json
import os
import subprocess
import threading
import time
import uuid

from apihelp import entries, events_key, json_body, ready_key
from stripehelp import FakeStripe
from harness import BIN, create_tenant, ctl, env, free_port, http, post_webhook, private_redis, start_api, webhook

E = env()
SECRET = "whsec_" + uuid.uuid4().hex + "Stripe"
API = start_api(E, FRONTDESK_STRIPE_WEBHOOK_SECRET=SECRET)
R = E.redis()
CUSTOMERS = "fd:stripe:customers"


def customer_id():
    return "cus_" + uuid.uuid4().hex[:14]


def stripe_event(event_type, obj, event_id=None, created=None):
    """A Stripe event envelope as bytes (schema `event` of the OpenAPI extract)."""
    return json.dumps({
        "id": event_id or "evt_" + uuid.uuid4().hex[:24],
        "object": "event",
        "api_version": "2026-07-29.dahlia",
        "created": int(time.time()) if created is None else created,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }).encode()


def invoice(customer, **extra):
    return {"id": "in_" + uuid.uuid4().hex[:14], "object": "invoice", "customer": customer,
            "status": "paid", "amount_paid": 20000, "currency": "usd", **extra}


def signature(body, secret=SECRET, t=None, extra=""):
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}{extra}"


def post_stripe(body, header=None, api=None, **kw):
    headers = {"Content-Type": "application/json"}
    header = signature(body, **kw) if header is None else header
    if header is not False:
        headers["Stripe-Signature"] = header
    return http("POST", (api or API).url + "/webhooks/stripe", body, headers)


def business():
    return create_tenant(E)[0]


def unrouted_with(r, eid):
    return [{k.decode(): v for k, v in f.items()} for _, f in r.xrange("fd:unrouted")
            if f[b"eid"].decode() == eid]


def event_id_of(body):
    return json.loads(body)["id"]


def metric(api, name):
    for line in http("GET", api.url + "/metrics")[2].decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(name)


def test_an_event_naming_its_business_in_metadata_lands_on_that_business_stream():
    bid = business()
    body = stripe_event("customer.subscription.updated",
                        {"id": "sub_" + uuid.uuid4().hex[:14], "object": "subscription",
                         "status": "past_due", "metadata": {"business_id": bid.upper()}})
    status, _, raw = post_stripe(body)
    assert status == 200 and json_body(raw)["status"] == "accepted", raw
    [got] = entries(R, bid)
    sent = json.loads(body)
    assert got["type"] == "stripe.customer.subscription.updated"
    assert got["eid"] == "stripe:" + sent["id"] and got["call"] == "billing"
    assert got["at"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(sent["created"]))
    # the event exactly as Stripe sent (and signed) it, for the worker to read
    assert got["body"] == {"event": body.decode()}
    assert R.zscore(ready_key(bid), bid) is not None


def test_a_checkout_session_is_routed_by_its_client_reference_id():
    bid = business()
    body = stripe_event("checkout.session.completed",
                        {"id": "cs_test_" + uuid.uuid4().hex, "object": "checkout.session",
                         "client_reference_id": bid, "customer": customer_id(),
                         "subscription": "sub_" + uuid.uuid4().hex[:14], "status": "complete"})
    assert post_stripe(body)[0] == 200
    assert [e["eid"] for e in entries(R, bid)] == ["stripe:" + event_id_of(body)]


def test_an_invoice_is_routed_by_its_customer_through_the_customer_map():
    bid, cus = business(), customer_id()
    R.hset(CUSTOMERS, cus, bid)
    body = stripe_event("invoice.payment_failed", invoice(cus, status="open", attempt_count=1))
    assert post_stripe(body)[0] == 200
    [got] = entries(R, bid)
    assert got["type"] == "stripe.invoice.payment_failed"
    # a customer object is its own customer
    deleted = stripe_event("customer.deleted", {"id": cus, "object": "customer", "deleted": True})
    assert post_stripe(deleted)[0] == 200
    assert [e["type"] for e in entries(R, bid)] == ["stripe.invoice.payment_failed", "stripe.customer.deleted"]


def test_refused_signatures_get_400_and_put_nothing_anywhere():
    bid = business()
    obj = {"id": "sub_x1", "object": "subscription", "status": "canceled", "metadata": {"business_id": bid}}
    body = stripe_event("customer.subscription.deleted", obj)
    other = stripe_event("customer.subscription.deleted", {**obj, "status": "active"},
                         event_id=event_id_of(body))
    now = int(time.time())
    cases = {
        "missing header": (body, False),
        "wrong secret": (body, signature(body, secret="whsec_not_ours")),
        "stale": (body, signature(body, t=now - 301)),
        "from the future": (body, signature(body, t=now + 400)),
        "tampered body": (other, signature(body)),
        "no v1": (body, f"t={now}"),
        "no t": (body, signature(body).split(",", 1)[1]),
        "t not a number": (body, "t=soon," + signature(body).split(",", 1)[1]),
        "v0 only": (body, signature(body).replace("v1=", "v0=")),
        "huge": (body, signature(body) + ",v1=" + "0" * 64 * 80),
    }
    for what, (sent, header) in cases.items():
        status, _, raw = post_stripe(sent, header=header)
        assert status == 400, (what, status, raw)
        err = json_body(raw)
        assert err["error"] == "bad_signature" and err["message"], (what, err)
    assert not R.exists(events_key(bid))
    assert unrouted_with(R, "stripe:" + event_id_of(body)) == []
    # the same event signed right, even with a rolled secret's old v1 first, is taken once
    now = int(time.time())
    rolled = signature(body, secret="whsec_old", t=now) + "," + signature(body, t=now).split(",")[1]
    status, _, _ = post_stripe(body, header=rolled)
    assert status == 200 and len(entries(R, bid)) == 1


def test_a_redelivered_event_is_on_the_stream_once():
    bid = business()
    body = stripe_event("invoice.paid", {**invoice(customer_id()), "metadata": {"business_id": bid}})
    assert json_body(post_stripe(body)[2])["status"] == "accepted"
    # Stripe redelivers with a new timestamp and signature: still the same event
    time.sleep(1.1)
    status, _, raw = post_stripe(body)
    assert status == 200 and json_body(raw)["status"] == "duplicate"
    results = []
    threads = [threading.Thread(target=lambda: results.append(post_stripe(body)[0])) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 10
    assert len(entries(R, bid)) == 1


def test_an_event_of_an_unknown_customer_is_kept_unrouted_and_answered_200():
    cus = customer_id()
    body = stripe_event("invoice.paid", invoice(cus))
    status, _, raw = post_stripe(body)
    assert status == 200 and json_body(raw)["status"] == "unrouted"
    [kept] = unrouted_with(R, "stripe:" + event_id_of(body))
    assert kept["type"] == b"stripe.invoice.paid" and kept["customer"] == cus.encode()
    assert kept["number"] == b""
    # an event naming nothing at all is kept too
    bare = stripe_event("billing.meter.created", {"id": "mtr_1", "object": "billing.meter"})
    assert json_body(post_stripe(bare)[2])["status"] == "unrouted"
    assert len(unrouted_with(R, "stripe:" + event_id_of(bare))) == 1


def unrouted_entry_id(r, eid):
    return [i.decode() for i, f in r.xrange("fd:unrouted") if f[b"eid"].decode() == eid]


def test_an_unrouted_event_is_replayed_by_ctl_once_its_customer_is_mapped():
    bid, cus = business(), customer_id()
    body = stripe_event("invoice.paid", invoice(cus))
    eid = "stripe:" + event_id_of(body)
    assert json_body(post_stripe(body)[2])["status"] == "unrouted"
    [entry] = unrouted_entry_id(R, eid)
    listed = ctl(E, "unrouted", "list")
    assert entry in listed.stdout and cus in listed.stdout
    early = ctl(E, "unrouted", "replay", "--id", entry)
    assert early.returncode == 1 and cus in early.stderr and "stays" in early.stderr, early.stderr
    R.hset(CUSTOMERS, cus, bid)             # what the customer job does once Stripe answered
    done = ctl(E, "unrouted", "replay", "--id", entry)
    assert done.returncode == 0 and "added" in done.stdout and bid in done.stdout, done.stdout + done.stderr
    [got] = entries(R, bid)
    assert got["eid"] == eid and got["type"] == "stripe.invoice.paid" and got["call"] == "billing"
    assert got["body"] == {"event": body.decode()}
    assert unrouted_entry_id(R, eid) == []
    # Stripe's own retry of it now routes as a duplicate, never a second entry
    assert json_body(post_stripe(body)[2])["status"] == "duplicate"
    assert len(entries(R, bid)) == 1


def test_an_event_whose_business_id_and_customer_disagree_goes_to_neither():
    a, b, cus = business(), business(), customer_id()
    R.hset(CUSTOMERS, cus, b)
    body = stripe_event("invoice.paid", {**invoice(cus), "metadata": {"business_id": a}})
    assert json_body(post_stripe(body)[2])["status"] == "unrouted"
    assert not R.exists(events_key(a)) and not R.exists(events_key(b))
    assert len(unrouted_with(R, "stripe:" + event_id_of(body))) == 1
    # nor does a replay give it to either while they disagree
    [entry] = unrouted_entry_id(R, "stripe:" + event_id_of(body))
    refused = ctl(E, "unrouted", "replay", "--id", entry)
    assert refused.returncode == 1 and a in refused.stderr and b in refused.stderr, refused.stderr
    assert not R.exists(events_key(a)) and not R.exists(events_key(b))
    # a business id that matches its customer, or a customer the map does not know yet
    # (its customer.created before the job stored the id), goes by the business id
    agree = stripe_event("invoice.paid", {**invoice(cus), "metadata": {"business_id": b}})
    fresh = stripe_event("customer.created", {"id": customer_id(), "object": "customer",
                                              "metadata": {"business_id": a}})
    assert post_stripe(agree)[0] == 200 and post_stripe(fresh)[0] == 200
    assert [e["eid"] for e in entries(R, b)] == ["stripe:" + event_id_of(agree)]
    assert [e["eid"] for e in entries(R, a)] == ["stripe:" + event_id_of(fresh)]


def test_two_businesses_events_never_cross():
    a, b = business(), business()
    cus_a, cus_b = customer_id(), customer_id()
    R.hset(CUSTOMERS, mapping={cus_a: a, cus_b: b})
    sent = {a: [], b: []}
    for i in range(10):
        for bid, cus in ((a, cus_a), (b, cus_b)):
            body = stripe_event("invoice.paid", invoice(cus)) if i % 2 else \
                stripe_event("customer.subscription.updated",
                             {"id": "sub_" + uuid.uuid4().hex[:10], "object": "subscription",
                              "customer": cus, "status": "active", "metadata": {"business_id": bid}})
            assert post_stripe(body)[0] == 200
            sent[bid].append("stripe:" + event_id_of(body))
    for bid, other_customer in ((a, cus_b), (b, cus_a)):
        got = entries(R, bid)
        assert [e["eid"] for e in got] == sent[bid]
        assert all(other_customer not in e["body"]["event"] for e in got)


def test_a_well_signed_body_that_is_not_an_event_gets_400_and_nothing():
    bid = business()
    for body, words in ((b"{not json", "not a JSON object"),
                        (json.dumps({"id": "in_1", "type": "invoice.paid", "created": 1,
                                     "data": {"object": {"metadata": {"business_id": bid}}}}).encode(), "evt_"),
                        (json.dumps({"id": "evt_1x", "type": "invoice.paid", "created": 1}).encode(), "data.object")):
        status, _, raw = post_stripe(body)
        assert status == 400, (body, raw)
        err = json_body(raw)
        assert err["error"] == "invalid" and words in err["message"], err
    assert not R.exists(events_key(bid))


def test_a_telnyx_webhook_can_never_pose_as_a_stripe_or_owner_event():
    bid, numbers = create_tenant(E)
    payload = {"call_control_id": "v3:pose", "from": "+15550001111", "to": numbers[0], "direction": "incoming"}
    for event_type, event_id in (("stripe.invoice.paid", None), ("stripe.customer.subscription.deleted", None),
                                 ("owner.booking_cancel", None), ("call.initiated", "stripe:evt_forged")):
        status, _, raw = post_webhook(E, API, webhook(event_type, payload, event_id=event_id))
        assert status == 400, (event_type, status, raw)
        assert "reserved" in json_body(raw)["message"]
    assert not R.exists(events_key(bid))


def test_wrong_method_and_over_large_body_are_refused():
    status, hdrs, _ = http("GET", API.url + "/webhooks/stripe")
    assert status == 405 and hdrs.get("Allow") == "POST"
    big = stripe_event("invoice.paid", {"object": "invoice", "pad": "x" * 70000})
    assert post_stripe(big)[0] == 413


def test_redis_down_gives_503_and_stripes_retry_lands_once_after_it_returns():
    svc = private_redis()
    api = start_api(E, FRONTDESK_REDIS_URL=svc.redis_url, FRONTDESK_STRIPE_WEBHOOK_SECRET=SECRET)
    bid, cus = str(uuid.uuid4()), customer_id()
    svc.redis().hset(CUSTOMERS, cus, bid)
    body = stripe_event("invoice.paid", invoice(cus))
    svc.stop_redis()
    start = time.time()
    status, _, raw = post_stripe(body, api=api)
    assert status == 503 and json_body(raw)["error"] == "unavailable", raw
    assert time.time() - start < 2.0
    svc.start_redis_again()
    end = time.time() + 10
    while http("GET", api.url + "/readyz")[0] != 200 and time.time() < end:
        time.sleep(0.05)
    for _ in range(2):
        assert post_stripe(body, api=api)[0] == 200
    assert [e["eid"] for e in entries(svc.redis(), bid)] == ["stripe:" + event_id_of(body)]
    assert metric(api, 'frontdesk_api_stripe_webhooks_total{result="unavailable"}') == 1
    assert api.stop() == 0


def test_without_the_secret_the_route_is_off_with_503_and_the_api_stays_ready():
    api = start_api(E)
    bid = business()
    body = stripe_event("invoice.paid", {**invoice(customer_id()), "metadata": {"business_id": bid}})
    status, _, raw = post_stripe(body, api=api)
    assert status == 503, raw
    assert "FRONTDESK_STRIPE_WEBHOOK_SECRET" in json_body(raw)["message"]
    status, _, raw = http("GET", api.url + "/readyz")
    assert status == 200 and json_body(raw)["stripe_webhooks"] == "off"
    assert json_body(http("GET", API.url + "/readyz")[2])["stripe_webhooks"] == "on"
    assert not R.exists(events_key(bid))
    assert metric(api, 'frontdesk_api_stripe_webhooks_total{result="off"}') == 1
    assert api.stop() == 0


def test_metrics_count_stripe_webhooks_by_result():
    text = http("GET", API.url + "/metrics")[2].decode()
    for result in ("enqueued", "duplicate", "unrouted", "bad_signature", "bad_request"):
        assert metric(API, f'frontdesk_api_stripe_webhooks_total{{result="{result}"}}') >= 1, result
    assert 'frontdesk_api_requests_total{route="webhook_stripe",status="400"}' in text


def test_the_secret_is_never_on_stderr():
    time.sleep(0.1)
    out = API.output()
    assert SECRET not in out and SECRET[6:] not in out
    assert "stripe event unrouted" in out        # the log was written, just without it
    # a malformed secret is refused at start without being echoed
    bad = SECRET + " x"
    port = free_port()
    r = subprocess.run([os.path.join(BIN, "frontdesk-api")], capture_output=True, text=True, timeout=10,
                       env=E.base_env(FRONTDESK_LISTEN=f"127.0.0.1:{port}", FRONTDESK_STRIPE_WEBHOOK_SECRET=bad))
    assert r.returncode == 2 and "FRONTDESK_STRIPE_WEBHOOK_SECRET" in r.stderr, r.stderr
    assert SECRET not in r.stderr and SECRET[6:20] not in r.stderr


def test_the_fake_stripes_deliveries_are_taken_or_refused_by_their_signature():
    fake = FakeStripe()
    api = start_api(E, FRONTDESK_STRIPE_WEBHOOK_SECRET=fake.webhook_secret)
    fake.webhook_to(api.url + "/webhooks/stripe")
    bid = business()
    status, _, customer = fake.call("POST", "/v1/customers",
                                    {"name": "Biz", "email": "owner@example.com", "metadata": {"business_id": bid}},
                                    idempotency_key="signup-" + bid)
    assert status == 200, customer
    R.hset(CUSTOMERS, customer["id"], bid)   # what the customer job stores
    want = {"good": 200, "bad": 400, "stale": 400, "tampered": 400, "rolled": 200}
    sent = {mode: fake.event("invoice.paid", customer=customer["id"], signature=mode) for mode in want}
    assert {mode: s["status"] for mode, s in sent.items()} == want, sent
    twice = fake.event("invoice.payment_failed", customer=customer["id"], duplicate=True)
    assert twice["statuses"] == [200, 200]
    gone = fake.event("customer.deleted", customer=customer["id"])
    assert gone["status"] == 200
    got = entries(R, bid)
    assert [e["eid"] for e in got] == ["stripe:" + sent["good"]["id"], "stripe:" + sent["rolled"]["id"],
                                       "stripe:" + twice["id"], "stripe:" + gone["id"]]
    assert [e["type"] for e in got] == ["stripe.invoice.paid", "stripe.invoice.paid",
                                        "stripe.invoice.payment_failed", "stripe.customer.deleted"]
    assert json.loads(got[0]["body"]["event"])["data"]["object"]["customer"] == customer["id"]
    assert fake.violations() == []
    assert api.stop() == 0
    fake.stop()


def test_api_stops_cleanly_with_no_sanitizer_report():
    assert API.stop() == 0
