"""Tests' side of the fake Stripe (tests/sim/fake_stripe.py): start one on a free port
(stopped by PID by the harness, like every process a test starts), read its state,
set faults, send events, call it as a Stripe client would, and receive and verify the
webhooks it sends. docs/billing.md, "Tests: the fake Stripe", is the contract."""
import http.server
import json
import os
import secrets
import threading
import time
import urllib.parse

import harness
from harness import http as request

FAKE = os.path.join(harness.ROOT, "tests", "sim", "fake_stripe.py")
API_VERSION = "2026-07-29.dahlia"
PRICE_MONTHLY = "price_monthly200"
PRICE_BOOKING = "price_booking50"
METER_EVENT = "ai_booking"


class FakeStripe(harness.Proc):
    """A running fake Stripe posting its events to webhook_url. Its settings for our
    binaries are env()."""

    def __init__(self, webhook_url="http://127.0.0.1:9/webhooks/stripe", timeout_hold_s=30):
        self.secret_key = "sk_test_" + secrets.token_hex(12)
        self.webhook_secret = "whsec_" + secrets.token_hex(16)
        self.webhook_url = webhook_url
        argv = ["/usr/bin/python3", FAKE, "--port", "0", "--secret-key", self.secret_key,
                "--webhook-secret", self.webhook_secret, "--webhook-url", webhook_url,
                "--timeout-hold-s", str(timeout_hold_s)]
        super().__init__(argv, dict(os.environ), "fake-stripe")
        self.port = self._wait_listening()
        self.url = "http://127.0.0.1:%d" % self.port

    def _wait_listening(self, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            for line in self.output().splitlines():
                if line.startswith("listening "):
                    return int(line.split()[1])
            if self.p.poll() is not None:
                raise AssertionError("fake_stripe exited: %s" % self.output())
            time.sleep(0.05)
        raise AssertionError("fake_stripe did not listen within %ds" % timeout)

    def env(self):
        """FRONTDESK_STRIPE_* for a binary that talks to this fake."""
        return {"FRONTDESK_STRIPE_API_URL": self.url,
                "FRONTDESK_STRIPE_SECRET_KEY": self.secret_key,
                "FRONTDESK_STRIPE_WEBHOOK_SECRET": self.webhook_secret,
                "FRONTDESK_STRIPE_PRICE_MONTHLY": PRICE_MONTHLY,
                "FRONTDESK_STRIPE_PRICE_BOOKING": PRICE_BOOKING,
                "FRONTDESK_STRIPE_METER_EVENT": METER_EVENT}

    # -- control routes ---------------------------------------------------------------
    def control(self, method, path, body=None, expect=200):
        data = json.dumps(body).encode() if body is not None else None
        status, _, raw = request(method, self.url + path, data, {"Content-Type": "application/json"},
                                 timeout=30)
        out = json.loads(raw) if raw else None
        assert expect is None or status == expect, (method, path, status, out)
        return out

    def state(self):
        return self.control("GET", "/_fake/state")

    def violations(self):
        return self.state()["violations"]

    def requests(self, path=None):
        return [r for r in self.state()["requests"] if path is None or r["path"] == path]

    def webhook_to(self, url):
        """Sends later events to url: the fake starts before the api it posts to, which
        needs the fake's secrets in its environment."""
        self.webhook_url = url
        return self.control("POST", "/_fake/webhook", {"url": url})

    def fault(self, path, mode, count=1, every=1):
        return self.control("POST", "/_fake/faults",
                            {"path": path, "mode": mode, "count": count, "every": every})

    def clear_faults(self):
        return self.control("DELETE", "/_fake/faults")

    def event(self, event_type, customer=None, expect=200, **spec):
        """Sends one event; returns {"id", "status", "statuses"}. spec: object,
        created, duplicate, signature, subscription, checkout_session, id."""
        body = dict(spec, type=event_type)
        if customer is not None:
            body["customer"] = customer
        return self.control("POST", "/_fake/events", body, expect)

    def complete_checkout(self, session_id, **spec):
        return self.control("POST", "/_fake/checkout/%s/complete" % session_id, spec)

    def move_subscription(self, sub_id, status, **spec):
        return self.control("POST", "/_fake/subscriptions/%s" % sub_id, dict(spec, status=status))

    # -- as a Stripe client ---------------------------------------------------------
    def call(self, method, path, params=None, idempotency_key=None, headers=None, key=None):
        """One API request as our C client sends it; returns (status, headers, body)."""
        h = {"Authorization": "Bearer " + (self.secret_key if key is None else key),
             "Stripe-Version": API_VERSION}
        data = None
        if method == "POST":
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["Idempotency-Key"] = idempotency_key or "test-" + secrets.token_hex(8)
            data = encode_form(params or {}).encode()
        elif params:
            path += "?" + encode_form(params)
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        status, rh, raw = request(method, self.url + path, data, h, timeout=30)
        return status, rh, json.loads(raw) if raw else None


def encode_form(params, prefix=None):
    """Stripe's form encoding: nested dicts as a[b], lists as a[0], booleans as true/false."""
    parts = []
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for k, v in items:
        key = str(k) if prefix is None else "%s[%s]" % (prefix, k)
        if isinstance(v, (dict, list)):
            parts.append(encode_form(v, key))
        else:
            text = ("true" if v else "false") if isinstance(v, bool) else str(v)
            parts.append(urllib.parse.urlencode({key: text}))
    return "&".join(p for p in parts if p)


def verify_signature(secret, body, header, tolerance_s=300, now=None):
    """A correct Stripe-Signature verifier: True when some v1 is the HMAC-SHA256 of
    "<t>.<body>" under secret and t is within tolerance of now."""
    import hashlib
    import hmac
    t, sigs = None, []
    for part in header.split(","):
        k, _, v = part.strip().partition("=")
        if k == "t" and v.isdigit():
            t = int(v)
        elif k == "v1":
            sigs.append(v)
    if t is None or not sigs:
        return False
    if abs((time.time() if now is None else now) - t) > tolerance_s:
        return False
    want = hmac.new(secret.encode(), b"%d." % t + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(want, s) for s in sigs)


class WebhookCatcher:
    """An HTTP endpoint that records every delivery (headers, raw body) and answers
    `status` (200 unless changed). Stopped by stop() or at exit."""

    def __init__(self, status=200):
        self.status = status
        self.deliveries = []
        self.lock = threading.Lock()
        catcher = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                with catcher.lock:
                    catcher.deliveries.append({"headers": dict(self.headers), "body": raw})
                self.send_response(catcher.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/webhooks/stripe" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()
        harness._cleanup_later(self.stop)

    def events(self):
        with self.lock:
            return [json.loads(d["body"]) for d in self.deliveries]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
