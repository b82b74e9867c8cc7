"""A business's billing state drives what its receptionist does (docs/billing.md,
"States"): Stripe's events, put on the business's stream as frontdesk-api puts them
(type stripe.<type>, call "billing", body {"event": <raw JSON>}), are applied by the
real worker into stripe_events through the outbox, and simulated calls (the Telnyx
simulator) show what a caller hears. Redis is private, PostgreSQL the run's, the
receptionist's clock pinned to Tuesday March 3rd 2026, 10:00 in New York.

What a business owner and a caller would check: unpaid takes a message instead of a
booking; past_due books within the grace and not past it (the clock moved); the owner
is texted once when a payment fails; an older event after a newer one and a replayed
event change nothing; back to active books on the next call; another business never
moves with these events; a malformed event is dead-lettered and the worker goes on; a
text asking to book is answered without a booking; in model mode nothing is booked
whatever the model asks; and the fake Stripe's signed webhooks, through the real api,
move the receptionist the same way."""
import calendar
import json
import os
import time
import uuid

import msgpack

from harness import ROOT, env, pg_rows, random_number, start_api, wait_for
from llmhelp import FakeModel
from stripehelp import FakeStripe
from rxhelp import ClockStack, example, variant
from workerhelp import shard, stream_done, tkey

E = env()
NOW = "2026-03-03T15:00:00Z"                      # Tuesday 10:00 in New York
NOW_S = calendar.timegm(time.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ"))
DAY_S = 86400
# Eight days on: a past_due that began a day before NOW is past the 7 days of grace.
LATER = "2026-03-10T15:00:00Z"
OWNER_SMS = "+12015550199"                        # docs/examples/dental-clinic.json's owner_sms
STACK = ClockStack(E, NOW, workers=1, FRONTDESK_SILENCE_MS=800, FRONTDESK_MAX_DELIVERIES=2)
SIM = STACK.sim
R = STACK.redis()
with open(os.path.join(ROOT, "lua", "enqueue_event.lua")) as f:
    ENQUEUE = R.register_script(f.read())

BOOK = ("I'd like to book a cleaning tomorrow at 10 in the morning", "Jane Doe", "yes please",
        "no that's all, bye")
DECLINED = "can't book appointments today"


def dental(name):
    """A business on docs/examples/dental-clinic.json with room for several bookings a
    slot; returns (business id, number, its Stripe customer id)."""
    bid, number = STACK.business(variant(example("dental-clinic"), business_name=name,
                                         booking__capacity_per_slot=8))
    return bid, number, "cus_" + uuid.uuid4().hex[:14]


def enqueue(bid, fields, r=R):
    keys = [f"fd:{{s{shard(bid):03d}}}:t:{bid}:seen:{fields['eid']}", tkey(bid, "events"),
            f"fd:{{s{shard(bid):03d}}}:ready", tkey(bid, "lease")]
    return ENQUEUE(keys=keys, client=r, args=[bid, int(time.time() * 1000), 86400, fields["type"], fields["eid"],
                                    fields["call"], fields["at"], fields["body"]])


def stripe_event(bid, type_, obj, created, evt=None, r=R):
    """Puts one of Stripe's events on the business's stream as frontdesk-api does;
    returns its id."""
    evt = evt or "evt_" + uuid.uuid4().hex[:24]
    event = {"id": evt, "object": "event", "api_version": "2026-07-29.dahlia", "created": created,
             "type": type_, "data": {"object": obj}, "livemode": False, "pending_webhooks": 1,
             "request": {"id": None, "idempotency_key": None}}
    entry = enqueue(bid, {"type": "stripe." + type_, "eid": "stripe:" + evt, "call": "billing",
                          "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                          "body": msgpack.packb({"event": json.dumps(event)})}, r)
    assert entry, "the event was refused as seen before"
    return evt


def subscription(bid, customer, status, created, sub="sub_A1", r=R):
    obj = {"id": sub, "object": "subscription", "customer": customer, "status": status,
           "metadata": {"business_id": bid},
           "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item",
                                                 "current_period_start": NOW_S - 2 * DAY_S,
                                                 "current_period_end": NOW_S + 28 * DAY_S,
                                                 "price": {"id": "price_monthly"}}]}}
    return stripe_event(bid, "customer.subscription.updated", obj, created, r=r)


def invoice(bid, customer, type_, created):
    obj = {"id": "in_" + uuid.uuid4().hex[:12], "object": "invoice", "customer": customer,
           "parent": {"type": "subscription_details", "subscription_details": {"subscription": "sub_A1"}},
           "status": "paid" if type_ == "invoice.paid" else "open", "amount_due": 20000}
    return stripe_event(bid, type_, obj, created)


