"""frontdesk-api: signed Telnyx webhooks become entries of the right tenant's stream."""
import base64
import json
import threading
import time
import uuid

import nacl.signing

import harness
from apihelp import call_payload, entries, events_key, json_body, new_business, ready_key
from harness import env, http, post_webhook, sign, start_api, webhook

E = env()
API = start_api(E)
R = E.redis()


def client_state(business_id, conversation):
    return base64.b64encode(f"fd1:{business_id}:{conversation}".encode()).decode()


def test_signed_incoming_call_lands_in_its_business_stream():
    bid, number = new_business(E)
    body = webhook("call.initiated", call_payload(number, "+15557770001", call_id="v3:c1"))
    status, _, raw = post_webhook(E, API, body)
    assert status == 200, raw
    assert json_body(raw)["status"] == "accepted"
    got = entries(R, bid)
    assert len(got) == 1
    ev = got[0]
    sent = json.loads(body)["data"]
    assert ev["type"] == "call.initiated" and ev["eid"] == sent["id"]
    assert ev["call"] == "v3:c1" and ev["at"] == sent["occurred_at"]
    assert ev["body"]["to"] == number and ev["body"]["from"] == "+15557770001"
    assert ev["body"]["direction"] == "incoming"
    # the tenant is marked ready for a worker, scored by time in ms
    score = R.zscore(ready_key(bid), bid)
    assert score is not None and abs(score / 1000 - time.time()) < 60
    # the consumer group exists for the workers
    groups = R.xinfo_groups(events_key(bid))
    assert [g["name"].decode() for g in groups] == ["workers"]


def test_repeated_event_id_is_accepted_once():
    bid, number = new_business(E)
    body = webhook("call.initiated", call_payload(number, "+15557770002"))
    assert post_webhook(E, API, body)[0] == 200
    status, _, raw = post_webhook(E, API, body)
    assert status == 200 and json_body(raw)["status"] == "duplicate"
    assert len(entries(R, bid)) == 1
    # remembered past the 300 s in which its signature is accepted (Telnyx retries within
    # a minute), not for a day: Redis keeps one key per event meanwhile
    seen = events_key(bid).replace(":events", ":seen:" + json.loads(body)["data"]["id"])
    assert 300 < R.ttl(seen) <= 900, R.ttl(seen)


def test_one_event_sent_20_times_concurrently_is_one_entry():
    bid, number = new_business(E)
    body = webhook("call.initiated", call_payload(number, "+15557770003"))
    statuses = []
    start = threading.Barrier(20)

    def send():
        start.wait()
        statuses.append(post_webhook(E, API, body)[0])

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 20
    assert len(entries(R, bid)) == 1


def test_events_of_two_businesses_never_land_in_each_others_stream():
    a, num_a = new_business(E)
    b, num_b = new_business(E)
    for i in range(5):
        post_webhook(E, API, webhook("call.initiated", call_payload(num_a, "+15550000001", call_id=f"v3:a{i}")))
        post_webhook(E, API, webhook("call.initiated", call_payload(num_b, "+15550000002", call_id=f"v3:b{i}")))
    ea, eb = entries(R, a), entries(R, b)
    assert len(ea) == 5 and len(eb) == 5
    assert all(e["body"]["to"] == num_a and e["call"].startswith("v3:a") for e in ea)
    assert all(e["body"]["to"] == num_b and e["call"].startswith("v3:b") for e in eb)


def test_outgoing_call_is_routed_by_its_from_number():
    bid, number = new_business(E)
    body = webhook("call.initiated", call_payload("+15553334444", number, direction="outgoing"))
    assert post_webhook(E, API, body)[0] == 200
    assert [e["body"]["direction"] for e in entries(R, bid)] == ["outgoing"]


def test_event_without_numbers_is_routed_by_client_state():
    bid, _ = new_business(E)
    payload = {"call_control_id": "v3:cs", "call_leg_id": "l", "call_session_id": "s",
               "connection_id": "c", "client_state": client_state(bid, "conv-1"), "status": "completed"}
    assert post_webhook(E, API, webhook("call.speak.ended", payload))[0] == 200
    got = entries(R, bid)
    assert len(got) == 1 and got[0]["type"] == "call.speak.ended" and got[0]["body"]["status"] == "completed"


