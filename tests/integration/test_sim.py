"""The Telnyx simulator (tests/sim/telnyx_sim.py) against a small fake worker written
here: an HTTP server that receives the simulator's webhooks, checks each signature and
validates each body against the spec, and drives calls the way the real worker will
(answer, speak, transcription_start, hangup). No Redis, PostgreSQL or binaries needed."""
import base64
import http.server
import json
import os
import queue
import sys
import threading
import time
import uuid

import nacl.exceptions
import nacl.signing

import harness
from harness import free_port
from harness import http as request

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "sim"))
from sim_schema import Schemas  # noqa: E402

SIM = os.path.join(harness.ROOT, "tests", "sim", "telnyx_sim.py")
PYTHON = "/usr/bin/python3"
SCHEMAS = Schemas()
VOICE = "Telnyx.KokoroTTS.af"
GREETING = "Thank you for calling Demo Dental, how can I help you today?"


def b64(s):
    return base64.b64encode(s.encode()).decode()


class FakeWorker:
    """Receives webhooks; verifies, validates and records them; hands each event to
    on_event(worker, event) on one thread, in arrival order, after answering 200."""

    def __init__(self, verify_key, on_event=None, fail_first=None):
        self.verify_key = verify_key
        self.on_event = on_event
        self.fail_first = fail_first or {}      # event_type -> attempts to refuse with 503
        self.events = []                        # (event dict, arrival time, meta)
        self.problems = []
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.q = queue.Queue()
        self.sim = None
        self.port = free_port()
        self.url = "http://127.0.0.1:%d/webhooks/telnyx" % self.port
        fw = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = fw._receive(self.headers, raw)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), H)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        threading.Thread(target=self._act, daemon=True).start()

    def _receive(self, headers, raw):
        ts = headers.get("telnyx-timestamp", "")
        try:
            sig = base64.b64decode(headers.get("telnyx-signature-ed25519", ""), validate=True)
            self.verify_key.verify(ts.encode() + b"|" + raw, sig)
        except (ValueError, nacl.exceptions.BadSignatureError) as err:
            with self.lock:
                self.problems.append("bad signature: %r" % err)
            return 401
        if abs(time.time() - int(ts)) > 300:
            self.problems.append("timestamp out of window")
        body = json.loads(raw)
        data = body["data"]
        errs = SCHEMAS.check(data["event_type"], body)
        with self.cond:
            if errs:
                self.problems.append("%s invalid: %s" % (data["event_type"], errs))
            left = self.fail_first.get(data["event_type"], 0)
            if left > 0:
                self.fail_first[data["event_type"]] = left - 1
                return 503
            self.events.append((data, time.time(), body.get("meta")))
            self.cond.notify_all()
        self.q.put(data)
        return 200

    def _act(self):
        while True:
            data = self.q.get()
            while self.sim is None:          # a call started with the simulator (--call-to)
                time.sleep(0.01)
            if self.on_event is not None:
                try:
                    self.on_event(self, data)
                except Exception as err:  # shown by check_clean()
                    self.problems.append("on_event: %r" % err)

    # -- helpers for tests ---------------------------------------------------------
    def command(self, call_id, name, body, auth=True):
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = "Bearer test-key"
        st, _, raw = request("POST", "%s/v2/calls/%s/actions/%s" % (self.sim.url, call_id, name),
                          json.dumps(body), headers)
        return st, json.loads(raw)

    def wait_for(self, pred, timeout=5.0, what="event"):
        end = time.time() + timeout
        with self.cond:
            while True:
                for data, at, meta in self.events:
                    if pred(data):
                        return data, at
                left = end - time.time()
                if left <= 0:
                    raise AssertionError("timed out waiting for %s; got %s" % (
                        what, [d["event_type"] for d, _, _ in self.events]))
                self.cond.wait(left)

    def of_call(self, call_id):
        with self.lock:
            return [(d, at, m) for d, at, m in self.events if d["payload"].get("call_control_id") == call_id]

    def types(self, call_id):
        return [d["event_type"] for d, _, _ in self.of_call(call_id)]

    def check_clean(self):
        assert not self.problems, self.problems

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Sim(harness.Proc):
    def __init__(self, worker, *args, key_bytes=64, signing_key=None):
        self.signing_key = signing_key or nacl.signing.SigningKey.generate()
        d = harness._tmpdir("fd-sim-")
        self.key_file = os.path.join(d, "key")
        raw = bytes(self.signing_key) + bytes(self.signing_key.verify_key)
        with open(self.key_file, "w") as f:
            f.write(base64.b64encode(raw[:key_bytes]).decode() + "\n")
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        argv = [PYTHON, SIM, "--listen", "127.0.0.1:%d" % self.port, "--webhook-url", worker.url,
                "--key", self.key_file, *args]
        super().__init__(argv, dict(os.environ), "telnyx-sim")
        harness.wait_http(self.url + "/_sim/health")
        worker.sim = self

    def get(self, path):
        st, _, raw = request("GET", self.url + path)
        assert st == 200, (st, raw)
        return json.loads(raw)

    def post(self, path, body):
        st, _, raw = request("POST", self.url + path, json.dumps(body), {"Content-Type": "application/json"})
        return st, json.loads(raw)

    def start_call(self, **spec):
        spec.setdefault("from", "+15550109999")
        spec.setdefault("to", "+15550100001")
        st, body = self.post("/_sim/calls", spec)
        assert st == 200, body
        return body["call_control_id"]

    def call(self, call_id):
        return self.get("/_sim/calls/" + call_id)

    def wait_call(self, call_id, pred, timeout=5.0):
        end = time.time() + timeout
        while True:
            c = self.call(call_id)
            if pred(c):
                return c
            if time.time() > end:
                raise AssertionError("call state not reached: %s" % json.dumps(c)[:3000])
            time.sleep(0.02)