def billing_of(bid):
    return pg_rows(E, "SELECT billing_state, stripe_customer_id, stripe_subscription_id, "
                      "(extract(epoch FROM past_due_since))::bigint, "
                      "(extract(epoch FROM billing_period_end))::bigint "
                      "FROM businesses WHERE id = %s", bid)[0]


def event_rows(bid, evt):
    return pg_rows(E, "SELECT type, state FROM stripe_events WHERE business_id = %s AND id = %s", bid, evt)


def applied(bid, evt, state, r=R):
    """Waits until the event's row is in PostgreSQL and the worker has loaded the
    business's state again (its cached configuration in Redis says state)."""
    wait_for(lambda: event_rows(bid, evt), what=f"stripe_events row {evt}")
    wait_for(lambda: r.hget(tkey(bid, "agent"), "billing_state") == state.encode(),
             what=f"the worker's cached state {state}")
    assert billing_of(bid)[0] == state


def settled(bid):
    """Everything on the business's stream handled and its outbox drained, and the
    worker's reload after it done."""
    wait_for(lambda: stream_done(R, bid) and R.xlen(tkey(bid, "outbox")) == 0, what="stream and outbox done")
    time.sleep(0.5)       # the worker's reload follows the drain within a tick


def call(number, caller, *utterances, timeout=40):
    cid = SIM.call(number, caller, [{"say": u} for u in utterances])
    rec = SIM.wait_ended(cid, timeout=timeout)
    return [" ".join(t["text"].split()) for t in rec["transcript"] if t["speaker"] == "agent"]


def bookings_of(bid, caller):
    return pg_rows(E, "SELECT service FROM bookings WHERE business_id = %s AND caller_number = %s "
                      "AND status = 'booked'", bid, caller)


def books(bid, number):
    caller = random_number()
    lines = call(number, caller, *BOOK)
    assert any("booked" in l.lower() for l in lines), lines
    assert not any(DECLINED in l for l in lines), lines
    wait_for(lambda: bookings_of(bid, caller) == [("Cleaning",)], what="the booking recorded")


def declines_and_takes_a_message(bid, number):
    caller = random_number()
    lines = call(number, caller, BOOK[0], "yes please", "Jane Doe", "yes",
                 "please call me about a cleaning", "bye")
    assert any(DECLINED in l for l in lines), lines
    assert not any("booked" in l.lower() for l in lines), lines
    wait_for(lambda: pg_rows(E, "SELECT caller_name, callback_number FROM messages "
                                "WHERE business_id = %s AND callback_number = %s", bid, caller),
             what="the message recorded")
    time.sleep(0.5)
    assert bookings_of(bid, caller) == []


def owner_texts(number):
    return [m["text"] for m in SIM.texts_from(number) if m["to"] == OWNER_SMS and "payment failed" in m["text"]]


def test_an_unpaid_business_takes_a_message_instead_of_a_booking():
    bid, number, cus = dental("Unpaid Dental")
    books(bid, number)                                       # state none: everything
    evt = subscription(bid, cus, "unpaid", NOW_S - 60)
    applied(bid, evt, "unpaid")
    state, customer, sub, _, period_end = billing_of(bid)
    assert (customer, sub, period_end) == (cus, "sub_A1", NOW_S + 28 * DAY_S)
    assert event_rows(bid, evt) == [("customer.subscription.updated", "unpaid")]
    declines_and_takes_a_message(bid, number)
    usage = pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", bid)[0][0]
    assert usage == 1                                        # only the booking made before


def test_past_due_within_the_grace_books_and_the_owner_is_texted_once():
    bid, number, cus = dental("Late Dental")
    evt = invoice(bid, cus, "invoice.payment_failed", NOW_S - DAY_S)
    applied(bid, evt, "past_due")
    assert billing_of(bid)[3] == NOW_S - DAY_S               # past due since the failure
    books(bid, number)
    texts = wait_for(lambda: owner_texts(number), what="the owner's payment-failed text")
    # the grace ends 7 days after the failure: Monday March 9th
    assert texts == ["Your frontdesk payment failed; your receptionist keeps booking until "
                     "Monday, March 9th. Update your card in the dashboard."], texts
    # Stripe's other events of the same failure, and the next retry's, text nobody again
    evt2 = subscription(bid, cus, "past_due", NOW_S - DAY_S + 5)
    evt3 = invoice(bid, cus, "invoice.payment_failed", NOW_S - 60)
    for e in (evt2, evt3):
        wait_for(lambda: event_rows(bid, e), what=f"stripe_events row {e}")
    settled(bid)
    time.sleep(1.5)
    assert len(owner_texts(number)) == 1
    assert billing_of(bid)[3] == NOW_S - DAY_S               # the episode's start kept


