"""Every Telnyx event type of docs/telnyx.md §3 and §5, from the examples of the official
OpenAPI spec (tests/fixtures/telnyx/, made by tests/fixtures/make_telnyx_fixtures.py),
is accepted by frontdesk-api, routed to its business and normalised."""
import base64
import copy
import json
import os
import subprocess
import tempfile
import uuid

from apihelp import entries, json_body, new_business
from harness import ROOT, env, post_webhook, start_api

E = env()
API = start_api(E)
R = E.redis()
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "telnyx")
VALIDATOR = os.path.join(ROOT, "tests", "schemas", "openapi_subset.py")


def fixtures():
    for name in sorted(os.listdir(FIXTURES)):
        if name.endswith(".json"):
            with open(os.path.join(FIXTURES, name)) as f:
                yield name[:-5], json.load(f)


def for_business(body, business_id, number):
    """The example, re-addressed to our business: a fresh id, our number where the event
    names one, and our client_state on call events."""
    body = copy.deepcopy(body)
    data = body["data"]
    data["id"] = str(uuid.uuid4())
    p = data["payload"]
    if data["event_type"].startswith("call."):
        p["client_state"] = base64.b64encode(f"fd1:{business_id}:conv-1".encode()).decode()
        if p.get("direction") == "outgoing" and isinstance(p.get("from"), str):
            p["from"] = number
        elif isinstance(p.get("to"), str):
            p["to"] = number
    elif data["event_type"] == "message.received":
        p["to"][0]["phone_number"] = number
    else:
        p["from"]["phone_number"] = number
    return body


def validate(event_type, body):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(body, f)
    try:
        r = subprocess.run(["/usr/bin/python3", VALIDATOR, event_type, f.name],
                           capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(f.name)
    assert r.returncode == 0, f"{event_type}: {r.stdout}{r.stderr}"


def test_every_event_type_of_the_spec_is_accepted_routed_and_normalised():
    bid, number = new_business(E)
    sent = []
    for event_type, example in fixtures():
        body = for_business(example, bid, number)
        validate(event_type, body)
        status, _, raw = post_webhook(E, API, json.dumps(body).encode())
        assert status == 200 and json_body(raw)["status"] == "accepted", (event_type, status, raw)
        sent.append(body["data"])
    assert len(sent) == 19, len(sent)
    got = {e["eid"]: e for e in entries(R, bid)}
    for data in sent:
        ev = got[data["id"]]
        p, b = data["payload"], ev["body"]
        assert ev["type"] == data["event_type"] == b["type"]
        assert ev["at"] == data.get("occurred_at", "")
        if data["event_type"].startswith("call."):
            for key in ("call_control_id", "call_leg_id", "call_session_id", "client_state"):
                if key in p:
                    assert b[key] == p[key], (data["event_type"], key)
            assert ev["call"] == (p.get("call_control_id") or p.get("call_leg_id")), data["event_type"]
        else:
            assert b["message_id"] == p["id"] and b.get("text") == p.get("text")
    by_type = {e["type"]: e["body"] for e in got.values()}
    hangup = next(d["payload"] for d in sent if d["event_type"] == "call.hangup")
    assert by_type["call.hangup"]["hangup_cause"] == hangup["hangup_cause"]
    tr = next(d["payload"] for d in sent if d["event_type"] == "call.transcription")
    assert by_type["call.transcription"]["transcript"] == tr["transcription_data"]["transcript"]
    assert by_type["call.transcription"]["is_final"] == tr["transcription_data"]["is_final"]
    assert by_type["message.received"]["to"][0] == number


def test_api_stops_cleanly():
    assert API.stop() == 0