def test_sms_received_and_sent_are_routed_by_the_business_number():
    bid, number = new_business(E)
    received = {"id": str(uuid.uuid4()), "direction": "inbound", "type": "SMS", "text": "hi there",
                "from": {"phone_number": "+15551112222"}, "to": [{"phone_number": number, "status": "webhook_delivered"}]}
    sent = {"id": str(uuid.uuid4()), "direction": "outbound", "type": "SMS", "text": "hello back",
            "from": {"phone_number": number}, "to": [{"phone_number": "+15551112222", "status": "sent"}]}
    assert post_webhook(E, API, webhook("message.received", received))[0] == 200
    assert post_webhook(E, API, webhook("message.sent", sent))[0] == 200
    got = entries(R, bid)
    assert [e["type"] for e in got] == ["message.received", "message.sent"]
    assert all(e["call"] == "sms:+15551112222" for e in got)
    assert got[0]["body"]["text"] == "hi there"


def test_event_no_business_owns_is_kept_as_unrouted_and_answered_200():
    before = R.xlen("fd:unrouted")
    body = webhook("call.initiated", call_payload("+15550009999", "+15551230000"))
    status, _, raw = post_webhook(E, API, body)
    assert status == 200 and json_body(raw)["status"] == "unrouted"
    assert R.xlen("fd:unrouted") == before + 1
    last = R.xrevrange("fd:unrouted", count=1)[0][1]
    assert last[b"eid"].decode() == json.loads(body)["data"]["id"]
    assert last[b"number"] == b"+15550009999"


def test_unknown_event_type_is_kept_with_its_raw_payload():
    bid, _ = new_business(E)
    payload = {"client_state": client_state(bid, "x"), "future_field": {"a": [1, 2]}}
    assert post_webhook(E, API, webhook("call.future.thing", payload))[0] == 200
    got = entries(R, bid)
    assert got[0]["type"] == "call.future.thing"
    assert got[0]["body"]["raw"]["future_field"] == {"a": [1, 2]}


def test_bad_signatures_are_refused_with_401_and_nothing_enqueued():
    bid, number = new_business(E)
    body = webhook("call.initiated", call_payload(number, "+15557770004"))
    good = sign(E, body)
    other_key = nacl.signing.SigningKey.generate()
    cases = {
        "no headers": {"Content-Type": "application/json"},
        "no signature": {"telnyx-timestamp": good["telnyx-timestamp"]},
        "no timestamp": {"telnyx-signature-ed25519": good["telnyx-signature-ed25519"]},
        "not base64": dict(good, **{"telnyx-signature-ed25519": "%%%not-base64%%%"}),
        "short signature": dict(good, **{"telnyx-signature-ed25519": base64.b64encode(b"x" * 32).decode()}),
        "wrong key": sign(E, body, key=other_key),
        "stale timestamp": sign(E, body, timestamp=int(time.time()) - 301),
        "future timestamp": sign(E, body, timestamp=int(time.time()) + 301),
        "timestamp not a number": dict(good, **{"telnyx-timestamp": "12ab"}),
        "signed other body": sign(E, body + b" "),
    }
    for name, headers in cases.items():
        status, hdrs, raw = http("POST", API.url + "/webhooks/telnyx", body, headers)
        assert status == 401, (name, status, raw)
        assert hdrs.get("Content-Type") == "application/json", name
        assert json_body(raw)["error"] == "unauthorized", name
    assert entries(R, bid) == []
    # header names are matched without regard to case
    upper = {k.upper(): v for k, v in good.items()}
    assert http("POST", API.url + "/webhooks/telnyx", body, upper)[0] == 200


def test_malformed_bodies_get_400_with_a_json_error():
    cases = [b"not json", b"[1,2]", b'{"meta":{}}', b'{"data":{"event_type":"call.initiated"}}',
             b'{"data":{"id":"x"}}', b'{"data":{"id":"' + b"a" * 200 + b'","event_type":"call.hangup"}}']
    for body in cases:
        status, hdrs, raw = post_webhook(E, API, body)
        assert status == 400, (body[:40], status)
        err = json_body(raw)
        assert err["error"] == "invalid" and err["message"], body[:40]