def start(on_event=None, *args, fail_first=None, key_bytes=64):
    key = nacl.signing.SigningKey.generate()
    w = FakeWorker(key.verify_key, on_event, fail_first)
    s = Sim(w, *args, key_bytes=key_bytes, signing_key=key)
    return w, s


def receptionist(w, ev):
    """What the real worker will do, in miniature."""
    p = ev["payload"]
    cid = p["call_control_id"]
    t = ev["event_type"]
    if t == "call.initiated" and p.get("direction") == "incoming":
        w.command(cid, "answer", {"client_state": b64("answered"), "command_id": str(uuid.uuid4())})
    elif t == "call.answered":
        w.command(cid, "speak", {"payload": GREETING, "voice": VOICE, "client_state": b64("greeted"),
                                 "command_id": str(uuid.uuid4())})
        w.command(cid, "transcription_start", {"transcription_engine": "Google",
                                               "transcription_tracks": "inbound"})
    elif t == "call.transcription" and p["transcription_data"]["is_final"]:
        said = p["transcription_data"]["transcript"]
        if "bye" in said.lower():
            w.command(cid, "hangup", {"client_state": b64("bye"), "command_id": str(uuid.uuid4())})
        else:
            w.command(cid, "speak", {"payload": "You said: " + said, "voice": VOICE,
                                     "client_state": b64("turn")})


def stop(w, s):
    rc = s.stop()
    w.close()
    assert rc == 0, "simulator exited with %r:\n%s" % (rc, s.output())


# -- tests ----------------------------------------------------------------------------

