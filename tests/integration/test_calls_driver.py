"""The calls benchmark's driver (bench/calls_driver.c, built with the sanitizers as
build/san/tools/calls_driver) against the real api and worker: its callers' webhooks
must be what Telnyx sends (the api verifies every signature, the schema extract checks
every body), its Call Control API must answer as the Telnyx simulator does, and its
records must show each call as it went, since the benchmark's figures and checks are
made from them alone."""
import json
import os
import subprocess
import sys
import tempfile
import types

import harness
from harness import BIN, Worker, assert_no_sanitizer_report, create_tenant, env, free_port, http, start_api

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "sim"))
from sim_schema import Schemas  # noqa: E402

DRIVER = os.path.join(os.path.dirname(BIN), "tools", "calls_driver")
SCHEMAS = Schemas()
EXPECTED = {"answer": 1, "speak": 5, "transcription_start": 1, "hangup": 1}


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def driver_argv(e, api, port, out, numbers, calls, *extra):
    path = os.path.join(out, "numbers.txt")
    with open(path, "w") as f:
        f.write("\n".join(numbers) + "\n")
    return [DRIVER, "--listen", f"127.0.0.1:{port}", "--api", f"127.0.0.1:{api.port}",
            "--key", e.key_file, "--api-key", "test-key", "--numbers", path, "--out", out,
            "--calls", str(calls), "--speech-ms-per-word", "3", "--turn-gap-ms", "5",
            "--greeting-wait-ms", "30000", "--reply-wait-ms", "30000", *extra]


def test_the_driver_plays_scripted_calls_through_the_real_stack():
    e = env()
    api = start_api(e)
    numbers = [create_tenant(e)[1][0] for _ in range(2)]
    port = free_port()
    worker = Worker(e, types.SimpleNamespace(url=f"http://127.0.0.1:{port}"))
    out = tempfile.mkdtemp(prefix="fd-calls-driver-")
    r = subprocess.run(driver_argv(e, api, port, out, numbers, 4, "--timeout-s", "60"),
                       env=e.base_env(), capture_output=True, text=True, timeout=120)
    assert_no_sanitizer_report(r.stderr, "calls_driver")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("DRIVER calls=4 ended=4 timed_out=0"), r.stdout

    calls = read_jsonl(os.path.join(out, "calls.jsonl"))
    commands = read_jsonl(os.path.join(out, "commands.jsonl"))
    hooks = read_jsonl(os.path.join(out, "webhooks.jsonl"))
    assert sorted(c["to"] for c in calls) == sorted(numbers * 2)
    for call in calls:
        cid = call["call_control_id"]
        assert call["ended"] and call["hangup_source"] == "callee", call
        assert [t["speaker"] for t in call["transcript"]] == ["agent"] + ["caller", "agent"] * 4
        mine = [c for c in commands if c["call_control_id"] == cid]
        counts = {}
        for c in mine:
            counts[c["command"]] = counts.get(c["command"], 0) + 1
            assert c["status"] == 200 and not c["duplicate"], c
            assert SCHEMAS.check(c["command"], c["body"]) == [], c
        assert counts == EXPECTED
        sent = sorted((h for h in hooks if h["call_control_id"] == cid), key=lambda h: h["queued_mono"])
        assert sent[0]["event_type"] == "call.initiated" and sent[-1]["event_type"] == "call.hangup"
        for h in sent:
            assert h["status"] == 200 and h["attempts"] == 1 and h["acked_mono"] >= h["sent_mono"], h
            body = {"data": h["data"], "meta": {"attempt": 1, "delivered_to": "http://x/webhooks/telnyx"}}
            assert SCHEMAS.check(h["event_type"], body) == [], h
        finals = [h for h in sent if h["event_type"] == "call.transcription" and h["is_final"]]
        assert len(finals) == 4
    run = json.load(open(os.path.join(out, "run.json")))
    assert not run["timed_out"] and run["live"] == 0 and run["requests"] == len(commands)
    ids = [c["call_control_id"] for c in calls]
    # The worker shares the run's Redis: a business an earlier test left ready may send it
    # commands for calls of its own, which the driver logs (and answers 422) too.
    assert sum(1 for c in commands if c["call_control_id"] in ids) == 32
    rows = harness.wait_for(lambda: (lambda got: got if len(got) == 4 else None)(
        harness.pg_rows(e, "SELECT call_control_id, outcome FROM call_logs WHERE call_control_id = ANY(%s)", ids)),
        what="a call_logs row per call")
    assert {o for _, o in rows} == {"answered_by_agent"}
    worker.stop()
    api.stop()


def test_the_driver_answers_as_telnyx_does_and_stops_at_its_deadline():
    e = env()
    api = start_api(e)
    number = create_tenant(e)[1][0]
    port = free_port()
    out = tempfile.mkdtemp(prefix="fd-calls-driver-")
    # no worker: the call is never answered, and the driver gives up after 3 s
    p = subprocess.Popen(driver_argv(e, api, port, out, [number], 1, "--timeout-s", "3"),
                         env=e.base_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/v2/calls/v3%3Anone/actions"
    body = json.dumps({"command_id": "c-1", "payload": "Hello."}).encode()
    harness.wait_http(f"http://127.0.0.1:{port}/")          # a 404 once it listens
    status, _, raw = http("POST", base + "/speak", body, {"Authorization": "Bearer test-key"})
    assert status == 422 and json.loads(raw)["errors"][0]["code"] == "90015", raw
    status, _, raw = http("POST", base + "/speak", body, {"Authorization": "Bearer wrong"})
    assert status == 401 and json.loads(raw)["errors"][0]["code"] == "10009", raw
    status, _, raw = http("POST", base + "/speak", b"[]", {"Authorization": "Bearer test-key"})
    assert status == 422 and json.loads(raw)["errors"][0]["code"] == "10004", raw
    status, _, raw = http("GET", f"http://127.0.0.1:{port}/v2/elsewhere")
    assert status == 404 and json.loads(raw)["errors"][0]["code"] == "10005", raw
    stdout, stderr = p.communicate(timeout=30)
    assert_no_sanitizer_report(stderr, "calls_driver")
    assert p.returncode == 1 and "timed_out=1" in stdout, stdout + stderr

    run = json.load(open(os.path.join(out, "run.json")))
    assert run["timed_out"] and run["live"] == 1
    [call] = read_jsonl(os.path.join(out, "calls.jsonl"))
    assert not call["ended"] and call["state"] == "parked"
    [hook] = read_jsonl(os.path.join(out, "webhooks.jsonl"))
    assert hook["event_type"] == "call.initiated" and hook["status"] == 200
    logged = [(c["method"], c["status"], c.get("error")) for c in read_jsonl(os.path.join(out, "commands.jsonl"))]
    assert logged[-4:] == [("POST", 422, "90015"), ("POST", 401, "10009"), ("POST", 422, "10004"),
                           ("GET", 404, "10005")], logged
    api.stop()