def test_body_over_one_mebibyte_gets_413():
    big = b'{"data":{"id":"big","event_type":"call.hangup","payload":{"pad":"' + b"x" * (1024 * 1024 + 10) + b'"}}}'
    status, _, _ = post_webhook(E, API, big)
    assert status == 413


def test_wrong_method_gets_405_and_unknown_path_404():
    status, hdrs, raw = http("GET", API.url + "/webhooks/telnyx")
    assert status == 405 and hdrs.get("Allow") == "POST" and json_body(raw)["error"] == "method_not_allowed"
    status, _, raw = http("GET", API.url + "/nowhere")
    assert status == 404 and json_body(raw)["error"] == "not_found"
    assert http("POST", API.url + "/healthz", b"")[0] == 405


def test_health_ready_and_metrics():
    assert http("GET", API.url + "/healthz")[0] == 200
    status, _, raw = http("GET", API.url + "/readyz")
    assert status == 200 and json_body(raw) == {"redis": "up", "draining": False, "stripe_webhooks": "off"}
    status, hdrs, raw = http("GET", API.url + "/metrics")
    text = raw.decode()
    assert status == 200 and hdrs["Content-Type"].startswith("text/plain")
    for name in ("frontdesk_api_requests_total{route=\"webhook_telnyx\",status=\"200\"}",
                 "frontdesk_api_requests_total{route=\"webhook_telnyx\",status=\"401\"}",
                 "frontdesk_api_request_duration_seconds_bucket{route=\"webhook_telnyx\",le=\"+Inf\"}",
                 "frontdesk_api_events_enqueued_total", "frontdesk_api_events_duplicate_total",
                 "frontdesk_api_events_unrouted_total", "frontdesk_api_signature_failures_total"):
        assert name in text, name

    def value(name):
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        raise AssertionError(name)
    assert value("frontdesk_api_events_enqueued_total") >= 10
    assert value("frontdesk_api_events_duplicate_total") >= 20
    assert value("frontdesk_api_events_unrouted_total") >= 1
    assert value("frontdesk_api_signature_failures_total") >= 10


def test_one_json_log_line_per_request_without_message_text():
    bid, number = new_business(E)
    secret = "my card number is 4111 1111"
    received = {"id": str(uuid.uuid4()), "direction": "inbound", "type": "SMS", "text": secret,
                "from": {"phone_number": "+15551119999"}, "to": [{"phone_number": number}]}
    body = webhook("message.received", received)
    assert post_webhook(E, API, body)[0] == 200
    time.sleep(0.1)
    lines = [json.loads(l) for l in API.output().splitlines() if l.startswith("{")]
    eid = json.loads(body)["data"]["id"]
    mine = [l for l in lines if l.get("event_id") == eid]
    assert len(mine) == 1
    assert mine[0]["msg"] == "request" and mine[0]["status"] == 200
    assert mine[0]["business_id"] == bid and mine[0]["event_type"] == "message.received"
    assert secret not in API.output()
    assert E.public_key_b64 not in API.output()


def test_flushed_script_cache_is_reloaded_on_noscript():
    bid, number = new_business(E)
    R.script_flush()
    assert post_webhook(E, API, webhook("call.initiated", call_payload(number, "+15557770009")))[0] == 200
    assert len(entries(R, bid)) == 1


def test_event_without_occurred_at_is_stamped_with_its_arrival():
    bid, number = new_business(E)
    body = json.dumps({"data": {"event_type": "call.hangup", "id": str(uuid.uuid4()),
                                "payload": call_payload(number, "+15557770010")}}).encode()
    assert post_webhook(E, API, body)[0] == 200
    at = entries(R, bid)[0]["at"]
    assert at.startswith(time.strftime("%Y-%m-%dT", time.gmtime())) and at.endswith("Z"), at


def test_api_stops_cleanly_with_no_sanitizer_report():
    assert API.stop() == 0