def test_an_older_event_after_a_newer_one_changes_nothing():
    bid, number, cus = dental("Ordered Dental")
    newer = invoice(bid, cus, "invoice.paid", NOW_S - 60)
    applied(bid, newer, "active")
    older = subscription(bid, cus, "canceled", NOW_S - 3600)   # sent earlier, arrives later
    wait_for(lambda: event_rows(bid, older), what="the older event's row")
    settled(bid)
    assert event_rows(bid, older) == [("customer.subscription.updated", "canceled")]   # recorded
    assert billing_of(bid)[0] == "active"
    books(bid, number)


def test_a_replayed_event_changes_nothing():
    bid, number, cus = dental("Replayed Dental")
    canceled = subscription(bid, cus, "canceled", NOW_S - 3600)
    applied(bid, canceled, "canceled")
    paid = invoice(bid, cus, "invoice.paid", NOW_S - 60)
    applied(bid, paid, "active")
    # the same event once more, after the api's memory of it lapsed
    R.delete(f"fd:{{s{shard(bid):03d}}}:t:{bid}:seen:stripe:{canceled}")
    obj = {"id": "sub_A1", "object": "subscription", "customer": cus, "status": "canceled",
           "items": {"object": "list", "data": []}}
    stripe_event(bid, "customer.subscription.updated", obj, NOW_S - 3600, evt=canceled)
    settled(bid)          # the drain took the replay as a row that exists: nothing left over
    assert R.xlen(tkey(bid, "dead")) == 0
    assert pg_rows(E, "SELECT count(*) FROM stripe_events WHERE id = %s", canceled)[0][0] == 1
    assert billing_of(bid)[0] == "active"
    books(bid, number)


def test_back_to_active_books_on_the_next_call():
    bid, number, cus = dental("Recovered Dental")
    evt = subscription(bid, cus, "canceled", NOW_S - 600)
    applied(bid, evt, "canceled")
    declines_and_takes_a_message(bid, number)
    evt = subscription(bid, cus, "active", NOW_S - 60)
    applied(bid, evt, "active")
    assert billing_of(bid)[3] is None
    books(bid, number)


def test_another_business_never_moves_with_these_events():
    a, number_a, cus_a = dental("Dental A")
    b, number_b, _ = dental("Dental B")
    evt = subscription(a, cus_a, "unpaid", NOW_S - 60)
    applied(a, evt, "unpaid")
    assert billing_of(b) == ("none", None, None, None, None)
    assert pg_rows(E, "SELECT count(*) FROM stripe_events WHERE business_id = %s", b)[0][0] == 0
    assert pg_rows(E, "SELECT business_id::text FROM stripe_events WHERE id = %s", evt) == [(a,)]
    books(b, number_b)
    declines_and_takes_a_message(a, number_a)


def test_a_text_asking_an_unpaid_business_to_book_is_answered_without_a_booking():
    bid, number, cus = dental("Texted Dental")
    evt = subscription(bid, cus, "unpaid", NOW_S - 60)
    applied(bid, evt, "unpaid")
    caller = random_number()
    SIM.post("/_sim/messages", {"from": caller, "to": number,
                                "text": "Hi, can I book a cleaning tomorrow at 10am? My name is Ann Lee"})
    got = wait_for(lambda: [m["text"] for m in SIM.texts_from(number) if m["to"] == caller],
                   what="the receptionist's answer")
    assert any(DECLINED in t for t in got), got
    assert not any("Reply YES" in t for t in got), got
    time.sleep(1)
    assert bookings_of(bid, caller) == []


def test_a_malformed_event_is_dead_lettered_and_the_next_one_applies():
    bid, number, cus = dental("Poisoned Dental")
    for body in (msgpack.packb({"event": "{not json"}), msgpack.packb({"other": 1}), b"\xc1"):
        enqueue(bid, {"type": "stripe.invoice.paid", "eid": "stripe:evt_bad" + uuid.uuid4().hex[:8],
                      "call": "billing", "at": NOW, "body": body})
    evt = subscription(bid, cus, "unpaid", NOW_S - 60)
    applied(bid, evt, "unpaid")
    wait_for(lambda: R.xlen(tkey(bid, "dead")) == 3, timeout=30, what="three dead-lettered events")
    assert STACK.workers[0].p.poll() is None                 # the worker lives on
    assert pg_rows(E, "SELECT count(*) FROM stripe_events WHERE business_id = %s", bid)[0][0] == 1


