#!/usr/bin/python3
"""fake_stripe: plays Stripe for tests over real HTTP on 127.0.0.1.

Checks each request's wire rules (the Bearer key, `Stripe-Version`, a form body, an
`Idempotency-Key` on every POST) and its parameters against the OpenAPI extract in
tests/schemas/stripe/, keeps an account's state (tests/sim/stripe_objects.py), honours
idempotency keys as Stripe does, fails on request, and sends signed webhooks
(tests/sim/stripe_webhook.py). Every request is recorded, every broken rule is a line
in `violations`. The contract, with the control routes under /_fake/, is
docs/billing.md, "Tests: the fake Stripe".

  /usr/bin/python3 tests/sim/fake_stripe.py --port 0 --secret-key sk_test_x \\
      --webhook-secret whsec_x --webhook-url http://127.0.0.1:N/webhooks/stripe
"""
import argparse
import base64
import copy
import http.server
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "schemas", "stripe"))
sys.path.insert(0, HERE)

from stripe_objects import Account, merge, new_id, stripe_error  # noqa: E402
from stripe_schema import StripeSchema  # noqa: E402
from stripe_webhook import SIGNATURE_MODES, post, signed_delivery  # noqa: E402

FAULT_MODES = ("timeout", "500_after", "500", "429", "409", "reset")
FORM = "application/x-www-form-urlencoded"
MAX_KEY_LEN = 255
CUSTOMER_PATH = re.compile(r"^/v1/customers/([^/]+)$")
CHECKOUT_COMPLETE = re.compile(r"^/_fake/checkout/([^/]+)/complete$")
SUBSCRIPTION_MOVE = re.compile(r"^/_fake/subscriptions/([^/]+)$")
LOST_AFTER_WORK = stripe_error("api_error", "An unknown error occurred (injected after the work).")


def api_key_of(authorization):
    """The API key an Authorization header gives: Bearer, or Basic with the key as the
    user name (Stripe takes both); "" for none."""
    kind, _, value = authorization.strip().partition(" ")
    if kind.lower() == "bearer":
        return value.strip()
    if kind.lower() == "basic":
        try:
            return base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
        except (ValueError, UnicodeDecodeError):
            return ""
    return ""


class Answer:
    """What the handler sends: a status and JSON body, extra headers, or nothing at all
    (reset: the socket is closed; hold_s: the work is done and the answer never comes)."""

    def __init__(self, status, body, headers=None, reset=False, hold_s=0):
        self.status, self.body, self.headers = status, body, dict(headers or {})
        self.reset, self.hold_s = reset, hold_s


