"""The fake Stripe's account: customers, Checkout and portal sessions, subscriptions,
meter events, invoice items and invoices, made and changed the way Stripe makes and
changes them, each object a valid instance of its schema in the extract (built on
StripeSchema.skeleton, then filled in). Every method runs under one lock held by the
caller (fake_stripe.py); nothing here does I/O. Requests come in already decoded and
checked against the extract; an answer is (status, body)."""
import copy
import secrets
import time

MONTH_S = 30 * 24 * 3600
CHECKOUT_URL = "https://checkout.stripe.test/c/pay/"
PORTAL_URL = "https://billing.stripe.test/p/session/"
INVOICE_URL = "https://invoice.stripe.test/i/"
PLAN_CENTS = 20000      # the plan of docs/billing.md; the fake's prices are names only
BOOKING_CENTS = 5000


ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
TEST_MODE_PREFIXES = ("cs", "bps")     # Stripe marks these ids with _test_ in test mode


def new_id(prefix):
    """An id shaped like Stripe's: cus_ and 24 letters and digits (cs_test_... for a
    Checkout session)."""
    tail = "".join(secrets.choice(ID_CHARS) for _ in range(24))
    return "%s_test_%s" % (prefix, tail) if prefix in TEST_MODE_PREFIXES else "%s_%s" % (prefix, tail)


def stripe_error(kind, message, code=None, param=None):
    """Stripe's error body (schema `error`)."""
    err = {"type": kind, "message": message}
    if code:
        err["code"] = code
    if param:
        err["param"] = param
    return {"error": err}


def no_such(kind, ident, param):
    return 400, stripe_error("invalid_request_error", "No such %s: '%s'" % (kind, ident),
                             "resource_missing", param)


def merge(into, overrides):
    """overrides laid over into, nested dicts merged, everything else replaced."""
    for k, v in overrides.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            merge(into[k], v)
        else:
            into[k] = copy.deepcopy(v)
    return into


