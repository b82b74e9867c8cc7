"""The owner API's billing (GET /api/v1/billing, POST /api/v1/billing/checkout and
/portal) with the real frontdesk-web, PostgreSQL and the fake Stripe (tests/sim/
fake_stripe.py): what the business is shown comes from its own rows only, and what the
owner's clicks send Stripe is one valid session each, with the plan's two prices. The
billing state, customer and usage are seeded straight into PostgreSQL, as the worker's
billing job and Stripe's webhooks would leave them."""
import json
import re
import uuid

from harness import env, http, pg_rows, wait_for
from stripehelp import PRICE_BOOKING, PRICE_MONTHLY, FakeStripe
from webhelp import Web, add_user, login, signup

E = env()
PUBLIC_URL = "https://app.frontdesk.test"
NOW = "2026-12-01T05:00:00Z"        # still November in Los Angeles, December in New York

WEB_OFF = Web(E, FRONTDESK_NOW=NOW)
_on = {}


def stripe():
    """The fake Stripe, started once for the file."""
    if "fake" not in _on:
        _on["fake"] = FakeStripe()
    return _on["fake"]


def web_on():
    """frontdesk-web with billing on, talking to the fake Stripe."""
    if "web" not in _on:
        _on["web"] = Web(E, FRONTDESK_NOW=NOW, FRONTDESK_PUBLIC_URL=PUBLIC_URL,
                         **stripe().env())
    return _on["web"]


def customer_for(business_id):
    """The business's Stripe customer, made at the fake as the worker's billing job makes
    it, and recorded on the business."""
    status, _, got = stripe().call("POST", "/v1/customers",
                                   {"name": "Biz", "metadata": {"business_id": business_id}},
                                   idempotency_key="signup-" + business_id)
    assert status == 200, (status, got)
    set_billing(business_id, stripe_customer_id=got["id"])
    return got["id"]


def subscribed_owner():
    """A business with its customer, and its owner signed in, on the billing-on web."""
    owner = signup(web_on())
    owner["customer"] = customer_for(owner["business_id"])
    return owner


def set_billing(business_id, **columns):
    """Writes billing columns of businesses as the worker and Stripe's events would."""
    sets = ", ".join(f"{k} = %s" for k in columns)
    pg_rows(E, f"UPDATE businesses SET {sets} WHERE id = %s RETURNING id",
            *columns.values(), business_id)


def add_usage(business_id, occurred_at, reported=False):
    """One billable booking's usage event (the trigger adds its meter job)."""
    pg_rows(E, "INSERT INTO usage_events (id, business_id, booking_id, occurred_at, reported_at) "
               "VALUES (%s, %s, %s, %s, CASE WHEN %s THEN now() END) RETURNING id",
            str(uuid.uuid4()), business_id, str(uuid.uuid4()), occurred_at, reported)


def fake_customer_id():
    return "cus_" + uuid.uuid4().hex[:14]


def get_billing(web, token):
    status, _, got = web.call("GET", "/api/v1/billing", token=token)
    assert status == 200, (status, got)
    return got


def test_billing_shows_the_state_and_this_periods_bookings_of_its_own_business_only():
    a = signup(WEB_OFF)
    b = signup(WEB_OFF)
    set_billing(a["business_id"], stripe_customer_id=fake_customer_id(),
                stripe_subscription_id="sub_" + uuid.uuid4().hex[:14], billing_state="active",
                billing_state_at="2026-11-20T00:00:00Z",
                billing_period_start="2026-11-20T00:00:00Z",
                billing_period_end="2026-12-20T00:00:00Z")
    for at, reported in (("2026-11-20T00:00:00Z", True), ("2026-11-25T10:00:00Z", True),
                         ("2026-11-30T23:00:00Z", False)):
        add_usage(a["business_id"], at, reported)
    add_usage(a["business_id"], "2026-11-19T23:59:59Z", True)    # the period before
    add_usage(b["business_id"], "2026-12-01T05:00:00Z", False)   # in both periods: B's only
    got = get_billing(WEB_OFF, a["token"])
    assert got["billing"] == "off", got
    assert got["plan"] == {"monthly_cents": 20000, "per_booking_cents": 5000, "currency": "usd"}
    assert got["state"] == "active" and got["banner"] is None and got["grace_ends_at"] is None
    assert got["period"] == {"start": "2026-11-19T19:00:00-05:00",
                             "end": "2026-12-19T19:00:00-05:00"}, got["period"]
    assert (got["bookings_billed"], got["reported"], got["bookings_amount_cents"]) == (3, 2, 15000)
    assert got["next_invoice_estimate_cents"] == 20000 + 3 * 5000
    assert got["customer"] is True

    theirs = get_billing(WEB_OFF, b["token"])
    assert theirs["state"] == "none" and theirs["customer"] is False, theirs
    assert (theirs["bookings_billed"], theirs["reported"]) == (1, 0), theirs
    assert theirs["next_invoice_estimate_cents"] is None and theirs["banner"] is None


