#!/usr/bin/python3
"""fake_openai: plays an OpenAI-compatible chat-completions endpoint for tests of model
mode (lib/llm/llm_client.c). It checks every request and answers from a script.

  /usr/bin/python3 tests/fake_llm/fake_openai.py --listen 127.0.0.1:PORT --key KEY
      [--model MODEL] [--script JSON|@FILE]

POST /v1/chat/completions   checked (method, path, Bearer key, JSON shape: model,
                            messages with valid roles and tool-call pairing, the tools
                            array with exactly the six receptionist functions whose
                            parameters are valid JSON Schemas, tool_choice "auto").
                            A request that fails gets 400 and is recorded invalid, and
                            takes no script step; a valid one takes the next step:
    {"reply": "text"}                                  content
    {"tool_calls": [{"name": N, "arguments": {...}}]}  tool calls ("id" optional;
                                                       "arguments" may be a raw string)
    {"reply": ..., "tool_calls": [...]}                both
    {"delay_ms": N, ...}                               wait N ms first (noting whether
                                                       the client hangs up meanwhile)
    {"broken": KIND}    not-json | no-choices | no-content | bad-arguments |
                        unknown-tool | http-500
    {"usage": {...}}    overrides the computed usage of any answer
  With the script used up, the answer is {"reply": "(fake: no scripted answer)"}.
POST /_fake/script      replaces the script with the body (a list of steps); or, with
                        the body {"match": TEXT, "steps": [...]}, sets a script of its own
                        for the requests whose system prompt contains TEXT (a business's
                        name), so calls of several businesses can run at once
POST /_fake/reset       clears the script and the recorded requests
GET  /_fake/requests    {"requests": [{"valid", "problems", "body", "step",
                         "client_closed_ms", ...}]}
"""
import argparse
import http.server
import json
import select
import signal
import socket
import sys
import threading
import time

import jsonschema

TOOLS = ("check_availability", "book", "cancel_booking", "transfer", "take_message", "end_call")
ROLES = ("system", "user", "assistant", "tool")
TOP_KEYS = {"model", "messages", "tools", "tool_choice", "max_tokens", "temperature"}
BROKEN = ("not-json", "no-choices", "no-content", "bad-arguments", "unknown-tool", "http-500")


def check_script(script):
    """Raises ValueError unless script is a list of steps this fake can play."""
    if not isinstance(script, list):
        raise ValueError("a script is a list of steps")
    for i, step in enumerate(script):
        if not isinstance(step, dict) or not step.keys() <= {"reply", "tool_calls", "delay_ms",
                                                             "broken", "usage"}:
            raise ValueError(f"step {i}: not a step: {step!r}")
        if "broken" in step and step["broken"] not in BROKEN:
            raise ValueError(f"step {i}: broken must be one of {', '.join(BROKEN)}")
        if not ({"reply", "tool_calls", "broken"} & step.keys()):
            raise ValueError(f"step {i}: needs reply, tool_calls or broken")
        for c in step.get("tool_calls", []):
            if not isinstance(c, dict) or "name" not in c:
                raise ValueError(f"step {i}: a tool call needs a name")


def _check_tools(tools, problems):
    if not isinstance(tools, list):
        problems.append("tools: not a list")
        return {}
    schemas = {}
    for i, t in enumerate(tools):
        fn = t.get("function") if isinstance(t, dict) else None
        if not isinstance(fn, dict) or t.get("type") != "function" or set(t) != {"type", "function"}:
            problems.append(f"tools[{i}]: not {{type: function, function: {{...}}}}")
            continue
        name, params = fn.get("name"), fn.get("parameters")
        if not isinstance(fn.get("description"), str) or not fn["description"]:
            problems.append(f"tools[{i}]: no description")
        if not isinstance(params, dict) or params.get("type") != "object":
            problems.append(f"tools[{i}]: parameters are not an object schema")
            continue
        try:
            jsonschema.Draft202012Validator.check_schema(params)
        except jsonschema.SchemaError as err:
            problems.append(f"tools[{i}]: parameters are not a valid JSON Schema: {err.message}")
            continue
        for req in params.get("required", []):
            if req not in params.get("properties", {}):
                problems.append(f"tools[{i}]: required {req} is not a property")
        if name in schemas:
            problems.append(f"tools[{i}]: {name} given twice")
        schemas[name] = params
    if sorted(schemas) != sorted(TOOLS):
        problems.append(f"tools: functions are {sorted(schemas)}, not the six receptionist tools")
    return schemas


