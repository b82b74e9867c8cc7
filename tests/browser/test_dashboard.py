"""The owner's dashboard in a real browser (Debian's Chromium driven by playwright-core,
journeys.mjs) against the real frontdesk-web, api, worker, Telnyx simulator, Redis and
PostgreSQL. Two businesses sign up through the API, each with its receptionist and a
call placed through the simulator that books (and the first with older calls written
straight into PostgreSQL, for paging); a third signs up in the browser and watches its
number being bought by the worker from the simulator. Each
journey is one test: it fails on anything a user would notice, a serious or critical
axe-core finding, a page wider than the screen, or an error the page logs (a script
error or a Content-Security-Policy refusal). Screenshots: build/screenshots/."""
import datetime
import json
import subprocess
import uuid
import zlib
from zoneinfo import ZoneInfo

from dashhelp import Dashboard, display
from harness import ROOT, env, wait_for
from rxhelp import example
from stripehelp import FakeStripe
from webapi import sign_up
from webhelp import Web, add_user

E = env()
DASH = Dashboard("journeys.mjs")
STACK, SIM, WEB, PG = DASH.stack, DASH.sim, DASH.web, DASH.pg
rows, journey = DASH.rows, DASH.journey




class Business:
    """Signed up through the API, a number routed to it, a receptionist open around the
    clock, and one call that books a cleaning under the caller's name."""

    def __init__(self, name, zone, caller, caller_name):
        self.client, self.signed, self.number = DASH.sign_up(name, zone)
        self.id = self.signed["business_id"]
        self.email, self.password = self.signed["email"], self.signed["password"]
        doc = example("dental-clinic")
        doc.update(business_name=name, timezone=zone, closures=[])
        doc["hours"] = {d: [{"open": "00:00", "close": "24:00"}]
                        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        doc["booking"].update(lead_time_minutes=0, capacity_per_slot=5)
        doc["notifications"] = {"on": []}
        status, body = self.client.put("/api/v1/agent", doc)
        assert status == 200, (status, body)
        self.caller, self.caller_name = caller, caller_name
        self.said = ["How much is a teeth cleaning?",
                     "OK, I'd like to book one tomorrow at 10 in the morning"]

    def place_booking_call(self):
        self.call_id = SIM.call(self.number, self.caller, [{"say": s} for s in self.said + [
            self.caller_name, "yes please", "no that's all, bye"]])


A = Business("Alma Dental", "America/New_York", "+15550007101", "Alma Quist")
B = Business("Boris Dental", "America/Chicago", "+15550007102", "Boris Kline")
# Its booking is the one the Bookings journey cancels; A's and B's stay booked for theirs.
D = Business("Dora Dental", "America/New_York", "+15550007104", "Dora Lind")
# Started once A and B no longer ask for a number; it buys the browser's sign-up one.
WORKER = STACK.worker("dashboard", FRONTDESK_SILENCE_MS="800",
                      FRONTDESK_TELNYX_CONNECTION_ID="1494404757140276705",
                      FRONTDESK_TELNYX_MESSAGING_PROFILE_ID="40017a2f-1b7e-4a3c-9c3e-2f7d0f9e1a55")
for b in (A, B, D):
    b.place_booking_call()
for b in (A, B, D):
    SIM.wait_ended(b.call_id, timeout=90)
wait_for(lambda: rows("SELECT count(*) FROM bookings WHERE business_id IN (%s, %s, %s)", A.id, B.id, D.id)[0][0] == 3
         and rows("SELECT count(*) FROM call_logs WHERE business_id IN (%s, %s, %s)", A.id, B.id, D.id)[0][0] == 3,
         timeout=60, what="the three calls' logs and bookings")
A_CALL_ID = rows("SELECT id::text FROM call_logs WHERE business_id = %s", A.id)[0][0]
OLDER_CALLS = 40        # more than a page of the Calls list


def write_older_calls():
    """OLDER_CALLS calls of A three days ago, answered and missed in turn."""
    with PG.cursor() as cur:
        for i in range(OLDER_CALLS):
            cid = str(uuid.uuid4())
            cur.execute("INSERT INTO call_logs (id, business_id, call_control_id, direction, started_at, "
                        "ended_at, duration_s, from_number, to_number, outcome) VALUES (%s, %s, %s, "
                        "'incoming', now() - interval '3 days' - %s * interval '1 minute', "
                        "now() - interval '3 days' - %s * interval '1 minute' + interval '1 minute', "
                        "60, '+15550009999', %s, %s)",
                        (cid, A.id, "older-" + cid, i, i, A.number, ("answered_by_agent", "missed")[i % 2]))


write_older_calls()




def test_a_business_signs_up_in_the_browser_and_sees_its_number_once_bought():
    email = f"browser-{uuid.uuid4().hex[:10]}@example.com"
    journey("signup", business_name="Cora Bakery " + uuid.uuid4().hex[:4], email=email,
            password="a long password 1", timezone="America/Denver", area_code="303")
    got = rows("SELECT b.timezone, r.area_code FROM users u JOIN businesses b ON b.id = u.business_id "
               "JOIN number_requests r ON r.business_id = b.id WHERE u.email = %s", email)
    assert got == [("America/Denver", "303")], got


def test_today_shows_the_call_and_its_booking():
    journey("today", email=A.email, password=A.password, caller_display=display(A.caller),
            number_display=display(A.number))


def test_a_call_opens_to_its_transcript_and_booking():
    journey("transcript", email=A.email, password=A.password, caller_said=A.said, service="Cleaning")


def test_the_calls_list_pages_as_it_scrolls_and_filters_by_outcome_and_lead_score():
    journey("paging", email=A.email, password=A.password, total=OLDER_CALLS + 1,
            missed=OLDER_CALLS // 2)


def test_business_b_owner_never_sees_a_word_of_a():
    journey("isolation", email=B.email, password=B.password, other_call_id=A_CALL_ID,
            forbidden=[A.caller_name, "Quist", display(A.caller), display(A.number), "Alma"])


def test_a_call_that_books_while_today_is_open_shows_without_a_reload():
    caller, name = "+15550007103", "Cleo Ruiz"
    args = {"url": WEB.url, "email": B.email, "password": B.password, "caller_display": display(caller),
            "caller_name": name, "bookings": 2}
    p = subprocess.Popen(["node", DASH.journeys, "live", json.dumps(args)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert line.strip() == "watching", line + p.stderr.read()
        call = SIM.call(B.number, caller, [{"say": s} for s in B.said + [name, "yes please", "bye"]])
        SIM.wait_ended(call, timeout=90)
        out, err = p.communicate(timeout=180)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 0 and "ok live" in out, (out + err)[-3000:]


def test_logout_and_a_lost_session_go_to_the_login_page():
    journey("logout", email=A.email, password=A.password)


def slots_holding(business_id, booking_id):
    """The Redis slots (lib/store/tenant_keys.h: 64 shards) in which the booking holds a place."""
    r = E.redis()
    pattern = f"fd:{{s{zlib.crc32(business_id.encode()) % 64:03d}}}:t:{business_id}:slot:*"
    return sorted(k for k in r.scan_iter(match=pattern) if r.hexists(k, booking_id))


def test_bookings_week_shows_the_calls_booking_and_cancelling_it_frees_its_place():
    [(booking_id, starts)] = rows("SELECT id::text, starts_at FROM bookings WHERE business_id = %s", D.id)
    local = starts.astimezone(ZoneInfo("America/New_York"))
    today = datetime.datetime.now(ZoneInfo("America/New_York")).date()
    monday = lambda d: d - datetime.timedelta(days=d.weekday())
    held = slots_holding(D.id, booking_id)
    assert len(held) == 2, held             # a 60-minute cleaning on 30-minute slots
    # The week's hours, now the booking is made: 8 to 6, one weekday closed and one
    # other day a closure, neither the booking's.
    week = [monday(local.date()) + datetime.timedelta(days=i) for i in range(7)]
    closed, closure = [d for d in week if d != local.date()][:2]
    doc = D.client.get_ok("/api/v1/agent")["config"]
    doc["hours"] = {k: [] if i == closed.weekday() else [{"open": "08:00", "close": "18:00"}]
                    for i, k in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
    doc["closures"] = [{"date": closure.isoformat(), "reason": "Staff training"}]
    status, body = D.client.put("/api/v1/agent", doc)
    assert status == 200, (status, body)
    day_hours = {d.isoformat(): "Open 8:00 AM–6:00 PM" for d in week}
    day_hours.update({closed.isoformat(): "Closed", closure.isoformat(): "Closed: Staff training"})
    journey("bookings", email=D.email, password=D.password, booking_id=booking_id,
            date=local.date().isoformat(), time=local.strftime("%-I:%M %p"), service="Cleaning",
            caller_name=D.caller_name, weeks_ahead=(monday(local.date()) - monday(today)).days // 7,
            day_hours=day_hours, open_days=5, capacity=5)
    assert rows("SELECT status FROM bookings WHERE id = %s", booking_id) == [("cancelled",)]
    assert slots_holding(D.id, booking_id) == []        # its place is free again


def test_billing_off_says_so_and_offers_nothing_to_pay():
    journey("billing-off", email=A.email, password=A.password)


CHECKOUT_PAGES = "https://checkout.stripe.test/c/pay/"      # tests/sim/stripe_objects.py
PORTAL_PAGES = "https://billing.stripe.test/p/session/"


def test_the_owner_subscribes_through_stripe_checkout_then_manages_billing_and_staff_see_no_buttons():
    fake = FakeStripe()
    web = Web(E, **fake.env())
    STACK.procs.append(web)
    owner, signed = sign_up(web, "Elm Dental " + uuid.uuid4().hex[:4])
    bid = signed["business_id"]
    status, _, customer = fake.call("POST", "/v1/customers", {"name": "Elm", "metadata": {"business_id": bid}},
                                    idempotency_key="signup-" + bid)
    assert status == 200, (status, customer)
    rows("UPDATE businesses SET stripe_customer_id = %s WHERE id = %s RETURNING id", customer["id"], bid)
    out = journey("billing-subscribe", url=web.url, email=signed["email"], password=signed["password"],
                  state="Not subscribed", button="Subscribe", other_button="Manage billing",
                  stripe_pages=CHECKOUT_PAGES, figures={"next-invoice": "—", "bookings-billed": "0"},
                  back="canceled", back_says="Checkout was cancelled; nothing was charged.")
    sessions = [x for x in fake.state()["checkout_sessions"] if x["customer"] == customer["id"]]
    assert len(sessions) == 1 and f"stripe {sessions[0]['url']}" in out, (sessions, out)
    assert sessions[0]["client_reference_id"] == bid

    # Subscribed, with two bookings billed this period: the portal instead.
    rows("UPDATE businesses SET billing_state = 'active', stripe_subscription_id = %s WHERE id = %s "
         "RETURNING id", "sub_" + uuid.uuid4().hex[:14], bid)
    for _ in range(2):
        rows("INSERT INTO usage_events (id, business_id, booking_id, occurred_at) VALUES (%s, %s, %s, now()) "
             "RETURNING id", str(uuid.uuid4()), bid, str(uuid.uuid4()))
    out = journey("billing-subscribe", url=web.url, email=signed["email"], password=signed["password"],
                  state="Active", button="Manage billing", other_button="Subscribe", stripe_pages=PORTAL_PAGES,
                  figures={"bookings-billed": "2", "bookings-amount": "$100.00", "next-invoice": "$300.00"})
    portals = [x for x in fake.state()["portal_sessions"] if x["customer"] == customer["id"]]
    assert len(portals) == 1 and f"stripe {portals[0]['url']}" in out, (portals, out)

    # Payment overdue: staff read the API's banner, and have no button to pay.
    rows("UPDATE businesses SET billing_state = 'past_due', past_due_since = now() WHERE id = %s "
         "RETURNING id", bid)
    status, banner = owner.get("/api/v1/billing")
    assert status == 200 and banner["banner"], (status, banner)
    _, email, password = add_user(web, signed["token"], role="staff")
    journey("billing-staff", url=web.url, email=email, password=password, banner=banner["banner"])