def test_staff_see_the_same_billing_as_their_owner():
    owner = signup(WEB_OFF)
    _, email, password = add_user(WEB_OFF, owner["token"], role="staff")
    staff_token = login(WEB_OFF, email, password)[2]["token"]
    add_usage(owner["business_id"], "2026-12-01T06:00:00Z")
    assert get_billing(WEB_OFF, staff_token) == get_billing(WEB_OFF, owner["token"])


def test_without_a_stripe_period_the_period_is_the_calendar_month_in_the_business_zone():
    la = signup(WEB_OFF, timezone="America/Los_Angeles")
    ny = signup(WEB_OFF, timezone="America/New_York")
    add_usage(la["business_id"], "2026-11-30T12:00:00Z")    # November in both zones
    add_usage(ny["business_id"], "2026-11-30T12:00:00Z")
    got_la = get_billing(WEB_OFF, la["token"])
    got_ny = get_billing(WEB_OFF, ny["token"])
    assert got_la["period"] == {"start": "2026-11-01T00:00:00-07:00",
                                "end": "2026-12-01T00:00:00-08:00"}, got_la["period"]
    assert got_ny["period"] == {"start": "2026-12-01T00:00:00-05:00",
                                "end": "2027-01-01T00:00:00-05:00"}, got_ny["period"]
    assert (got_la["bookings_billed"], got_ny["bookings_billed"]) == (1, 0)


def test_past_due_shows_the_grace_and_a_banner_and_so_do_unpaid_and_canceled():
    owner = signup(WEB_OFF)
    bid = owner["business_id"]
    set_billing(bid, stripe_customer_id=fake_customer_id(), billing_state="past_due",
                billing_state_at="2026-11-28T00:00:00Z", past_due_since="2026-11-28T15:00:00Z")
    got = get_billing(WEB_OFF, owner["token"])
    assert got["state"] == "past_due", got
    assert got["grace_ends_at"] == "2026-12-05T10:00:00-05:00", got     # 7 days later
    assert "Update your card by December 5, 2026" in got["banner"], got["banner"]
    assert got["next_invoice_estimate_cents"] == 20000

    set_billing(bid, past_due_since="2026-11-20T15:00:00Z")              # grace over at NOW
    got = get_billing(WEB_OFF, owner["token"])
    assert got["state"] == "past_due" and "no longer books" in got["banner"], got

    for state, words in (("unpaid", "unpaid"), ("canceled", "Subscribe again")):
        set_billing(bid, billing_state=state)
        got = get_billing(WEB_OFF, owner["token"])
        assert got["state"] == state and got["grace_ends_at"] is None, got
        assert words in got["banner"] and "no longer books" in got["banner"], got
    assert got["next_invoice_estimate_cents"] is None


def test_billing_off_says_so_in_readyz_and_checkout_and_portal_explain_it():
    status, details = readyz(WEB_OFF)
    assert status == 200 and details["billing"] == "off", details
    owner = signup(WEB_OFF)
    set_billing(owner["business_id"], stripe_customer_id=fake_customer_id())
    for path in ("/api/v1/billing/checkout", "/api/v1/billing/portal"):
        status, headers, got = WEB_OFF.call("POST", path, {}, token=owner["token"])
        assert status == 503, (path, status, got)
        assert headers["content-type"] == "application/problem+json"
        assert "Billing is off" in got["detail"], got


def readyz(web):
    """/readyz once PostgreSQL's probe has had its first round: (status, details)."""
    answers = []

    def is_ready():
        answers.append(http("GET", web.url + "/readyz"))
        return answers[-1][0] == 200
    wait_for(is_ready, timeout=10, what="/readyz 200")
    return answers[-1][0], json.loads(answers[-1][2])


def test_readyz_says_billing_is_on_with_a_key():
    status, details = readyz(web_on())
    assert status == 200 and details["billing"] == "on", details
    owner = signup(web_on())
    assert get_billing(web_on(), owner["token"])["billing"] == "on"