def test_the_fake_stripes_signed_webhooks_through_the_api_move_the_receptionist():
    fake = FakeStripe()
    api = start_api(E, FRONTDESK_REDIS_URL=STACK.redis_svc.redis_url,
                    FRONTDESK_STRIPE_WEBHOOK_SECRET=fake.webhook_secret)
    try:
        fake.webhook_to(api.url + "/webhooks/stripe")
        bid, number, _ = dental("Webhook Dental")
        status, _, customer = fake.call("POST", "/v1/customers",
                                        {"name": "Webhook Dental", "email": "owner@example.com",
                                         "metadata": {"business_id": bid}}, idempotency_key="signup-" + bid)
        assert status == 200, customer
        R.hset("fd:stripe:customers", customer["id"], bid)    # what the customer job stores
        failed = fake.event("invoice.payment_failed", customer=customer["id"])
        assert failed["status"] == 200, failed
        applied(bid, failed["id"], "past_due")
        assert billing_of(bid)[1] == customer["id"]
        wait_for(lambda: owner_texts(number), what="the owner's payment-failed text")
        gone = fake.event("customer.deleted", customer=customer["id"])
        assert gone["status"] == 200, gone
        applied(bid, gone["id"], "canceled")
        declines_and_takes_a_message(bid, number)
        assert fake.violations() == []
    finally:
        assert api.stop() == 0
        fake.stop()


def test_in_model_mode_a_canceled_business_books_nothing_whatever_the_model_asks():
    name = "Model Dental"
    llm = FakeModel()
    stack = ClockStack(E, NOW, workers=1, **llm.worker_env(2000))
    try:
        bid, number = stack.business(variant(example("dental-clinic"), business_name=name,
                                             greeting=f"Thank you for calling {name}."))
        r = stack.redis()
        evt = subscription(bid, "cus_" + uuid.uuid4().hex[:14], "canceled", NOW_S - 60, r=r)
        applied(bid, evt, "canceled", r=r)
        llm.script_for(name, [
            {"tool_calls": [{"name": "book", "arguments": {"service": "Cleaning", "day": "2026-03-04",
                                                           "time": "10:00", "caller_name": "Jane Roe"}}]},
            {"reply": "I'm sorry, I can't book that today, but I can take a message."},
            {"reply": "Thank you for calling, goodbye!", "tool_calls": [{"name": "end_call", "arguments": {}}]},
        ])
        caller = random_number()
        cid = stack.sim.call(number, caller, [{"say": "Book me a cleaning tomorrow at ten, I'm Jane Roe"},
                                              {"say": "ok, bye"}])
        stack.sim.wait_ended(cid, timeout=40)
        reqs = llm.requests_of(name)
        assert reqs and all(q["valid"] for q in reqs), reqs
        prompt = reqs[0]["body"]["messages"][0]["content"]
        assert "cannot take new bookings today; do not call check_availability or book" in prompt, prompt
        # the book the model asked for came back refused, and nothing was booked
        results = [m for m in reqs[1]["body"]["messages"] if m.get("role") == "tool"]
        assert len(results) == 1 and json.loads(results[0]["content"])["booked"] is False, results
        time.sleep(1)
        assert bookings_of(bid, caller) == []
        assert pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", bid)[0][0] == 0
    finally:
        stack.stop()
        llm.stop()


def test_past_due_past_the_grace_takes_no_booking_once_the_clock_moves():
    bid, number, cus = dental("Overdue Dental")
    evt = invoice(bid, cus, "invoice.payment_failed", NOW_S - DAY_S)
    applied(bid, evt, "past_due")
    books(bid, number)
    # the same business eight days on: past the 7 days of grace, read as unpaid
    old = STACK.workers.pop()
    STACK.stack.workers.remove(old)
    assert old.stop() == 0
    later = STACK.stack.worker("rx-later", **dict(STACK.worker_env, FRONTDESK_NOW=LATER))
    try:
        declines_and_takes_a_message(bid, number)
        assert billing_of(bid)[0] == "past_due"              # the state is Stripe's; the grace is ours
    finally:
        STACK.stack.workers.remove(later)
        assert later.stop() == 0
        STACK.add_worker("rx-again")


def test_processes_stop_cleanly_with_no_error_logged():
    assert set(STACK.stop().values()) == {0}