def test_scripted_call_end_to_end():
    w, s = start(receptionist)
    try:
        cid = s.start_call(script=[{"say": "Hi, I'd like to book a cleaning next week."},
                                   {"say": "OK thanks, bye."}])
        assert cid.startswith("v3:sim-")
        c = s.wait_call(cid, lambda c: c["ended"])
        assert c["hangup_source"] == "callee" and c["state"] == "hangup"
        w.wait_for(lambda d: d["event_type"] == "call.hangup")
        types = w.types(cid)
        assert types[:4] == ["call.initiated", "call.answered", "call.speak.started",
                             "call.speak.ended"], types
        assert types[-1] == "call.hangup", types
        # the caller speaks only after the greeting ended: interim, then final
        first_tr = types.index("call.transcription")
        assert first_tr > types.index("call.speak.ended")
        trs = [d["payload"]["transcription_data"] for d, _, _ in w.of_call(cid)
               if d["event_type"] == "call.transcription"]
        assert [t["is_final"] for t in trs] == [False, True, False, True], trs
        assert trs[1]["transcript"] == "Hi, I'd like to book a cleaning next week."
        assert trs[0]["transcript"] == "Hi, I'd"
        assert all(t["confidence"] == 0.9 and t["transcription_track"] == "inbound" for t in trs)
        # webhooks arrive in the order they happened
        occurred = [d["occurred_at"] for d, _, _ in w.of_call(cid)]
        assert occurred == sorted(occurred)
        # the conversation as the simulator saw it
        lines = [(t["speaker"], t["text"]) for t in c["transcript"]]
        assert lines == [("agent", GREETING), ("caller", "Hi, I'd like to book a cleaning next week."),
                         ("agent", "You said: Hi, I'd like to book a cleaning next week."),
                         ("caller", "OK thanks, bye.")], lines
        cmds = [(x["command"], x["status"]) for x in c["commands"]]
        assert cmds == [("answer", 200), ("speak", 200), ("transcription_start", 200), ("speak", 200),
                        ("hangup", 200)], cmds
        # every webhook posted and acknowledged, with times
        c = s.wait_call(cid, lambda c: all(x["acked_at"] for x in c["webhooks"]))
        assert len(c["webhooks"]) == len(types)
        assert all(x["acked_at"] >= x["sent_at"] and x["status"] == 200 for x in c["webhooks"])
        reqs = s.get("/_sim/requests")["requests"]
        assert len(reqs) == 5 and all(r["valid"] and r["status"] == 200 for r in reqs), reqs
        assert cid in s.get("/_sim/calls")["calls"]
        w.check_clean()
    finally:
        stop(w, s)


def test_client_state_echoed():
    w, s = start(receptionist)
    try:
        cid = s.start_call(script=[{"say": "bye"}])
        s.wait_call(cid, lambda c: c["ended"])
        w.wait_for(lambda d: d["event_type"] == "call.hangup")
        evs = [d for d, _, _ in w.of_call(cid)]
        assert "client_state" not in evs[0]["payload"]          # call.initiated of an incoming call
        by_type = {}
        for d in evs[1:]:
            by_type.setdefault(d["event_type"], []).append(d["payload"].get("client_state"))
        assert by_type["call.answered"] == [b64("answered")]
        assert by_type["call.speak.started"] == [b64("greeted")]
        assert set(by_type["call.transcription"]) == {b64("greeted")}
        assert by_type["call.hangup"] == [b64("bye")]
        w.check_clean()
    finally:
        stop(w, s)


def test_commands_after_hangup_and_repeated_command_id():
    w, s = start(None)
    try:
        cid = s.start_call(script=[])
        w.wait_for(lambda d: d["event_type"] == "call.initiated")
        answer_id = str(uuid.uuid4())
        assert w.command(cid, "answer", {"command_id": answer_id}) == (200, {"data": {"result": "ok"}})
        st, body = w.command(cid, "answer", {"command_id": answer_id})
        assert st == 200 and body == {"data": {"result": "ok"}}
        assert not SCHEMAS.check("answer", body, response=200)
        speak = {"payload": "Hello there", "voice": VOICE, "command_id": str(uuid.uuid4())}
        assert w.command(cid, "speak", speak)[0] == 200
        assert w.command(cid, "speak", speak)[0] == 200           # the same command again
        hang = {"command_id": str(uuid.uuid4())}
        assert w.command(cid, "hangup", hang)[0] == 200
        w.wait_for(lambda d: d["event_type"] == "call.hangup")
        st, body = w.command(cid, "speak", {"payload": "Still there?", "voice": VOICE})
        assert st == 422 and body["errors"][0]["code"] == "90018", body
        assert not SCHEMAS.check("speak", body, response=422), SCHEMAS.check("speak", body, response=422)
        assert w.command(cid, "hangup", hang)[0] == 200            # a resent hangup is a duplicate
        c = s.call(cid)
        assert [(x["command"], x["status"], x["duplicate"]) for x in c["commands"]] == [
            ("answer", 200, False), ("answer", 200, True), ("speak", 200, False), ("speak", 200, True),
            ("hangup", 200, False), ("speak", 422, False), ("hangup", 200, True)], c["commands"]
        time.sleep(0.1)
        types = w.types(cid)
        assert types.count("call.answered") == 1 and types.count("call.speak.started") == 1, types
        assert types.count("call.hangup") == 1
        # the speech was cut by the hang-up
        ended = [d for d, _, _ in w.of_call(cid) if d["event_type"] == "call.speak.ended"]
        assert ended and ended[0]["payload"]["status"] in ("completed", "call_hangup")
        hup = [d for d, _, _ in w.of_call(cid) if d["event_type"] == "call.hangup"][0]["payload"]
        assert (hup["hangup_source"], hup["hangup_cause"], hup["sip_hangup_cause"]) == (
            "callee", "normal_clearing", "200")
        w.check_clean()
    finally:
        stop(w, s)