class Fake:
    def __init__(self, opts):
        self.opts = opts
        self.schema = StripeSchema()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.account = Account(self.schema)
        self.requests = []
        self.violations = []
        self.webhooks = []
        self.faults = []
        self.idempotency = {}       # key -> {"fingerprint", "status", "body"}
        self.in_flight = set()      # keys whose first request is being run

    def violation(self, rec, text):
        line = "%s %s: %s" % (rec["method"], rec["path"], text)
        with self.lock:
            self.violations.append(line)

    # -- the API ------------------------------------------------------------------
    def api(self, method, path, query, headers, raw):
        rec = {"method": method, "path": path, "idempotency_key": headers.get("Idempotency-Key"),
               "status": None, "at": time.time(), "request_id": new_id("req")}
        with self.lock:
            self.requests.append(rec)
        try:
            ans = self._api(rec, method, path, query, headers, raw)
        except Exception as err:    # a bug of the fake: said loudly, never a hang
            self.violation(rec, "the fake failed: %r" % err)
            ans = Answer(500, stripe_error("api_error", "fake_stripe failed: %r" % err))
        rec["status"] = 0 if ans.reset or ans.hold_s else ans.status
        ans.headers["Request-Id"] = rec["request_id"]
        return ans

    def _api(self, rec, method, path, query, headers, raw):
        key_given = api_key_of(headers.get("Authorization") or "")
        if not key_given:
            return Answer(401, stripe_error(
                "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."))
        if key_given != self.opts.secret_key:
            shown = key_given[:8] + "*" * max(0, len(key_given) - 8)
            return Answer(401, stripe_error("invalid_request_error",
                                            "Invalid API Key provided: %s" % shown, "api_key_invalid"))
        version = headers.get("Stripe-Version")
        if version != self.schema.api_version:
            self.violation(rec, "Stripe-Version is %r, not %r" % (version, self.schema.api_version))
        key = rec["idempotency_key"]
        if method == "POST":
            ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype != FORM:
                self.violation(rec, "Content-Type is %r, not %s" % (ctype, FORM))
            if key is None:
                self.violation(rec, "no Idempotency-Key")
            elif not key or len(key) > MAX_KEY_LEN:
                self.violation(rec, "Idempotency-Key is empty or longer than %d" % MAX_KEY_LEN)
                return Answer(400, stripe_error(
                    "invalid_request_error",
                    "Invalid idempotency key: must be between 1 and %d characters." % MAX_KEY_LEN,
                    "idempotency_key_invalid"))
        # checked before a fault answers, so a broken request is seen whatever the fault
        params, errors = self.schema.check_request(method, path, query,
                                                   raw.decode("utf-8", errors="replace"))
        rec["params"] = params
        for e in errors:
            self.violation(rec, e)
        fault = self.take_fault(path)
        rec["fault"] = fault
        if fault == "reset":
            return Answer(0, None, reset=True)
        if fault == "500":
            return Answer(500, stripe_error("api_error", "An unknown error occurred (injected)."))
        if fault == "429":
            return Answer(429, stripe_error(
                "invalid_request_error",
                "Request rate limit exceeded. Learn more about rate limits here "
                "https://stripe.com/docs/rate-limits.", "rate_limit"))
        if fault == "409":
            return Answer(409, stripe_error(
                "idempotency_error",
                "There is currently another in-progress request using this Idempotent Key "
                "(that probably means you submitted twice, and the other request is still "
                "going through): %s. Please try again later." % key, "idempotency_key_in_use"),
                {"Stripe-Should-Retry": "true"})
        if errors:
            return Answer(*self.invalid(method, path, errors))
        if method != "POST" or key is None:
            answer = self.run(method, path, params)
        else:
            answer = self.run_once(rec, key, method, path, params)
        self.check_answer(rec, method, path, answer[0], answer[1])
        return self.after_fault(fault, *answer)

    def check_answer(self, rec, method, path, status, body):
        """The fake's own answers must match the extract too, or tests would learn a
        shape Stripe never sends."""
        names = self.schema.response_schemas(method, path) if status == 200 else ["error"]
        if not names:
            return
        errors = min((self.schema.check_object(n, body) for n in names), key=len)
        for e in errors:
            self.violation(rec, "the fake's own answer breaks the extract: " + e)

    def after_fault(self, fault, status, body, headers=None):
        """A fault that lets the work happen: the answer is lost (timeout) or is a 500."""
        if fault == "500_after":
            return Answer(500, LOST_AFTER_WORK)
        if fault == "timeout":
            return Answer(status, body, headers, hold_s=self.opts.timeout_hold_s)
        return Answer(status, body, headers)

    def run_once(self, rec, key, method, path, params):
        """Stripe's idempotency layer: the first answer for a key is stored (a 500
        too) and replayed for the same parameters; other parameters are refused; a
        request racing the first one is a 409. Refused requests store nothing."""
        fingerprint = json.dumps([method, path, params], sort_keys=True)
        with self.lock:
            seen = self.idempotency.get(key)
            if seen is None and key in self.in_flight:
                return 409, stripe_error(
                    "idempotency_error",
                    "There is currently another in-progress request using this Idempotent Key: %s." % key,
                    "idempotency_key_in_use"), {"Stripe-Should-Retry": "true"}
            if seen is None:
                self.in_flight.add(key)
        if seen is not None:
            if seen["fingerprint"] != fingerprint:
                return 400, stripe_error(
                    "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters they "
                    "were first used with. Try using a key other than '%s' if you meant to "
                    "execute a different request." % key), None
            rec["replayed"] = True
            return seen["status"], seen["body"], {"Idempotent-Replayed": "true",
                                                  "Original-Request": seen["request_id"]}
        try:
            status, body = self.run(method, path, params)
            if rec.get("fault") == "500_after":    # Stripe stores and replays a 500 too
                status, body = 500, LOST_AFTER_WORK
            with self.lock:
                self.idempotency[key] = {"fingerprint": fingerprint, "status": status, "body": body,
                                         "request_id": rec["request_id"]}
        finally:
            with self.lock:
                self.in_flight.discard(key)
        return status, body, {"Original-Request": rec["request_id"]}

    def run(self, method, path, params):
        a = self.account
        with self.lock:
            m = CUSTOMER_PATH.match(path)
            if m and method == "GET":
                status, body = a.get_customer(urllib.parse.unquote(m.group(1)), params)
                return status, copy.deepcopy(body)
            route = {("POST", "/v1/customers"): a.create_customer,
                     ("POST", "/v1/checkout/sessions"): a.create_checkout_session,
                     ("POST", "/v1/billing_portal/sessions"): a.create_portal_session,
                     ("POST", "/v1/billing/meter_events"): a.create_meter_event,
                     ("POST", "/v1/invoiceitems"): a.create_invoice_item,
                     ("POST", "/v1/subscriptions"): a.create_subscription,
                     ("POST", "/v1/billing/meters"): a.create_meter,
                     ("GET", "/v1/billing/meters"): lambda p: a.list_meters()}.get((method, path))
            if route is None:
                return 404, stripe_error("invalid_request_error",
                                         "Unrecognized request URL (%s: %s)." % (method, path))
            status, body = route(params)
            # a copy: the answer (and its replay) is the object as it was then
            return status, copy.deepcopy(body)

    @staticmethod
    def invalid(method, path, errors):
        """Stripe's 400 for a request the extract refuses, named like Stripe names it."""
        first = errors[0]
        m = re.match(r"^(?:body|query)((?:\[[^\]]*\])*)[^:]*:.*'([^']+)' was unexpected", first)
        if m:
            parts = re.findall(r"\[([^\]]*)\]", m.group(1)) + [m.group(2)]
            param = parts[0] + "".join("[%s]" % p for p in parts[1:])
            return 400, stripe_error("invalid_request_error", "Received unknown parameter: %s" % param,
                                     "parameter_unknown", param)
        m = re.search(r"'([^']+)' is a required property", first)
        if m:
            return 400, stripe_error("invalid_request_error", "Missing required param: %s." % m.group(1),
                                     "parameter_missing", m.group(1))
        if "no such operation" in first:
            return 404, stripe_error("invalid_request_error",
                                     "Unrecognized request URL (%s: %s)." % (method, path))
        return 400, stripe_error("invalid_request_error", "Invalid request: %s" % first, "parameter_invalid")

    # -- faults -------------------------------------------------------------------
    def add_fault(self, spec):
        mode = spec.get("mode")
        if mode not in FAULT_MODES:
            raise ValueError("mode must be one of %s" % ", ".join(FAULT_MODES))
        count, every = int(spec.get("count", 1)), int(spec.get("every", 1))
        if count < 1 or every < 1:
            raise ValueError("count and every must be at least 1")
        path = spec.get("path") or "*"
        with self.lock:
            self.faults.append({"path": path, "mode": mode, "count": count, "every": every, "seen": 0})
            return list(self.faults)

    def take_fault(self, path):
        """The fault mode this request meets, or None; counts it against the fault."""
        with self.lock:
            for f in self.faults:
                if f["count"] <= 0 or f["path"] not in ("*", path):
                    continue
                f["seen"] += 1
                if f["seen"] % f["every"]:
                    return None
                f["count"] -= 1
                return f["mode"]
        return None

    # -- events -------------------------------------------------------------------
    def send_event(self, spec, previous=None):
        """Builds, checks, signs and posts one event (twice when duplicate); returns
        {"id", "status", "statuses"}. ValueError for a spec the fake cannot honour."""
        etype = spec.get("type")
        if not isinstance(etype, str) or "." not in etype:
            raise ValueError("\"type\" must be a Stripe event type such as invoice.paid")
        mode = spec.get("signature", "good")
        if mode not in SIGNATURE_MODES:
            raise ValueError("signature must be one of %s" % ", ".join(SIGNATURE_MODES))
        overrides = spec.get("object") or {}
        if not isinstance(overrides, dict):
            raise ValueError("\"object\" must be a JSON object of overrides")
        with self.lock:
            obj = self.account.object_for_event(etype, spec)
        merge(obj, overrides)
        created = spec.get("created", int(time.time()))
        if not isinstance(created, int):
            raise ValueError("\"created\" must be a unix time")
        data = {"object": obj}
        if previous is not None or spec.get("previous_attributes") is not None:
            data["previous_attributes"] = previous if previous is not None else spec["previous_attributes"]
        event = {"id": spec.get("id") or new_id("evt"), "object": "event",
                 "api_version": self.schema.api_version, "created": created, "data": data,
                 "livemode": False, "pending_webhooks": 1,
                 "request": {"id": None, "idempotency_key": None}, "type": etype}
        errors = self.schema.check_event(event)
        if errors:
            raise ValueError("the event would not match the extract: " + "; ".join(errors[:5]))
        statuses = []
        for _ in range(2 if spec.get("duplicate") else 1):
            body, header = signed_delivery(self.opts.webhook_secret, event, mode)
            status, why = post(self.opts.webhook_url, body, header)
            statuses.append(status)
            with self.lock:
                self.webhooks.append({"id": event["id"], "type": etype, "signature": mode,
                                      "status": status, "error": why, "event": event})
        return {"id": event["id"], "status": statuses[-1], "statuses": statuses}

    # -- control routes ---------------------------------------------------------------
    def control(self, method, path, raw):
        try:
            spec = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"error": "body is not JSON"}
        if not isinstance(spec, dict):
            return 400, {"error": "body must be a JSON object"}
        try:
            return self._control(method, path, spec)
        except (ValueError, TypeError) as err:
            return 400, {"error": str(err)}
        except LookupError as err:
            return 404, {"error": str(err).strip("'\"")}

    def _control(self, method, path, spec):
        if path == "/_fake/state" and method == "GET":
            with self.lock:     # copied whole: handlers change state while it is sent
                out = self.account.snapshot()
                out.update(requests=self.requests, violations=self.violations,
                           webhooks=self.webhooks, faults=self.faults)
                return 200, copy.deepcopy(out)
        if path == "/_fake/faults" and method == "POST":
            return 200, {"faults": self.add_fault(spec)}
        if path == "/_fake/faults" and method == "DELETE":
            with self.lock:
                self.faults = []
            return 200, {"faults": []}
        if path == "/_fake/webhook" and method == "POST":
            url = spec.get("url")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise ValueError("\"url\" must be an http(s) URL")
            self.opts.webhook_url = url
            return 200, {"url": url}
        if path == "/_fake/events" and method == "POST":
            return 200, self.send_event(spec)
        m = CHECKOUT_COMPLETE.match(path)
        if m and method == "POST":
            return 200, self.complete_checkout(m.group(1), spec)
        m = SUBSCRIPTION_MOVE.match(path)
        if m and method == "POST":
            return 200, self.move_subscription(m.group(1), spec)
        return 404, {"error": "no control route %s %s" % (method, path)}

    def complete_checkout(self, sid, spec):
        with self.lock:
            session, sub = self.account.complete_checkout(sid)
        first = self.send_event({"type": "checkout.session.completed", "customer": session["customer"],
                                 "checkout_session": sid, "signature": spec.get("signature", "good")})
        second = self.send_event({"type": "customer.subscription.created", "subscription": sub["id"],
                                  "signature": spec.get("signature", "good")})
        return {"customer": session["customer"], "subscription": sub["id"], "events": [first, second]}

    def move_subscription(self, sub_id, spec):
        status = spec.get("status")
        if status not in ("incomplete", "incomplete_expired", "trialing", "active", "past_due",
                          "canceled", "unpaid", "paused"):
            raise ValueError("status must be a subscription status such as past_due")
        with self.lock:
            _, previous = self.account.set_subscription_status(sub_id, status)
        event = dict(spec, type=spec.get("event_type", "customer.subscription.updated"),
                     subscription=sub_id)
        event.pop("status", None)
        return self.send_event(event, previous=previous)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive: libcurl reuses connections
    server_version = "fake-stripe"
    sys_version = ""

    def log_message(self, fmt, *args):
        if self.server.fake.opts.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def _handle(self):
        fake = self.server.fake
        url = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        if url.path.startswith("/_fake/"):
            status, body = fake.control(self.command, url.path, raw)
            ans = Answer(status, body, {"Request-Id": new_id("req")})
        else:
            ans = fake.api(self.command, url.path, url.query, self.headers, raw)
        if ans.hold_s:
            fake.stopping.wait(ans.hold_s)
            ans.reset = True
        if ans.reset:
            self.close_connection = True
            # SO_LINGER 0: close sends a RST, as a dropped connection would
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        data = json.dumps(ans.body, indent=2).encode()
        self.send_response(ans.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Stripe-Version", fake.schema.api_version)
        for k, v in ans.headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _handle


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=12111, help="0: any free port (printed)")
    ap.add_argument("--secret-key", required=True, help="the only API key accepted (sk_test_...)")
    ap.add_argument("--webhook-secret", required=True, help="whsec_... webhooks are signed with")
    ap.add_argument("--webhook-url", required=True, help="where events are POSTed")
    ap.add_argument("--timeout-hold-s", type=float, default=30.0,
                    help="how long a 'timeout' fault holds the connection before dropping it")
    ap.add_argument("--verbose", action="store_true")
    return ap.parse_args(argv)


def main(argv=None):
    opts = parse_args(argv)
    server = Server(("127.0.0.1", opts.port), Handler)
    server.fake = Fake(opts)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    serving.start()
    print("listening %d" % server.server_address[1], flush=True)
    while not stop.wait(0.5):
        pass
    server.fake.stopping.set()      # held 'timeout' connections drop now
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