class Account:
    """One Stripe account in test mode."""

    def __init__(self, schema):
        self.schema = schema
        self.customers = {}
        self.checkout_sessions = {}
        self.portal_sessions = {}
        self.subscriptions = {}
        self.meter_events = []
        self.meter_identifiers = {}
        self.meter_duplicates = []
        self.invoice_items = []
        self.invoices = {}
        self.meters = []
        self.session_inputs = {}
        self.invoiced_identifiers = set()

    def _new(self, schema_name, prefix, **fields):
        obj = self.schema.skeleton(schema_name)
        obj["id"] = new_id(prefix)
        if "created" in obj:
            obj["created"] = int(time.time())
        obj.update(fields)
        return obj

    def snapshot(self):
        return {"customers": list(self.customers.values()),
                "checkout_sessions": list(self.checkout_sessions.values()),
                "portal_sessions": list(self.portal_sessions.values()),
                "subscriptions": list(self.subscriptions.values()),
                "meter_events": list(self.meter_events),
                "meter_event_duplicates": list(self.meter_duplicates),
                "invoice_items": list(self.invoice_items),
                "invoices": list(self.invoices.values())}

    # -- the API ------------------------------------------------------------------
    def create_customer(self, p):
        c = self._new("customer", "cus", email=p.get("email"), name=p.get("name"),
                      phone=p.get("phone"), description=p.get("description"),
                      metadata=dict(p.get("metadata") or {}), balance=0, delinquent=False,
                      invoice_prefix=secrets.token_hex(4).upper())
        self.customers[c["id"]] = c
        return 200, c

    def ensure_customer(self, cid):
        """The customer cid, made on the spot when a test names one the fake has not
        seen (an event for a business bound elsewhere)."""
        if cid not in self.customers:
            c = self._new("customer", "cus", metadata={}, balance=0, delinquent=False)
            c["id"] = cid
            self.customers[cid] = c
        return self.customers[cid]

    def is_live(self, cid):
        """True for a customer that exists and was not deleted."""
        c = self.customers.get(cid)
        return c is not None and not c.get("deleted")

    def get_customer(self, cid, p):
        c = self.customers.get(cid)
        if c is None:
            return 404, stripe_error("invalid_request_error", "No such customer: '%s'" % cid,
                                     "resource_missing", "id")
        if c.get("deleted"):
            return 200, {"id": cid, "object": "customer", "deleted": True}
        out = {k: v for k, v in c.items() if k != "deleted"}
        if "subscriptions" in (p.get("expand") or []):
            subs = [s for s in self.subscriptions.values() if s["customer"] == cid]
            out["subscriptions"] = {"object": "list", "data": subs, "has_more": False,
                                    "url": "/v1/customers/%s/subscriptions" % cid}
        return 200, out

    def create_checkout_session(self, p):
        cid = p.get("customer")
        if cid is not None and not self.is_live(cid):
            return no_such("customer", cid, "customer")
        mode = p.get("mode")
        if mode == "subscription" and not p.get("line_items"):
            return 400, stripe_error(
                "invalid_request_error",
                "You must provide at least one recurring price in `subscription` mode when using prices.",
                "parameter_missing", "line_items")
        s = self._new("checkout.session", "cs", mode=mode or "payment", status="open",
                      payment_status="unpaid", customer=cid,
                      client_reference_id=p.get("client_reference_id"),
                      metadata=dict(p.get("metadata") or {}),
                      success_url=p.get("success_url"), cancel_url=p.get("cancel_url"),
                      expires_at=int(time.time()) + 24 * 3600, currency="usd",
                      payment_method_types=["card"], subscription=None, livemode=False)
        s["url"] = CHECKOUT_URL + s["id"]
        self.checkout_sessions[s["id"]] = s
        # kept beside the session, not in it: Stripe lists line items at their own endpoint
        self.session_inputs[s["id"]] = {
            "line_items": list(p.get("line_items") or []),
            "subscription_metadata": dict((p.get("subscription_data") or {}).get("metadata") or {})}
        return 200, s

    def complete_checkout(self, sid):
        """What paying on the Checkout page does: the customer (made if the session had
        none), the subscription with the session's prices, the session complete.
        Returns (session, subscription) or raises LookupError/ValueError."""
        s = self.checkout_sessions.get(sid)
        if s is None:
            raise LookupError("no checkout session %s" % sid)
        if s["status"] != "open":
            raise ValueError("checkout session %s is %s, not open" % (sid, s["status"]))
        if s["customer"] is None:
            _, c = self.create_customer({"email": s.get("customer_email")})
            s["customer"] = c["id"]
        extra = self.session_inputs[sid]
        prices = [li.get("price") for li in extra.get("line_items", []) if li.get("price")]
        meta = dict(extra.get("subscription_metadata") or {})
        sub = self.create_subscription_for(s["customer"], prices, meta, "active")
        s.update(status="complete", payment_status="paid", subscription=sub["id"])
        return s, sub

    def create_subscription_for(self, cid, prices, metadata, status):
        now = int(time.time())
        sub = self._new("subscription", "sub", customer=cid, status=status, currency="usd",
                        metadata=metadata, start_date=now, billing_cycle_anchor=now,
                        latest_invoice=None)
        sub["items"] = {"object": "list", "has_more": False,
                        "url": "/v1/subscription_items?subscription=" + sub["id"],
                        "data": [self._new("subscription_item", "si", subscription=sub["id"],
                                           price={"id": price, "object": "price"},
                                           current_period_start=now,
                                           current_period_end=now + MONTH_S, metadata={})
                                 for price in prices]}
        self.subscriptions[sub["id"]] = sub
        return sub

    def create_subscription(self, p):
        cid = p.get("customer")
        if not self.is_live(cid):
            return no_such("customer", cid, "customer")
        prices = [i.get("price") for i in p.get("items") or [] if i.get("price")]
        status = "incomplete" if p.get("payment_behavior") == "default_incomplete" else "active"
        return 200, self.create_subscription_for(cid, prices, dict(p.get("metadata") or {}), status)

    def customer_subscription(self, cid):
        """The customer's newest subscription; one is made, active, if it has none."""
        subs = [s for s in self.subscriptions.values() if s["customer"] == cid]
        if subs:
            return max(subs, key=lambda s: s["created"])
        return self.create_subscription_for(cid, [], {}, "active")

    def set_subscription_status(self, sub_id, status):
        """(subscription, previous attributes); LookupError when there is none."""
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            raise LookupError("no subscription %s" % sub_id)
        previous = {"status": sub["status"]}
        sub["status"] = status
        if status == "canceled":
            sub["canceled_at"] = sub["ended_at"] = int(time.time())
        return sub, previous

    def create_portal_session(self, p):
        cid = p.get("customer")
        if not self.is_live(cid):
            return no_such("customer", cid, "customer")
        s = self._new("billing_portal.session", "bps", customer=cid,
                      configuration=new_id("bpc"), return_url=p.get("return_url"),
                      locale=None, on_behalf_of=None, flow=None)
        s["url"] = PORTAL_URL + s["id"]
        self.portal_sessions[s["id"]] = s
        return 200, s

    def create_meter_event(self, p):
        ident = p.get("identifier") or new_id("mev_ident")
        now = int(time.time())
        ev = self._new("billing.meter_event", "mev", event_name=p["event_name"],
                       identifier=ident, payload=dict(p["payload"]),
                       timestamp=p.get("timestamp", now))
        ev.pop("id")    # a meter event has no id; its identifier names it
        if ident in self.meter_identifiers:
            self.meter_duplicates.append(ev)
            return 400, stripe_error(
                "invalid_request_error",
                "An event already exists with identifier %s. Identifiers must be unique." % ident,
                "resource_already_exists", "identifier")
        ts = ev["timestamp"]
        if ts < now - 35 * 24 * 3600 or ts > now + 300:
            return 400, stripe_error(
                "invalid_request_error",
                "Timestamp must be within the past 35 calendar days and at most 5 minutes in the future.",
                "parameter_invalid_integer", "timestamp")
        self.meter_identifiers[ident] = ev
        self.meter_events.append(ev)
        return 200, ev

    def create_invoice_item(self, p):
        cid = p.get("customer")
        if not self.is_live(cid):
            return no_such("customer", cid, "customer")
        if "amount" in p and "currency" not in p:
            return 400, stripe_error("invalid_request_error", "Missing required param: currency.",
                                     "parameter_missing", "currency")
        now = int(time.time())
        amount = p.get("amount", 0)
        item = self._new("invoiceitem", "ii", customer=cid, amount=amount,
                         currency=p.get("currency", "usd"), date=now,
                         description=p.get("description"), metadata=dict(p.get("metadata") or {}),
                         period={"start": now, "end": now}, quantity=1, quantity_decimal="1",
                         discountable=amount >= 0, invoice=None)
        self.invoice_items.append(item)
        return 200, item

    def list_meters(self):
        return 200, {"object": "list", "data": list(self.meters), "has_more": False,
                     "url": "/v1/billing/meters"}

    def create_meter(self, p):
        m = self._new("billing.meter", "mtr", display_name=p["display_name"],
                      event_name=p["event_name"], status="active")
        self.meters.append(m)
        return 200, m

    # -- objects for events ---------------------------------------------------------
    def invoice_for(self, event_type, cid, sub):
        """The invoice an invoice.* event carries. The subscription's open invoice when
        it has one (a retried payment settles the same invoice), else a new one: the
        plan's $200 plus $50 for each booking metered since the last invoice plus the
        pending invoice items (credits are negative), all swept into it. Paid for
        invoice.paid and invoice.payment_succeeded, else open after one more failed try."""
        now = int(time.time())
        inv = self.invoices.get(sub.get("latest_invoice") or "")
        if inv is None or inv["status"] != "open":
            inv = self._new_invoice(cid, sub, now)
        if event_type in ("invoice.paid", "invoice.payment_succeeded"):
            inv.update(status="paid", amount_paid=inv["amount_due"], amount_remaining=0,
                       next_payment_attempt=None)
            inv["status_transitions"] = {"paid_at": now}
        elif event_type in ("invoice.payment_failed", "invoice.payment_action_required"):
            inv.update(attempt_count=inv["attempt_count"] + 1, attempted=True,
                       next_payment_attempt=now + 3 * 24 * 3600)
        return inv

    def _new_invoice(self, cid, sub, now):
        item = sub["items"]["data"][0] if sub["items"]["data"] else None
        start = item["current_period_start"] if item else now
        bookings = [e for e in self.meter_events
                    if e["payload"].get("stripe_customer_id") == cid
                    and e["identifier"] not in self.invoiced_identifiers]
        credits = [i for i in self.invoice_items if i["customer"] == cid and i["invoice"] is None]
        count = sum(int(e["payload"].get("value", "1")) if e["payload"].get("value", "1").isdigit() else 0
                    for e in bookings)
        amount = PLAN_CENTS + BOOKING_CENTS * count + sum(i["amount"] for i in credits)
        inv = self._new("invoice", "in", customer=cid, currency="usd", status="open",
                        amount_due=amount, amount_remaining=amount, subtotal=amount, total=amount,
                        billing_reason="subscription_cycle", period_start=start,
                        period_end=start + MONTH_S, attempt_count=0, attempted=False,
                        next_payment_attempt=None)
        inv["hosted_invoice_url"] = INVOICE_URL + inv["id"]
        inv["parent"] = {"type": "subscription_details", "quote_details": None,
                         "subscription_details": {"subscription": sub["id"],
                                                  "metadata": dict(sub.get("metadata") or {})}}
        inv["lines"] = {"object": "list", "data": [], "has_more": False,
                        "url": "/v1/invoices/%s/lines" % inv["id"]}
        self.invoiced_identifiers.update(e["identifier"] for e in bookings)
        for i in credits:
            i["invoice"] = inv["id"]
        sub["latest_invoice"] = inv["id"]
        self.invoices[inv["id"]] = inv
        return inv

    def object_for_event(self, event_type, spec):
        """data.object of an event of event_type, from this account's state: the
        customer's (or the named) subscription, Checkout session, invoice or customer.
        Raises ValueError for a type whose object the fake cannot make."""
        family = event_type.rsplit(".", 1)[0]
        sub_id = spec.get("subscription")
        if sub_id is not None:
            if sub_id not in self.subscriptions:
                raise ValueError("no subscription %s" % sub_id)
            cid = self.subscriptions[sub_id]["customer"]
        else:
            cid = spec.get("customer")
            if not isinstance(cid, str) or not cid.startswith("cus_"):
                raise ValueError("an event needs \"customer\": \"cus_...\" or \"subscription\"")
        customer = self.ensure_customer(cid)
        sub = self.subscriptions[sub_id] if sub_id else None
        if family == "customer.subscription":
            sub = sub or self.customer_subscription(cid)
            if event_type == "customer.subscription.deleted" and sub["status"] != "canceled":
                self.set_subscription_status(sub["id"], "canceled")
            return copy.deepcopy(sub)
        if family == "invoice":
            return copy.deepcopy(self.invoice_for(event_type, cid, sub or self.customer_subscription(cid)))
        if family == "customer":
            if event_type == "customer.deleted":
                customer["deleted"] = True
            return copy.deepcopy({k: v for k, v in customer.items() if k != "deleted"})
        if family == "checkout.session":
            sessions = [s for s in self.checkout_sessions.values() if s["customer"] == cid]
            if spec.get("checkout_session"):
                sessions = [s for s in self.checkout_sessions.values()
                            if s["id"] == spec["checkout_session"]]
            if not sessions:
                raise ValueError("customer %s has no checkout session" % cid)
            return copy.deepcopy(max(sessions, key=lambda s: s["created"]))
        raise ValueError("the fake cannot make the object of a %s event" % event_type)