def test_invalid_body_missing_auth_unknown_call():
    w, s = start(None)
    try:
        cid = s.start_call(script=[])
        assert w.command(cid, "answer", {})[0] == 200
        st, body = w.command(cid, "speak", {"payload": "No voice"})
        assert st == 422 and body["errors"][0]["code"] == "10004", body
        assert "voice" in body["errors"][0]["detail"]
        st, body = w.command(cid, "speak", {"payload": "Hi", "voice": VOICE}, auth=False)
        assert st == 401 and body["errors"][0]["code"] == "10009", body
        st, body = w.command("v3:nope", "hangup", {})
        assert st == 422 and body["errors"][0]["code"] == "90015", body
        st, _, raw = request("POST", s.url + "/v2/calls/%s/actions/no_such_action" % cid, "{}",
                          {"Authorization": "Bearer k"})
        assert st == 404
        reqs = s.get("/_sim/requests")["requests"]
        assert [(r["command"], r["status"], r["valid"]) for r in reqs] == [
            ("answer", 200, True), ("speak", 422, False), ("speak", 401, None), ("hangup", 422, True),
            ("no_such_action", 404, None)], reqs
        assert reqs[1]["errors"]
        invalid = [x for x in s.call(cid)["commands"] if x.get("valid") is False]
        assert len(invalid) == 1 and invalid[0]["status"] == 422
        # a command before answer
        cid2 = s.start_call(script=[])
        st, body = w.command(cid2, "speak", {"payload": "Hi", "voice": VOICE})
        assert st == 422 and body["errors"][0]["code"] == "90034"
        w.check_clean()
    finally:
        stop(w, s)


def test_fail_injection():
    w, s = start(None)
    try:
        cid = s.start_call(script=[])
        st, body = s.post("/_sim/fail", {"status": 503, "count": 2})
        assert st == 200, body
        cmd_id = str(uuid.uuid4())
        for _ in range(2):
            st, body = w.command(cid, "answer", {"command_id": cmd_id})
            assert st == 503 and body["errors"][0]["code"] == "10007", (st, body)
        st, body = w.command(cid, "answer", {"command_id": cmd_id})  # the retry goes through
        assert st == 200
        w.wait_for(lambda d: d["event_type"] == "call.answered")
        c = s.call(cid)
        assert [(x["status"], x["duplicate"]) for x in c["commands"]] == [
            (503, False), (503, False), (200, False)], c["commands"]
        # a fault for one command only, and a slow answer
        s.post("/_sim/fail", {"status": 500, "count": 1, "command": "hangup"})
        assert w.command(cid, "transcription_start", {})[0] == 200
        assert w.command(cid, "hangup", {})[0] == 500
        s.post("/_sim/fail", {"delay_ms": 300, "count": 1})
        t0 = time.time()
        assert w.command(cid, "hangup", {})[0] == 200
        assert time.time() - t0 >= 0.3
        w.check_clean()
    finally:
        stop(w, s)


def test_duplicates_mode_sends_each_webhook_twice():
    w, s = start(receptionist)
    try:
        cid = s.start_call(script=[{"say": "bye"}], duplicates=True)
        s.wait_call(cid, lambda c: c["ended"])
        w.wait_for(lambda d: d["event_type"] == "call.hangup")
        time.sleep(0.1)
        ids = [d["id"] for d, _, _ in w.of_call(cid)]
        assert len(ids) == 2 * len(set(ids)) and all(ids.count(i) == 2 for i in ids), ids
        c = s.call(cid)
        # the receptionist answered once per event anyway? No: it acted on each copy, as a
        # naive worker would, so the repeated answer shows up here as a second command.
        assert [x["command"] for x in c["commands"]].count("answer") == 2
        w.check_clean()
    finally:
        stop(w, s)


