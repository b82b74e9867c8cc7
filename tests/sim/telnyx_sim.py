#!/usr/bin/python3
"""telnyx_sim: plays Telnyx for tests, the benchmark and `make run`.

Serves, under /v2, the Call Control actions, POST /v2/messages and the number search
and orders the workers use (every request body and query string checked against
tests/schemas/telnyx-openapi-subset.json, the number endpoints' answers too, every
request recorded), sends the webhooks that follow each command (Telnyx v2
envelopes signed with Ed25519 over "<timestamp>|<body>", client_state echoed, retried,
optionally duplicated, delayed or reordered), and plays scripted callers. Control
endpoints under /_sim let tests start calls and see what happened. The contract is
docs/worker.md, "The Telnyx simulator", which lists the whole API.

  /usr/bin/python3 tests/sim/telnyx_sim.py --listen 127.0.0.1:PORT \\
      --webhook-url http://127.0.0.1:APIPORT/webhooks/telnyx --key SIGNING_KEY_FILE
"""
import argparse
import http.server
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sim_call import Call, CommandError, check_script  # noqa: E402
from sim_numbers import Numbers  # noqa: E402
from sim_schema import Schemas  # noqa: E402
from sim_webhook import Delivery, Sender, Webhook, iso_now, load_signing_key  # noqa: E402

COMMAND_PATH = re.compile(r"/v2/calls/([^/]+)/actions/([A-Za-z_]+)")
CALL_PATH = re.compile(r"/v2/calls/([^/]+)")
NUMBER_ORDER_PATH = re.compile(r"/v2/number_orders/([^/]+)")
NUMBER_PATHS = {"/v2/available_phone_numbers": "available_phone_numbers",
                "/v2/number_orders": "number_orders.create"}
E164 = re.compile(r"\+[1-9][0-9]{1,14}")

DEMO_SCRIPT = [
    {"say": "Hi, I'd like to book a cleaning."},
    {"say": "What are your opening hours?"},
    {"say": "Thanks, that's all. Goodbye."},
    {"hangup": True},
]


def error_body(code, title, detail=None):
    e = {"code": code, "title": title}
    if detail:
        e["detail"] = detail
    return {"errors": [e]}


def injected_error(status):
    if status == 429:
        return error_body("10011", "Too many requests", "Rate limit exceeded (injected by /_sim/fail).")
    if status == 401:
        return error_body("10009", "Authentication failed", "Injected by /_sim/fail.")
    return error_body("10007", "Unexpected error",
                      "An unexpected error occurred (injected by /_sim/fail, HTTP %d)." % status)


