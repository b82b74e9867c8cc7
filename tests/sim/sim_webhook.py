"""Webhook delivery as Telnyx does it: v2 envelopes, Ed25519 signatures over
"<timestamp>|<body>", POSTed to one URL, retried with backoff on non-2xx or
connection errors. One Sender thread per call keeps that call's webhooks in order
(unless the call asks for reordering); it can also delay, duplicate and swap them."""
import base64
import collections
import datetime
import http.client
import json
import socket
import threading
import time
import urllib.parse

import nacl.signing

# Pause before attempt 2, 3, ...: ten attempts spread over about 18 s.
RETRY_DELAYS_S = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 4.0, 4.0, 4.0)


def load_signing_key(path):
    """A key file holds standard base64 of a 32-byte seed or of libsodium's 64-byte
    secret key (seed || public key), as `frontdesk-ctl webhook keygen` writes it."""
    with open(path) as f:
        raw = base64.b64decode(f.read().strip(), validate=True)
    if len(raw) == 32:
        return nacl.signing.SigningKey(raw)
    if len(raw) == 64:
        key = nacl.signing.SigningKey(raw[:32])
        if bytes(key.verify_key) != raw[32:]:
            raise ValueError("%s: the public half does not match the seed" % path)
        return key
    raise ValueError("%s: expected base64 of 32 or 64 bytes, got %d bytes" % (path, len(raw)))


def iso_now(t=None):
    t = time.time() if t is None else t
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Webhook:
    """One event to deliver. record is the dict shown in the call's "webhooks" list."""

    def __init__(self, event_type, event_id, payload, occurred_at):
        self.data = {"record_type": "event", "event_type": event_type, "id": event_id,
                     "occurred_at": iso_now(occurred_at), "payload": payload}
        self.queued_at = time.time()
        self.record = {"event_type": event_type, "id": event_id, "queued_at": self.queued_at,
                       "sent_at": None, "acked_at": None, "status": None, "attempts": 0}


class Delivery:
    """The signing key, the target URL, shared counters and the stop flag."""

    def __init__(self, url, key, timeout_s=5.0, retry_delays=RETRY_DELAYS_S):
        self.url = url
        u = urllib.parse.urlsplit(url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise ValueError("webhook url must be http(s)://host[:port]/path: %r" % url)
        self.scheme = u.scheme
        self.host = u.hostname
        self.port = u.port or (443 if u.scheme == "https" else 80)
        self.path = (u.path or "/") + ("?" + u.query if u.query else "")
        self.key = key
        self.timeout_s = timeout_s
        self.retry_delays = retry_delays
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.sent = self.acked = self.failed = 0

    def connect(self):
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        conn = cls(self.host, self.port, timeout=self.timeout_s)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def sign(self, body):
        ts = str(int(time.time()))
        sig = self.key.sign(ts.encode() + b"|" + body).signature
        return {"telnyx-timestamp": ts, "telnyx-signature-ed25519": base64.b64encode(sig).decode(),
                "Content-Type": "application/json", "User-Agent": "telnyx-sim"}


class Sender(threading.Thread):
    """Delivers the webhooks of one call, one at a time, in queue order.
    on_update(record, changes) applies changes to a webhook record under the
    owner's lock (so readers see consistent records)."""

    def __init__(self, delivery, name, on_update, duplicates=False, reorder=False,
                 delay_ms=0, reorder_window_ms=100):
        super().__init__(name="sender-" + name, daemon=True)
        self.d = delivery
        self.on_update = on_update
        self.duplicates = duplicates
        self.reorder = reorder
        self.delay_s = delay_ms / 1000.0
        self.reorder_window_s = max(reorder_window_ms, delay_ms) / 1000.0
        self.queue = collections.deque()
        self.cond = threading.Condition()
        self.closed = False          # no more webhooks will be queued
        self.cancelled = False       # drop what is queued (reset)
        self.conn = None

    def put(self, webhook):
        with self.cond:
            self.queue.append(webhook)
            self.cond.notify()

    def close(self, cancel=False):
        with self.cond:
            self.closed = True
            self.cancelled = self.cancelled or cancel
            self.cond.notify()

    def _next(self, deadline=None):
        """The next queued webhook, waiting until deadline (None: until closed)."""
        with self.cond:
            while not self.queue and not self.closed and not self.cancelled and not self.d.stopping.is_set():
                left = None if deadline is None else deadline - time.time()
                if left is not None and left <= 0:
                    return None
                self.cond.wait(0.5 if left is None else min(left, 0.5))
            if self.cancelled or self.d.stopping.is_set() or not self.queue:
                return None
            return self.queue.popleft()

    def run(self):
        try:
            while True:
                wh = self._next()
                if wh is None:
                    break
                batch = [wh]
                if self.reorder:
                    other = self._next(time.time() + self.reorder_window_s)
                    if other is not None:
                        batch = [other, wh]          # swap adjacent webhooks
                for w in batch:
                    wait = w.queued_at + self.delay_s - time.time()
                    if wait > 0 and self.d.stopping.wait(wait):
                        return
                    self._deliver(w)
                    if self.duplicates:
                        self._deliver(w, duplicate=True)
        finally:
            if self.conn is not None:
                self.conn.close()

    def _post(self, body, headers):
        """One POST; returns the status, or raises OSError/HTTPException. Retries once
        at once on a fresh connection if a kept-alive one turns out to be dead."""
        for fresh in (False, True):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = self.d.connect()
            try:
                self.conn.request("POST", self.d.path, body=body, headers=headers)
                resp = self.conn.getresponse()
                resp.read()
                if resp.will_close:
                    self.conn.close()
                    self.conn = None
                return resp.status
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if not reused or fresh:
                    raise
        raise AssertionError("unreachable")

    def _deliver(self, w, duplicate=False):
        for attempt in range(1, len(self.d.retry_delays) + 2):
            if self.d.stopping.is_set() or self.cancelled:
                return
            env = {"data": w.data, "meta": {"attempt": attempt, "delivered_to": self.d.url}}
            body = json.dumps(env, separators=(",", ":")).encode()
            headers = self.d.sign(body)
            sent_at = time.time()
            if not duplicate:
                self.on_update(w.record, {"sent_at": sent_at, "attempts": attempt})
            with self.d.lock:
                self.d.sent += 1
            try:
                status = self._post(body, headers)
            except (OSError, http.client.HTTPException) as err:
                status = "error: %s" % (err.__class__.__name__,)
            now = time.time()
            if isinstance(status, int) and 200 <= status < 300:
                with self.d.lock:
                    self.d.acked += 1
                self.on_update(w.record, {"duplicate_acked_at": now, "duplicate_status": status}
                               if duplicate else {"acked_at": now, "status": status})
                return
            if not duplicate:
                self.on_update(w.record, {"status": status})
            if attempt <= len(self.d.retry_delays):
                if self.d.stopping.wait(self.d.retry_delays[attempt - 1]):
                    return
        with self.d.lock:
            self.d.failed += 1
        if not duplicate:
            self.on_update(w.record, {"failed": True})