def test_reorder_swaps_adjacent_webhooks():
    w, s = start(None, "--reorder-window-ms", "50")
    try:
        cid = s.start_call(script=[], reorder=True)
        w.wait_for(lambda d: d["event_type"] == "call.initiated", timeout=2)
        w.command(cid, "answer", {})
        w.command(cid, "speak", {"payload": "One", "voice": VOICE})
        w.command(cid, "speak", {"payload": "Two", "voice": VOICE})
        w.command(cid, "hangup", {})
        w.wait_for(lambda d: d["event_type"] == "call.hangup", timeout=3)
        time.sleep(0.2)
        occurred = [d["occurred_at"] for d, _, _ in w.of_call(cid)]
        types = w.types(cid)
        assert types.count("call.initiated") == types.count("call.answered") == types.count("call.hangup") == 1
        assert types.count("call.speak.started") == types.count("call.speak.ended") >= 1, types
        assert occurred != sorted(occurred), w.types(cid)
        w.check_clean()
    finally:
        stop(w, s)


def test_barge_in_interim_while_speaking():
    long_greeting = " ".join(["word"] * 160)         # 160 words x 5 ms = 800 ms of speech
    stopped = {}

    def worker(w, ev):
        p = ev["payload"]
        cid = p["call_control_id"]
        if ev["event_type"] == "call.initiated":
            w.command(cid, "answer", {})
        elif ev["event_type"] == "call.answered":
            w.command(cid, "transcription_start", {})
            w.command(cid, "speak", {"payload": long_greeting, "voice": VOICE})
        elif ev["event_type"] == "call.transcription" and not p["transcription_data"]["is_final"]:
            stopped["at"] = time.time()
            w.command(cid, "playback_stop", {})
        elif ev["event_type"] == "call.transcription":
            w.command(cid, "hangup", {})

    w, s = start(worker)
    try:
        cid = s.start_call(script=[{"say": "Sorry to interrupt, what time is it?", "barge_in": True}])
        s.wait_call(cid, lambda c: c["ended"])
        w.wait_for(lambda d: d["event_type"] == "call.hangup")
        types = w.types(cid)
        i_start, i_end = types.index("call.speak.started"), types.index("call.speak.ended")
        i_interim = types.index("call.transcription")
        assert i_start < i_interim < i_end, types
        c = s.call(cid)
        assert c["transcript"][0]["speaker"] == "agent" and c["transcript"][0].get("interrupted")
        ended_at = [at for d, at, _ in w.of_call(cid) if d["event_type"] == "call.speak.ended"][0]
        started = [x for x in c["webhooks"] if x["event_type"] == "call.speak.started"][0]
        assert ended_at - started["sent_at"] < 0.6        # cut short, well before 800 ms
        w.check_clean()
    finally:
        stop(w, s)


def test_silence_waits_for_two_prompts():
    # the caller's turn comes after the greeting; it stays silent through two re-prompts
    w, s = start(None)
    try:
        cid = s.start_call(script=[{"silence": True}, {"say": "Sorry, yes, I'm here."}])
        w.wait_for(lambda d: d["event_type"] == "call.initiated")
        w.command(cid, "answer", {})
        w.command(cid, "transcription_start", {})
        w.command(cid, "speak", {"payload": "Hello, how can I help?", "voice": VOICE})
        time.sleep(0.3)
        assert "call.transcription" not in w.types(cid)
        w.command(cid, "speak", {"payload": "Are you still there?", "voice": VOICE})
        w.wait_for(lambda d: d["event_type"] == "call.speak.ended" and len(
            [t for t in w.types(cid) if t == "call.speak.ended"]) == 2)
        time.sleep(0.2)
        assert "call.transcription" not in w.types(cid), w.types(cid)
        assert s.call(cid)["script_step"] == 0
        w.command(cid, "speak", {"payload": "I'll hang up now unless you say something.",
                                 "voice": VOICE})
        w.wait_for(lambda d: d["event_type"] == "call.transcription"
                   and d["payload"]["transcription_data"]["is_final"])
        types = w.types(cid)
        assert types.index("call.transcription") > max(
            i for i, t in enumerate(types) if t == "call.speak.ended"), types
        s.post("/_sim/calls/%s/hangup" % cid, {})
        c = s.wait_call(cid, lambda c: c["ended"])
        assert c["hangup_source"] == "caller"
        w.check_clean()
    finally:
        stop(w, s)