class Sim:
    """Everything the simulator knows: calls, requests, messages, injected faults."""

    def __init__(self, opts, schemas, delivery):
        self.opts = opts
        self.schemas = schemas
        self.delivery = delivery
        self.lock = threading.Lock()
        self.print_lock = threading.Lock()
        self.calls = {}
        self.requests = []
        self.messages = []
        self.blocks = set()       # (from, to) pairs Telnyx refuses: a STOP it saw elsewhere
        self.faults = []
        self.numbers = Numbers()
        self.sms_sender = None
        self._new_sms_sender()

    def _new_sms_sender(self):
        self.sms_sender = Sender(self.delivery, "messages", lambda rec, ch: rec.update(ch))
        self.sms_sender.start()

    # -- printing ---------------------------------------------------------------
    def print_line(self, call_id, speaker, text):
        if self.opts.print_transcript:
            with self.print_lock:
                print("[call %s] %s: %s" % (call_id[:11], speaker, text), flush=True)

    def print_event(self, call_id, what):
        if self.opts.print_transcript:
            with self.print_lock:
                print("[call %s] -- %s" % (call_id[:11], what), flush=True)

    # -- calls ------------------------------------------------------------------
    def start_call(self, spec):
        to = spec.get("to")
        from_ = spec.get("from") or "+1555%07d" % (uuid.uuid4().int % 10000000)
        if not isinstance(to, str) or not E164.fullmatch(to):
            raise ValueError("\"to\" must be an E.164 number")
        if not isinstance(from_, str) or not E164.fullmatch(from_):
            raise ValueError("\"from\" must be an E.164 number")
        script = spec.get("script", [])
        check_script(script)
        o = self.opts
        call = Call(self, from_, to, script,
                    duplicates=bool(spec.get("duplicates", o.duplicates)),
                    reorder=bool(spec.get("reorder", o.reorder)),
                    delay_ms=int(spec.get("delay_ms", o.delay_ms)),
                    speech_ms_per_word=float(spec.get("speech_ms_per_word", o.speech_ms_per_word)))
        with self.lock:
            self.calls[call.id] = call
        self.print_event(call.id, "incoming call from %s to %s" % (from_, to))
        call.start()
        return call

    def call(self, call_id):
        with self.lock:
            return self.calls.get(call_id)

    def reset(self):
        with self.lock:
            calls = list(self.calls.values())
            self.calls.clear()
            self.requests.clear()
            self.messages.clear()
            self.blocks.clear()
            self.faults.clear()
            self.numbers.reset()
            old_sms = self.sms_sender
            self._new_sms_sender()
        for c in calls:
            c.stop()
        old_sms.close(cancel=True)

    def shutdown(self):
        self.delivery.stopping.set()
        with self.lock:
            calls = list(self.calls.values())
        for c in calls:
            c.stop()
        self.sms_sender.close(cancel=True)

    # -- injected faults ------------------------------------------------------------
    def add_fault(self, spec):
        status = int(spec.get("status", 0) or 0)
        delay_ms = int(spec.get("delay_ms", 0) or 0)
        count = int(spec.get("count", 1))
        with self.lock:
            # "replace": the faults so far give way to this one at once, with no moment
            # between in which a request would find Telnyx well
            if (count <= 0 and not status and not delay_ms) or spec.get("replace"):
                self.faults.clear()
            if count > 0:
                if status and not 400 <= status <= 599:
                    raise ValueError("status must be an HTTP error status (400-599)")
                self.faults.append({"status": status, "delay_ms": delay_ms, "count": count,
                                    "command": spec.get("command")})
            return [dict(f) for f in self.faults]

    def take_fault(self, command):
        with self.lock:
            for f in self.faults:
                if f["command"] in (None, command):
                    f["count"] -= 1
                    if f["count"] <= 0:
                        self.faults.remove(f)
                    return f
        return None

    # -- the Telnyx API ---------------------------------------------------------
    def telnyx(self, method, path, query, headers, raw, at):
        """Returns (status, body dict, delay_s) for a /v2 request and records it."""
        rec = {"method": method, "path": path, "command": None, "call_control_id": None,
               "body": None, "status": None, "at": at, "valid": None}
        if query:
            rec["query"] = query
        try:
            status, body, delay_s = self._telnyx(rec, method, path, query, headers, raw, at)
        except Exception as err:  # a bug of ours: answer 500 like a server would
            status, body, delay_s = 500, error_body("10007", "Unexpected error", repr(err)), 0
        rec["status"] = status
        rec["answered_at"] = time.time()
        with self.lock:
            rec["seq"] = len(self.requests)
            self.requests.append(rec)
        return status, body, delay_s

    def _telnyx(self, rec, method, path, query, headers, raw, at):
        try:
            rec["body"] = json.loads(raw) if raw else None
        except ValueError:
            rec["body"] = raw.decode("utf-8", "replace")
        call_id = None
        order_id = None
        m = COMMAND_PATH.fullmatch(path)
        if m:
            call_id, command = urllib.parse.unquote(m.group(1)), m.group(2)
        elif path == "/v2/messages":
            command = "messages.send"
        elif path in NUMBER_PATHS:
            command = NUMBER_PATHS[path]
        elif NUMBER_ORDER_PATH.fullmatch(path):
            order_id = urllib.parse.unquote(NUMBER_ORDER_PATH.fullmatch(path).group(1))
            command = "number_orders.get"
        elif CALL_PATH.fullmatch(path):
            call_id, command = urllib.parse.unquote(CALL_PATH.fullmatch(path).group(1)), "call_status"
        else:
            return 404, error_body("10005", "Resource not found", "No route for %s %s." % (method, path)), 0
        rec["command"], rec["call_control_id"] = command, call_id
        auth = headers.get("Authorization", "")
        key = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if not key or (self.opts.api_key and key != self.opts.api_key):
            return 401, error_body("10009", "Authentication failed",
                                   "The API key in the Authorization header is missing or wrong."), 0
        if not self.schemas.has_command(command):
            return 404, error_body("10005", "Resource not found", "Unknown action %r." % command), 0
        if method != self.schemas.command_method(command):
            return 405, error_body("10005", "Method not allowed", "%s takes %s." % (
                command, self.schemas.command_method(command))), 0
        if command in ("available_phone_numbers", "number_orders.create", "number_orders.get"):
            return self._numbers(rec, command, query, order_id, at)
        call = self.call(call_id) if call_id else None

        errs = []
        body = rec["body"]
        if command != "call_status":
            if not isinstance(body, dict):
                errs = ["$: the body must be a JSON object"]
            else:
                errs = self.schemas.check(command, body)
        rec["valid"] = not errs
        if errs:
            rec["errors"] = errs
        entry = {"command": command, "body": body, "at": at, "duplicate": False,
                 "command_id": body.get("command_id") if isinstance(body, dict) else None}

        fault = self.take_fault(command)
        delay_s = fault["delay_ms"] / 1000.0 if fault else 0
        if fault and fault["status"]:
            rec["injected"] = True
            if call is not None:
                call.record_command(dict(entry, status=fault["status"], injected=True))
            return fault["status"], injected_error(fault["status"]), delay_s
        if errs:
            if call is not None:
                call.record_command(dict(entry, status=422, valid=False, error="10004"))
            return 422, error_body("10004", "Missing or invalid parameter", "; ".join(errs)), delay_s

        if command == "messages.send":
            return self._send_message(body, at) + (delay_s,)
        if call is None:
            return 422, error_body("90015", "Invalid Call Control ID",
                                   "No call with call_control_id %r." % call_id), delay_s
        if command == "call_status":
            snap = call.snapshot()
            return 200, {"data": {
                "record_type": "call", "call_control_id": call.id, "call_leg_id": call.leg_id,
                "call_session_id": call.session_id, "is_alive": not snap["ended"],
                "call_duration": int((snap["ended_at"] or time.time()) - snap["created_at"]),
                "start_time": iso_now(snap["created_at"]),
                "end_time": iso_now(snap["ended_at"]) if snap["ended_at"] else None}}, delay_s
        try:
            data = call.command(command, body, at)
        except CommandError as err:
            return err.status, err.body(), delay_s
        return 200, {"data": data}, delay_s

    def _numbers(self, rec, command, query, order_id, at):
        """The number search and orders: request checked, answer checked, faults applied."""
        body = rec["body"]
        filters = {}
        if command == "available_phone_numbers":
            values, errs = self.schemas.read_query(command, query or "")
            filters = values.get("filter", {})
        elif command == "number_orders.create":
            errs = (self.schemas.check(command, body) if isinstance(body, dict)
                    else ["$: the body must be a JSON object"])
        else:
            errs = ["$: a GET takes no body"] if body is not None else []
        rec["valid"] = not errs
        if errs:
            rec["errors"] = errs
        fault = self.take_fault(command)
        delay_s = fault["delay_ms"] / 1000.0 if fault else 0
        if fault and fault["status"]:
            rec["injected"] = True
            return fault["status"], injected_error(fault["status"]), delay_s
        if errs:
            status, answer = 422, error_body("10004", "Missing or invalid parameter", "; ".join(errs))
        elif command == "available_phone_numbers":
            status, answer = self.numbers.search(filters)
        elif command == "number_orders.create":
            status, answer = self.numbers.order(body, at)
        else:
            status, answer = self.numbers.order_status(order_id)
        answer_errs = self.schemas.check(command, answer, response=status)
        if answer_errs:
            rec["response_errors"] = answer_errs
        return status, answer, delay_s

    def _send_message(self, body, at):
        to, from_ = body["to"], body.get("from")
        if not E164.fullmatch(to) or (from_ is not None and not E164.fullmatch(from_)):
            return 422, error_body("10016", "Phone number must be in +E.164 format",
                                   "'to' and 'from' must be E.164 numbers.")
        if not body.get("text") and not body.get("media_urls"):
            return 422, error_body("10004", "Missing required parameter",
                                   "'text' is required for an SMS (or 'media_urls' for an MMS).")
        with self.lock:
            blocked = (from_, to) in self.blocks
        if blocked:
            # Telnyx's block rule after a STOP it handled (developers.telnyx.com, messaging
            # "Advanced Opt-In/Out": error 40300 "Blocked due to STOP message")
            return 403, error_body("40300", "Blocked due to STOP message",
                                   "Messages cannot be sent from '%s' to '%s' due to an existing block rule."
                                   % (from_, to))
        mtype = body.get("type") or ("MMS" if body.get("media_urls") else "SMS")
        now_iso = iso_now(at)
        data = {
            "record_type": "message", "id": str(uuid.uuid4()), "direction": "outbound",
            "type": mtype, "text": body.get("text"),
            "from": {"phone_number": from_, "carrier": "TELNYX LLC", "line_type": "VoIP"},
            "to": [{"phone_number": to, "status": "queued", "carrier": "T-MOBILE USA, INC.",
                    "line_type": "Wireless"}],
            "cc": [], "media": [{"url": u} for u in body.get("media_urls") or []],
            "messaging_profile_id": body.get("messaging_profile_id") or str(uuid.UUID(int=0)),
            "parts": 1, "encoding": "GSM-7", "cost": None, "errors": [], "tags": [],
            "received_at": now_iso, "sent_at": None, "completed_at": None,
            "webhook_url": body.get("webhook_url"), "webhook_failover_url": body.get("webhook_failover_url"),
        }
        if data["from"]["phone_number"] is None:
            data["from"] = {"carrier": "TELNYX LLC", "line_type": "VoIP"}
        record = {"id": data["id"], "at": at, "request": body, "response": data, "webhooks": []}
        with self.lock:
            self.messages.append(record)
        if self.opts.message_webhooks:
            for event, status in (("message.sent", "sent"), ("message.finalized", "delivered")):
                p = json.loads(json.dumps(data))
                p["to"][0]["status"] = status
                p["sent_at"] = iso_now()
                if event == "message.finalized":
                    p["completed_at"] = iso_now()
                wh = Webhook(event, str(uuid.uuid4()), p, time.time())
                record["webhooks"].append(wh.record)
                self.sms_sender.put(wh)
        return 200, {"data": data}

    def receive_message(self, spec):
        """A text message from a customer to a business number: message.received."""
        from_, to, text = spec.get("from"), spec.get("to"), spec.get("text")
        if not all(isinstance(v, str) and E164.fullmatch(v) for v in (from_, to)):
            raise ValueError("\"from\" and \"to\" must be E.164 numbers")
        if not isinstance(text, str) or not text:
            raise ValueError("\"text\" must be non-empty")
        if text.strip().upper() in ("START", "UNSTOP"):
            with self.lock:                     # Telnyx lifts its own block rule on START
                self.blocks.discard((to, from_))
        now = iso_now()
        payload = {
            "record_type": "message", "id": str(uuid.uuid4()), "direction": "inbound", "type": "SMS",
            "text": text,
            "from": {"phone_number": from_, "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless",
                     "status": "received"},
            "to": [{"phone_number": to, "status": "delivered", "carrier": "TELNYX LLC", "line_type": "VoIP"}],
            "cc": [], "media": [], "messaging_profile_id": str(uuid.UUID(int=0)),
            "received_at": now, "parts": 1, "encoding": "GSM-7",
        }
        # Telnyx's own STOP/START/HELP handling (advanced opt-in/out) marks the text it
        # answered; the field is not in the schema extract (tests/schemas/README.md).
        if spec.get("autoresponse_type"):
            payload["autoresponse_type"] = str(spec["autoresponse_type"])
        event_id = str(uuid.uuid4())
        whs = [Webhook("message.received", event_id, payload, time.time())
               for _ in range(2 if spec.get("duplicate") else 1)]
        record = {"id": payload["id"], "at": time.time(), "inbound": True, "from": from_, "to": to,
                  "text": text, "webhooks": [wh.record for wh in whs]}
        with self.lock:
            self.messages.append(record)
        # "delay_ms" holds this text back, so a later one overtakes it (Telnyx does not
        # promise delivery order)
        delay_s = float(spec.get("delay_ms") or 0) / 1000.0
        for wh in whs:
            if delay_s > 0:
                t = threading.Timer(delay_s, self.sms_sender.put, (wh,))
                t.daemon = True
                t.start()
            else:
                self.sms_sender.put(wh)
        return record

    # -- control API ------------------------------------------------------------------
    def control(self, method, path, query, raw):
        """Returns (status, body) for a /_sim request."""
        try:
            spec = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"error": "body is not JSON"}
        if method == "POST" and not isinstance(spec, dict):
            return 400, {"error": "body must be a JSON object"}
        parts = [urllib.parse.unquote(p) for p in path.split("/")[2:]]
        try:
            if parts == ["health"]:
                return 200, {"ok": True}
            if parts == ["calls"] and method == "POST":
                c = self.start_call(spec)
                return 200, {"call_control_id": c.id, "call_leg_id": c.leg_id,
                             "call_session_id": c.session_id}
            if parts == ["calls"] and method == "GET":
                with self.lock:
                    return 200, {"calls": list(self.calls)}
            if len(parts) >= 2 and parts[0] == "calls":
                c = self.call(parts[1])
                if c is None:
                    return 404, {"error": "no such call"}
                if len(parts) == 2 and method == "GET":
                    return 200, c.snapshot()
                if parts[2:] == ["hangup"] and method == "POST":
                    c.hang_up_now()
                    return 200, {"ok": True}
            if parts == ["requests"] and method == "GET":
                since = int(query.get("since", ["0"])[0])
                with self.lock:
                    return 200, {"requests": [dict(r) for r in self.requests[since:]]}
            if parts == ["messages"] and method == "GET":
                with self.lock:
                    return 200, {"messages": [dict(m) for m in self.messages]}
            if parts == ["messages"] and method == "POST":
                r = self.receive_message(spec)
                return 200, {"id": r["id"]}
            if parts == ["blocks"] and method == "POST":
                with self.lock:
                    self.blocks.add((spec["from"], spec["to"]))
                return 200, {"ok": True}
            if parts == ["reset"] and method == "POST":
                self.reset()
                return 200, {"ok": True}
            if parts == ["fail"] and method == "POST":
                return 200, {"ok": True, "faults": self.add_fault(spec)}
            if parts == ["numbers"] and method == "POST":
                return 200, self.numbers.set_stock(spec)
            if parts == ["number_orders"] and method == "POST":
                return 200, self.numbers.configure_orders(spec)
            if parts == ["number_orders"] and method == "GET":
                return 200, self.numbers.report()
            if parts == ["stats"] and method == "GET":
                d = self.delivery
                with self.lock:
                    live = sum(1 for c in self.calls.values() if not c.ended)
                    n_calls, n_req = len(self.calls), len(self.requests)
                with d.lock:
                    return 200, {"calls": n_calls, "live_calls": live, "requests": n_req,
                                 "webhooks_sent": d.sent, "webhooks_acked": d.acked,
                                 "webhooks_failed": d.failed}
        except (ValueError, TypeError) as err:
            return 400, {"error": str(err)}
        return 404, {"error": "no such control endpoint: %s %s" % (method, path)}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive: libcurl reuses connections
    server_version = "telnyx-sim"
    sys_version = ""

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        if self.server.sim.opts.verbose:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def _handle(self):
        at = time.time()
        sim = self.server.sim
        url = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        delay_s = 0
        if url.path.startswith("/v2/"):
            status, body, delay_s = sim.telnyx(self.command, url.path, url.query, self.headers, raw, at)
        elif url.path.startswith("/_sim/"):
            status, body = sim.control(self.command, url.path, urllib.parse.parse_qs(url.query), raw)
        else:
            status, body = 404, error_body("10005", "Resource not found")
        data = json.dumps(body, separators=(",", ":")).encode()
        if delay_s > 0:
            time.sleep(delay_s)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024           # the benchmark opens hundreds of connections at once
    allow_reuse_address = True


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listen", default="127.0.0.1:8090", help="host:port (port 0: any free port)")
    ap.add_argument("--webhook-url", required=True, help="where webhooks are POSTed")
    ap.add_argument("--key", required=True, help="signing key file: base64 of a 32-byte seed or 64-byte secret key")
    ap.add_argument("--connection-id", default="sim-connection")
    ap.add_argument("--api-key", default="", help="require exactly this Bearer key (default: any non-empty)")
    ap.add_argument("--spec", default=None, help="the Telnyx spec subset (default: tests/schemas/telnyx-openapi-subset.json)")
    ap.add_argument("--speech-ms-per-word", type=float, default=5.0,
                    help="how long speech lasts, per word, for the receptionist and the caller")
    ap.add_argument("--turn-gap-ms", type=float, default=20.0,
                    help="the caller waits this long after the receptionist falls silent")
    ap.add_argument("--greeting-wait-ms", type=float, default=1000.0,
                    help="before its first words the caller waits this long for a greeting")
    ap.add_argument("--reply-wait-ms", type=float, default=3000.0,
                    help="after speaking the caller waits this long for a reply before going on")
    ap.add_argument("--barge-wait-ms", type=float, default=2000.0,
                    help="a barge_in step waits this long for speech to interrupt")
    ap.add_argument("--answer-timeout-ms", type=float, default=30000.0,
                    help="an unanswered call is abandoned by its caller after this long")
    ap.add_argument("--max-call-ms", type=float, default=600000.0,
                    help="the caller hangs up after this long in any case")
    ap.add_argument("--transfer-answer-ms", type=float, default=100.0, help="transfer: time to call.bridged")
    ap.add_argument("--transfer-talk-ms", type=float, default=500.0,
                    help="transfer: time from call.bridged to the hang-up of the original leg")
    ap.add_argument("--duplicates", action="store_true", help="default for calls: send each webhook twice")
    ap.add_argument("--reorder", action="store_true", help="default for calls: swap adjacent webhooks")
    ap.add_argument("--delay-ms", type=int, default=0, help="default for calls: delay each webhook")
    ap.add_argument("--reorder-window-ms", type=float, default=100.0,
                    help="reorder: how long a webhook waits for a next one to swap with")
    ap.add_argument("--webhook-timeout-ms", type=float, default=5000.0, help="per delivery attempt")
    ap.add_argument("--no-message-webhooks", dest="message_webhooks", action="store_false",
                    help="do not send message.sent/message.finalized for POST /v2/messages")
    ap.add_argument("--print-transcript", action="store_true",
                    help="print every call's conversation to stdout as it happens")
    ap.add_argument("--call-to", help="start one call to this number at startup (the demo)")
    ap.add_argument("--call-from", help="the caller's number for --call-to")
    ap.add_argument("--script", help="script for --call-to: JSON text or @file (default: a short demo)")
    ap.add_argument("--verbose", action="store_true", help="log every HTTP request to stderr")
    return ap.parse_args(argv)