def _check_assistant_calls(i, m, schemas, open_ids, problems):
    calls = m.get("tool_calls")
    if calls is None:
        if not isinstance(m.get("content"), str):
            problems.append(f"messages[{i}]: assistant without content or tool_calls")
        return
    if not isinstance(calls, list) or not calls:
        problems.append(f"messages[{i}]: tool_calls is not a non-empty list")
        return
    for j, c in enumerate(calls):
        fn = c.get("function") if isinstance(c, dict) else None
        where = f"messages[{i}].tool_calls[{j}]"
        if not isinstance(fn, dict) or c.get("type") != "function" or not isinstance(c.get("id"), str):
            problems.append(f"{where}: not {{id, type: function, function}}")
            continue
        if fn.get("name") not in schemas:
            problems.append(f"{where}: unknown function {fn.get('name')!r}")
            continue
        try:
            args = json.loads(fn.get("arguments"))
        except (TypeError, ValueError):
            problems.append(f"{where}: arguments are not a JSON string")
            continue
        for err in jsonschema.Draft202012Validator(schemas[fn["name"]]).iter_errors(args):
            problems.append(f"{where}: arguments: {err.message}")
        open_ids.add(c["id"])


def _check_messages(messages, schemas, problems):
    if not isinstance(messages, list) or not messages:
        problems.append("messages: not a non-empty list")
        return
    open_ids = set()
    for i, m in enumerate(messages):
        role = m.get("role") if isinstance(m, dict) else None
        if role not in ROLES:
            problems.append(f"messages[{i}]: role {role!r} is not one of {ROLES}")
            continue
        if (role == "system") != (i == 0):
            problems.append(f"messages[{i}]: the system message must come first, once")
        if role in ("system", "user", "tool") and not isinstance(m.get("content"), str):
            problems.append(f"messages[{i}]: {role} content is not a string")
        if role == "assistant":
            _check_assistant_calls(i, m, schemas, open_ids, problems)
        if role == "tool" and m.get("tool_call_id") not in open_ids:
            problems.append(f"messages[{i}]: tool_call_id answers no earlier tool call")
    last = messages[-1]
    if not isinstance(last, dict) or last.get("role") not in ("user", "tool"):
        problems.append("messages: the last message is neither user nor tool")


def check_request(body, model):
    """The problems of a chat-completions request body ([] when it is valid)."""
    problems = []
    if not isinstance(body, dict):
        return ["body: not a JSON object"]
    extra = set(body) - TOP_KEYS
    if extra:
        problems.append(f"body: unexpected keys {sorted(extra)}")
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model: missing")
    elif model and body["model"] != model:
        problems.append(f"model: {body['model']!r}, expected {model!r}")
    if body.get("tool_choice") != "auto":
        problems.append("tool_choice: not \"auto\"")
    schemas = _check_tools(body.get("tools"), problems)
    _check_messages(body.get("messages"), schemas, problems)
    return problems


class Fake:
    def __init__(self, key, model, script):
        self.key = key
        self.model = model
        self.lock = threading.Lock()
        self.script = list(script)
        self.matched = {}           # system prompt text -> its own script
        self.requests = []
        self.next_id = 1

    def take_step(self, body):
        prompt = ""
        msgs = body.get("messages") if isinstance(body, dict) else None
        if isinstance(msgs, list) and msgs and isinstance(msgs[0], dict):
            prompt = msgs[0].get("content") or ""
        with self.lock:
            for text, steps in self.matched.items():
                if text in prompt:
                    return steps.pop(0) if steps else None
            return self.script.pop(0) if self.script else None

    def call_id(self):
        with self.lock:
            n = self.next_id
            self.next_id += 1
        return f"call_{n}"


def _usage(body, step):
    if "usage" in step:
        return step["usage"]
    prompt = sum(len(m.get("content") or "") for m in body.get("messages", [])) // 4
    return {"prompt_tokens": prompt, "completion_tokens": 12, "total_tokens": prompt + 12}


def answer_for(fake, body, step):
    """(status, body bytes) for a valid request and its script step."""
    kind = step.get("broken")
    if kind == "http-500":
        return 500, json.dumps({"error": {"message": "injected", "type": "server_error"}}).encode()
    if kind == "not-json":
        return 200, b"<html>this is not json</html>"
    message = {"role": "assistant", "content": step.get("reply")}
    calls = step.get("tool_calls") or []
    if kind == "bad-arguments":
        calls = [{"name": "book", "arguments": '{"service": "Cleaning", "day": '}]
    elif kind == "unknown-tool":
        calls = [{"name": "launch_rocket", "arguments": {}}]
    if calls:
        message["tool_calls"] = [{
            "id": c.get("id") or fake.call_id(), "type": "function",
            "function": {"name": c["name"], "arguments": c["arguments"] if isinstance(
                c.get("arguments"), str) else json.dumps(c.get("arguments", {}))}} for c in calls]
    choices = [{"index": 0, "message": message,
                "finish_reason": "tool_calls" if calls else "stop"}]
    if kind == "no-choices":
        choices = []
    out = {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
           "model": body.get("model"), "choices": choices, "usage": _usage(body, step)}
    return 200, json.dumps(out).encode()