def test_caller_hangup_step_and_transfer():
    def worker(w, ev):
        p = ev["payload"]
        cid = p["call_control_id"]
        if ev["event_type"] == "call.initiated":
            w.command(cid, "answer", {})
        elif ev["event_type"] == "call.answered":
            w.command(cid, "speak", {"payload": "Hi.", "voice": VOICE})
            w.command(cid, "transcription_start", {})
        elif ev["event_type"] == "call.transcription" and p["transcription_data"]["is_final"]:
            if "person" in p["transcription_data"]["transcript"]:
                w.command(cid, "transfer", {"to": "+15550107777"})

    w, s = start(worker, "--transfer-answer-ms", "20", "--transfer-talk-ms", "50")
    try:
        a = s.start_call(script=[{"say": "Hello"}, {"pause_ms": 30}, {"hangup": True}])
        b = s.start_call(script=[{"say": "Can I talk to a person?"}])
        ca = s.wait_call(a, lambda c: c["ended"])
        cb = s.wait_call(b, lambda c: c["ended"])
        assert ca["hangup_source"] == "caller" and ca["hangup_cause"] == "normal_clearing"
        assert cb["transferred_to"] == "+15550107777"
        w.wait_for(lambda d: d["event_type"] == "call.hangup" and d["payload"]["call_control_id"] == b)
        tb = w.types(b)
        assert tb[-2:] == ["call.bridged", "call.hangup"], tb
        w.check_clean()
    finally:
        stop(w, s)


def test_webhook_retried_until_acknowledged_and_32_byte_seed():
    w, s = start(receptionist, fail_first={"call.initiated": 2}, key_bytes=32)
    try:
        cid = s.start_call(script=[{"say": "bye"}])
        s.wait_call(cid, lambda c: c["ended"], timeout=10)
        data, _ = w.wait_for(lambda d: d["event_type"] == "call.initiated")
        meta = [m for d, _, m in w.of_call(cid) if d["event_type"] == "call.initiated"][0]
        assert meta["attempt"] == 3 and meta["delivered_to"] == w.url
        rec = s.call(cid)["webhooks"][0]
        assert rec["attempts"] == 3 and rec["status"] == 200
        assert w.types(cid).count("call.initiated") == 1
        w.check_clean()
    finally:
        stop(w, s)


def test_messages():
    w, s = start(None)
    try:
        headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}
        req = {"from": "+15550100001", "to": "+15550109999", "text": "See you Tuesday at 10."}
        st, _, raw = request("POST", s.url + "/v2/messages", json.dumps(req), headers)
        assert st == 200, raw
        body = json.loads(raw)
        assert not SCHEMAS.check("messages.send", body, response=200)
        d = body["data"]
        assert d["direction"] == "outbound" and d["to"][0]["status"] == "queued"
        assert d["from"]["phone_number"] == "+15550100001" and d["text"] == req["text"]
        st, _, raw = request("POST", s.url + "/v2/messages", json.dumps({"text": "no to"}), headers)
        assert st == 422 and json.loads(raw)["errors"][0]["code"] == "10004"
        w.wait_for(lambda e: e["event_type"] == "message.finalized")
        st, body = s.post("/_sim/messages", {"from": "+15550109999", "to": "+15550100001",
                                              "text": "Can I move it to Wednesday?"})
        assert st == 200
        got, _ = w.wait_for(lambda e: e["event_type"] == "message.received")
        assert got["payload"]["text"] == "Can I move it to Wednesday?"
        msgs = s.get("/_sim/messages")["messages"]
        assert msgs[0]["request"] == req and msgs[0]["id"] == d["id"]
        w.check_clean()
    finally:
        stop(w, s)