def main(argv=None):
    opts = parse_args(argv)
    host, _, port = opts.listen.rpartition(":")
    try:
        key = load_signing_key(opts.key)
        delivery = Delivery(opts.webhook_url, key, timeout_s=opts.webhook_timeout_ms / 1000.0)
        script = DEMO_SCRIPT
        if opts.script:
            text = open(opts.script[1:]).read() if opts.script.startswith("@") else opts.script
            script = json.loads(text)
            check_script(script)
    except (OSError, ValueError) as err:
        print("telnyx_sim: %s" % err, file=sys.stderr)
        return 2
    sim = Sim(opts, Schemas(opts.spec), delivery)
    try:
        server = Server((host or "127.0.0.1", int(port)), Handler)
    except OSError as err:
        print("telnyx_sim: cannot listen on %s: %s" % (opts.listen, err), file=sys.stderr)
        return 2
    server.sim = sim
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="http", daemon=True)
    serving.start()
    print("listening on %s:%d" % server.server_address[:2], flush=True)
    if opts.call_to:
        try:
            sim.start_call({"to": opts.call_to, "from": opts.call_from, "script": script})
        except ValueError as err:
            print("telnyx_sim: --call-to: %s" % err, file=sys.stderr)
    while not stop.wait(1.0):
        pass
    sim.shutdown()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
