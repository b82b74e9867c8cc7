"""The owner API's billing (GET /api/v1/billing, POST /api/v1/billing/checkout and
/portal) with the real frontdesk-web, PostgreSQL and the fake Stripe (tests/sim/
fake_stripe.py): what the business is shown comes from its own rows only, and what the
owner's clicks send Stripe is one valid session each, with the plan's two prices. The
billing state, customer and usage are seeded straight into PostgreSQL, as the worker's
billing job and Stripe's webhooks would leave them."""
import json
import re
import uuid

from harness import env, http, pg_rows
from webhelp import Web, add_user, login, signup

E = env()
KEY = "sk_test_" + uuid.uuid4().hex
PRICE_MONTHLY = "price_monthly200"
PRICE_BOOKING = "price_booking50"
NOW = "2026-12-01T05:00:00Z"        # still November in Los Angeles, December in New York

WEB_OFF = Web(E, FRONTDESK_NOW=NOW)
_on = {}


def stripe():
    """The fake Stripe, started once for the file."""
    if "fake" not in _on:
        import stripehelp
        _on["fake"] = stripehelp.FakeStripe(secret_key=KEY)
    return _on["fake"]


def web_on():
    """frontdesk-web with billing on, talking to the fake Stripe."""
    if "web" not in _on:
        _on["web"] = Web(E, FRONTDESK_NOW=NOW, FRONTDESK_STRIPE_SECRET_KEY=KEY,
                         FRONTDESK_STRIPE_API_URL=stripe().url,
                         FRONTDESK_STRIPE_PRICE_MONTHLY=PRICE_MONTHLY,
                         FRONTDESK_STRIPE_PRICE_BOOKING=PRICE_BOOKING,
                         FRONTDESK_PUBLIC_URL="https://app.frontdesk.test")
    return _on["web"]


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
    status, _, raw = http("GET", WEB_OFF.url + "/readyz")
    assert status == 200 and json.loads(raw)["billing"] == "off", raw
    owner = signup(WEB_OFF)
    set_billing(owner["business_id"], stripe_customer_id=fake_customer_id())
    for path in ("/api/v1/billing/checkout", "/api/v1/billing/portal"):
        status, headers, got = WEB_OFF.call("POST", path, {}, token=owner["token"])
        assert status == 503, (path, status, got)
        assert headers["content-type"] == "application/problem+json"
        assert "Billing is off" in got["detail"], got