def test_numbers_are_searched_sold_once_followed_and_counted_per_reference():
    w, s = start(None)
    try:
        headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}
        query = ("filter[country_code]=US&filter[national_destination_code]=312"
                 "&filter[features][]=voice&filter[features][]=sms&filter[limit]=3")
        st, _, raw = request("GET", s.url + "/v2/available_phone_numbers?" + query, None, headers)
        assert st == 200, raw
        found = json.loads(raw)
        assert not SCHEMAS.check("available_phone_numbers", found, response=200)
        numbers = [d["phone_number"] for d in found["data"]]
        assert len(numbers) == 3 and all(n.startswith("+1312") for n in numbers)
        s.post("/_sim/number_orders", {"pending_polls": 2})
        order = {"phone_numbers": [{"phone_number": numbers[0]}], "customer_reference": "req-1",
                 "connection_id": "c1", "messaging_profile_id": "m1"}
        st, _, raw = request("POST", s.url + "/v2/number_orders", json.dumps(order), headers)
        assert st == 200, raw
        placed = json.loads(raw)["data"]
        assert placed["status"] == "pending" and placed["customer_reference"] == "req-1"
        st, _, raw = request("POST", s.url + "/v2/number_orders", json.dumps(order), headers)
        assert st == 422 and json.loads(raw)["errors"][0]["code"] == "sim_number_unavailable"
        statuses = []
        for _ in range(3):
            st, _, raw = request("GET", s.url + "/v2/number_orders/" + placed["id"], None, headers)
            statuses.append(json.loads(raw)["data"]["status"])
        assert statuses == ["pending", "pending", "success"]
        st, _, raw = request("GET", s.url + "/v2/available_phone_numbers?" + query, None, headers)
        assert numbers[0] not in [d["phone_number"] for d in json.loads(raw)["data"]]
        assert s.get("/_sim/number_orders")["by_reference"] == {"req-1": 1}
        s.post("/_sim/numbers", {"area_code": "907", "available": 0})
        st, _, raw = request("GET", s.url + "/v2/available_phone_numbers?filter[national_destination_code]=907",
                             None, headers)
        assert st == 200 and json.loads(raw)["data"] == []
        st, _, raw = request("GET", s.url + "/v2/available_phone_numbers?filter[area]=312", None, headers)
        assert st == 422, raw
        st, _, raw = request("GET", s.url + "/v2/number_orders/nope", None, headers)
        assert st == 404 and json.loads(raw)["errors"][0]["code"] == "10005"
        reqs = s.get("/_sim/requests")["requests"]
        assert [r["valid"] for r in reqs].count(False) == 1      # the misspelt filter
        assert not [r for r in reqs if r.get("response_errors")]
    finally:
        stop(w, s)


def test_print_transcript_reset_and_sigterm():
    w, s = start(receptionist, "--print-transcript")
    try:
        cid = s.start_call(script=[{"say": "Hello"}, {"say": "bye"}])
        s.wait_call(cid, lambda c: c["ended"])
        out = s.output()
        assert "listening on 127.0.0.1:%d" % s.port in out
        assert "[call %s] agent: %s" % (cid[:11], GREETING) in out, out
        assert "[call %s] caller: Hello" % cid[:11] in out, out
        s.start_call(script=[])
        t_reset = time.time()
        st, _ = s.post("/_sim/reset", {})
        assert st == 200
        assert s.get("/_sim/calls")["calls"] == []
        assert all(r["at"] >= t_reset for r in s.get("/_sim/requests")["requests"])
        assert request("GET", s.url + "/_sim/calls/" + cid)[0] == 404
    finally:
        stop(w, s)


def test_many_concurrent_calls():
    w, s = start(receptionist)
    try:
        ids = [s.start_call(script=[{"say": "Hello there"}, {"say": "bye"}]) for _ in range(60)]
        for cid in ids:
            c = s.wait_call(cid, lambda c: c["ended"], timeout=20)
            assert c["hangup_source"] == "callee", c
        stats = s.get("/_sim/stats")
        assert stats["webhooks_failed"] == 0 and stats["live_calls"] == 0, stats
        w.check_clean()
    finally:
        stop(w, s)


def test_demo_call_at_startup():
    w, s = start(receptionist, "--print-transcript", "--call-to", "+15550100001",
                 "--script", json.dumps([{"say": "Hello"}, {"say": "bye"}]))
    try:
        ids = s.get("/_sim/calls")["calls"]
        assert len(ids) == 1
        c = s.wait_call(ids[0], lambda c: c["ended"])
        assert c["to"] == "+15550100001" and [t["speaker"] for t in c["transcript"]] == [
            "agent", "caller", "agent", "caller"]
        assert "[call %s] -- hung up by the receptionist" % ids[0][:11] in s.output()
        w.check_clean()
    finally:
        stop(w, s)