def test_checkout_answers_the_fakes_page_and_stripe_got_one_session_with_both_prices():
    owner = subscribed_owner()
    bid = owner["business_id"]
    status, _, got = web_on().call("POST", "/api/v1/billing/checkout", token=owner["token"])
    assert status == 200, (status, got)
    sessions = [s for s in stripe().state()["checkout_sessions"] if s["customer"] == owner["customer"]]
    assert len(sessions) == 1, sessions
    session = sessions[0]
    assert got == {"url": session["url"]}, (got, session)
    assert session["mode"] == "subscription" and session["client_reference_id"] == bid
    assert session["metadata"] == {"business_id": bid}, session
    assert session["success_url"] == PUBLIC_URL + "/billing?checkout=success", session
    assert session["cancel_url"] == PUBLIC_URL + "/billing?checkout=canceled", session
    sent = [r for r in stripe().requests("/v1/checkout/sessions")
            if r["idempotency_key"].startswith("checkout-" + bid + "-")]
    assert [r["status"] for r in sent] == [200], sent
    # Paying on the page makes the subscription of both prices, for this business.
    stripe().complete_checkout(session["id"])
    subs = [x for x in stripe().state()["subscriptions"] if x["customer"] == owner["customer"]]
    assert len(subs) == 1, subs
    prices = sorted(item["price"]["id"] for item in subs[0]["items"]["data"])
    assert prices == sorted([PRICE_MONTHLY, PRICE_BOOKING]), subs[0]["items"]
    assert subs[0]["metadata"] == {"business_id": bid}, subs[0]
    assert stripe().violations() == []