def wait_or_hangup(sock, seconds):
    """Sleeps up to seconds; returns the seconds waited when the client closed first, or
    None when the time passed with the client still there."""
    start = time.monotonic()
    while True:
        left = seconds - (time.monotonic() - start)
        if left <= 0:
            return None
        readable, _, _ = select.select([sock], [], [], min(left, 0.05))
        if readable:
            try:
                data = sock.recv(1, socket.MSG_PEEK)
            except OSError:
                data = b""
            if data == b"":
                return time.monotonic() - start


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, raw, ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _json(self, status, obj):
        self._send(status, json.dumps(obj).encode())

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        fake = self.server.fake
        if self.path == "/_fake/requests":
            with fake.lock:
                self._json(200, {"requests": list(fake.requests)})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        fake = self.server.fake
        raw = self._body()
        if self.path == "/_fake/script":
            try:
                script = json.loads(raw)
                match = None
                if isinstance(script, dict):
                    match, script = script.get("match"), script.get("steps")
                    if not isinstance(match, str) or not match:
                        raise ValueError("match must be a non-empty text")
                check_script(script)
            except ValueError as err:
                return self._json(400, {"error": str(err)})
            with fake.lock:
                if match is None:
                    fake.script = list(script)
                else:
                    fake.matched[match] = list(script)
            return self._json(200, {"steps": len(script)})
        if self.path == "/_fake/reset":
            with fake.lock:
                fake.script, fake.requests, fake.matched = [], [], {}
            return self._json(200, {})
        self._completions(fake, raw)

    def _completions(self, fake, raw):
        rec = {"at": time.time(), "method": self.command, "path": self.path, "valid": False,
               "problems": [], "body": None, "step": None, "client_closed_ms": None}
        with fake.lock:
            fake.requests.append(rec)
        if self.path != "/v1/chat/completions":
            rec["problems"].append(f"path {self.path} is not /v1/chat/completions")
        if self.headers.get("Authorization") != "Bearer " + fake.key:
            rec["problems"].append("Authorization is not the Bearer key")
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            rec["problems"].append("Content-Type is not application/json")
        try:
            rec["body"] = json.loads(raw)
        except ValueError:
            rec["problems"].append("body is not JSON")
        if rec["body"] is not None:
            rec["problems"] += check_request(rec["body"], fake.model)
        if rec["problems"]:
            return self._json(400, {"error": {"message": "; ".join(rec["problems"]),
                                              "type": "invalid_request_error"}})
        rec["valid"] = True
        step = fake.take_step(rec["body"]) or {"reply": "(fake: no scripted answer)"}
        rec["step"] = step
        if step.get("delay_ms"):
            closed = wait_or_hangup(self.connection, step["delay_ms"] / 1000.0)
            if closed is not None:
                rec["client_closed_ms"] = closed * 1000.0
                self.close_connection = True
                return
        status, out = answer_for(fake, rec["body"], step)
        self._send(status, out, "text/html" if step.get("broken") == "not-json" else "application/json")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's backlog of 5 drops connections when dozens of calls ask at once,
    # and the client's one-second connect timeout then turns them into fallbacks
    request_queue_size = 128


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True, help="HOST:PORT")
    ap.add_argument("--key", required=True, help="the API key every request must carry")
    ap.add_argument("--model", help="the model every request must name (default: any)")
    ap.add_argument("--script", help="the first script: JSON text or @file")
    opts = ap.parse_args(argv)
    try:
        script = []
        if opts.script:
            text = open(opts.script[1:]).read() if opts.script.startswith("@") else opts.script
            script = json.loads(text)
            check_script(script)
    except (OSError, ValueError) as err:
        print(f"fake_openai: {err}", file=sys.stderr)
        return 2
    host, _, port = opts.listen.rpartition(":")
    server = Server((host or "127.0.0.1", int(port)), Handler)
    server.fake = Fake(opts.key, opts.model, script)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    print("listening on %s:%d" % server.server_address[:2], flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