def test_a_second_click_within_the_minute_gets_the_same_session():
    import time
    owner = subscribed_owner()
    bid = owner["business_id"]
    first_minute = int(time.time()) // 60
    answers = [web_on().call("POST", "/api/v1/billing/checkout", {}, token=owner["token"])
               for _ in range(2)]
    minutes = range(first_minute, int(time.time()) // 60 + 1)
    assert [a[0] for a in answers] == [200, 200], answers
    keys = [r["idempotency_key"] for r in stripe().requests("/v1/checkout/sessions")
            if r["idempotency_key"].startswith("checkout-" + bid)]
    assert len(keys) == 2 and set(keys) <= {f"checkout-{bid}-{m}" for m in minutes}, keys
    if keys[0] == keys[1]:      # not across a minute's turn
        assert answers[0][2] == answers[1][2], answers
        made = [s for s in stripe().state()["checkout_sessions"]
                if s["customer"] == owner["customer"]]
        assert len(made) == 1, made


def test_a_business_with_a_live_subscription_is_sent_to_the_portal_instead():
    owner = subscribed_owner()
    before = len(stripe().requests("/v1/checkout/sessions"))
    # bound by checkout.session.completed before any event moved the state; then active
    for columns in ({"stripe_subscription_id": "sub_" + uuid.uuid4().hex[:14]},
                    {"billing_state": "active"}):
        set_billing(owner["business_id"], **columns)
        status, _, got = web_on().call("POST", "/api/v1/billing/checkout", token=owner["token"])
        assert status == 409 and "billing portal" in got["detail"], (columns, status, got)
    assert len(stripe().requests("/v1/checkout/sessions")) == before
    set_billing(owner["business_id"], billing_state="canceled")       # may subscribe again
    status, _, got = web_on().call("POST", "/api/v1/billing/checkout", token=owner["token"])
    assert status == 200, (status, got)


def test_portal_answers_the_fakes_page_for_the_business_customer():
    owner = subscribed_owner()
    status, _, got = web_on().call("POST", "/api/v1/billing/portal", {}, token=owner["token"])
    assert status == 200, (status, got)
    mine = [s for s in stripe().state()["portal_sessions"] if s["customer"] == owner["customer"]]
    assert len(mine) == 1 and got == {"url": mine[0]["url"]}, (got, mine)
    assert mine[0]["return_url"] == PUBLIC_URL + "/billing", mine[0]
    assert stripe().violations() == []


def test_no_customer_yet_is_409_try_again_and_nothing_reaches_stripe():
    owner = signup(web_on())
    before = len(stripe().requests())
    for path in ("/api/v1/billing/checkout", "/api/v1/billing/portal"):
        status, _, got = web_on().call("POST", path, token=owner["token"])
        assert status == 409, (path, status, got)
        assert "being set up" in got["detail"] and "try again" in got["detail"], got
    assert len(stripe().requests()) == before


def test_staff_get_403_on_checkout_and_portal_and_nothing_reaches_stripe():
    owner = subscribed_owner()
    _, email, password = add_user(web_on(), owner["token"], role="staff")
    staff_token = login(web_on(), email, password)[2]["token"]
    before = len(stripe().requests())
    for path in ("/api/v1/billing/checkout", "/api/v1/billing/portal"):
        status, _, got = web_on().call("POST", path, token=staff_token)
        assert status == 403, (path, status, got)
    assert len(stripe().requests()) == before
    assert get_billing(web_on(), staff_token)["customer"] is True


def test_a_body_field_is_refused_before_stripe_is_asked():
    owner = subscribed_owner()
    before = len(stripe().requests())
    status, _, got = web_on().call("POST", "/api/v1/billing/checkout",
                                   {"success_url": "https://evil.test/"}, token=owner["token"])
    assert status == 422 and got["errors"][0]["path"] == "success_url", got
    assert len(stripe().requests()) == before


def test_stripe_failing_is_a_502_that_tells_no_secret():
    owner = subscribed_owner()
    fake = stripe()
    fake.fault("/v1/checkout/sessions", "500", count=2)
    try:
        status, headers, got = web_on().call("POST", "/api/v1/billing/checkout",
                                             token=owner["token"])
    finally:
        fake.clear_faults()
    assert status == 502, (status, got)
    assert headers["content-type"] == "application/problem+json"
    assert set(got) == {"type", "title", "status", "detail"}, got
    assert "nothing was charged" in got["detail"], got
    text = json.dumps(got)
    assert fake.secret_key not in text and "sk_" not in text and "Stripe-" not in text, text
    tried = [r for r in fake.requests("/v1/checkout/sessions")
             if r["idempotency_key"].startswith("checkout-" + owner["business_id"])]
    assert [r["status"] for r in tried] == [500, 500], tried        # one retry, same key
    assert len({r["idempotency_key"] for r in tried}) == 1, tried
    assert fake.secret_key not in web_on().output()


def test_a_429_is_asked_again_with_the_same_key_and_the_owner_never_sees_it():
    owner = subscribed_owner()
    fake = stripe()
    fake.fault("/v1/billing_portal/sessions", "429", count=1)
    try:
        status, _, got = web_on().call("POST", "/api/v1/billing/portal", token=owner["token"])
    finally:
        fake.clear_faults()
    assert status == 200 and got["url"].startswith("http"), (status, got)
    mine = [s for s in fake.state()["portal_sessions"] if s["customer"] == owner["customer"]]
    assert len(mine) == 1, mine
    assert fake.violations() == []


def test_an_answer_lost_after_stripe_made_the_session_is_asked_again_and_answers_that_one():
    owner = subscribed_owner()
    fake = stripe()
    fake.fault("/v1/checkout/sessions", "timeout", count=1)
    try:
        status, _, got = web_on().call("POST", "/api/v1/billing/checkout", token=owner["token"])
    finally:
        fake.clear_faults()
    assert status == 200, (status, got)
    made = [s for s in fake.state()["checkout_sessions"] if s["customer"] == owner["customer"]]
    assert len(made) == 1 and got == {"url": made[0]["url"]}, (got, made)
    tried = [r for r in fake.requests("/v1/checkout/sessions")
             if r["idempotency_key"].startswith("checkout-" + owner["business_id"])]
    assert len(tried) == 2 and len({r["idempotency_key"] for r in tried}) == 1, tried


def test_sigterm_while_stripe_holds_a_request_finishes_it_and_exits_zero():
    import signal
    import threading
    import time
    owner = subscribed_owner()
    web = Web(E, FRONTDESK_PUBLIC_URL=PUBLIC_URL, **stripe().env())
    path = "/v1/billing_portal/sessions"
    before = len(stripe().requests(path))
    stripe().fault(path, "timeout", count=1)
    answers = []

    def click():
        try:
            answers.append(web.call("POST", "/api/v1/billing/portal", token=owner["token"]))
        except Exception as err:        # reported by the assertion below
            answers.append(err)
    try:
        t = threading.Thread(target=click)
        t.start()
        wait_for(lambda: len(stripe().requests(path)) > before, timeout=10,
                 what="the request held by Stripe")
        started = time.monotonic()
        assert web.stop(signal.SIGTERM) == 0
        t.join(30)
    finally:
        stripe().clear_faults()
    assert time.monotonic() - started < 10
    assert len(answers) == 1 and answers[0][0] == 200, answers    # the retry's replay


def test_every_billing_answer_was_checked_against_the_document():
    from openapi_check import CHECK
    seen = {(m, t, s) for m, t, s in CHECK.checked if t.startswith("/api/v1/billing")}
    want = {("GET", "/api/v1/billing", 200)}
    for path in ("/api/v1/billing/checkout", "/api/v1/billing/portal"):
        want |= {("POST", path, s) for s in (200, 403, 409, 503)}
    want |= {("POST", "/api/v1/billing/checkout", s) for s in (422, 502)}
    assert want <= seen, sorted(want - seen)


def test_nothing_sent_to_stripe_broke_its_rules():
    assert len(stripe().requests()) >= 10
    assert stripe().violations() == []
