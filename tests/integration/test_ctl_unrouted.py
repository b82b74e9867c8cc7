"""frontdesk-ctl unrouted, against the real api, Redis and PostgreSQL: a signed webhook for
a number no business had yet is kept by the api; once the number is registered, replaying
it puts it on the business's stream exactly as the api would have (same ordering key,
same body), once however often it is replayed, and it leaves fd:unrouted."""
import json
import uuid

import harness
from apihelp import call_payload, entries
from harness import create_tenant, ctl, env, post_webhook, private_redis, start_api, webhook

E = env()


def unrouted_ids(r, eid):
    return [i.decode() for i, f in r.xrange("fd:unrouted") if f[b"eid"].decode() == eid]


def test_a_call_and_a_text_for_a_number_registered_later_are_replayed_as_the_api_would_route_them():
    svc = private_redis()
    r = svc.redis()
    redis_env = {"FRONTDESK_REDIS_URL": svc.redis_url}
    api = start_api(E, FRONTDESK_REDIS_URL=svc.redis_url)
    number = harness.random_number()
    call_body = webhook("call.initiated", call_payload(number, "+15551230000", call_id="v3:late-" + uuid.uuid4().hex))
    text = {"id": str(uuid.uuid4()), "direction": "inbound", "type": "SMS", "text": "are you open",
            "from": {"phone_number": "+15551112222"}, "to": [{"phone_number": number, "status": "webhook_delivered"}]}
    text_body = webhook("message.received", text)
    for body in (call_body, text_body):
        assert post_webhook(E, api, body)[0] == 200
    call_eid, text_eid = json.loads(call_body)["data"]["id"], json.loads(text_body)["data"]["id"]
    [call_id], [text_id] = unrouted_ids(r, call_eid), unrouted_ids(r, text_eid)

    listed = ctl(E, "unrouted", "list", extra_env=redis_env)
    assert listed.returncode == 0 and call_id in listed.stdout and number in listed.stdout
    shown = json.loads(ctl(E, "unrouted", "show", "--id", text_id, extra_env=redis_env).stdout)
    assert shown["type"] == "message.received" and shown["body"]["text"] == "are you open"

    early = ctl(E, "unrouted", "replay", "--id", call_id, extra_env=redis_env)
    assert early.returncode == 1 and "numbers add" in early.stderr and unrouted_ids(r, call_eid)

    bid, _ = create_tenant(E)
    r.hset("fd:numbers", number, bid)          # what `numbers add` does on the run's Redis
    for entry in (call_id, text_id):
        done = ctl(E, "unrouted", "replay", "--id", entry, extra_env=redis_env)
        assert done.returncode == 0 and "added" in done.stdout, done.stdout + done.stderr
    assert unrouted_ids(r, call_eid) == [] and unrouted_ids(r, text_eid) == []
    # what an api does with the call's next event now that the number routes (a new one:
    # the first may keep its cached "no owner" for 10 s): the same ordering key
    assert api.stop() == 0
    api = start_api(E, FRONTDESK_REDIS_URL=svc.redis_url)
    routed = webhook("call.answered", call_payload(number, "+15551230000",
                                                   call_id=json.loads(call_body)["data"]["payload"]["call_control_id"]))
    assert post_webhook(E, api, routed)[0] == 200
    got = entries(r, bid)
    assert [e["type"] for e in got] == ["call.initiated", "message.received", "call.answered"], got
    assert got[0]["call"] == got[2]["call"] and got[0]["call"].startswith("v3:late-")
    assert got[1]["call"] == "sms:+15551112222"
    assert got[0]["eid"] == call_eid and got[0]["body"]["to"] == number
    # replaying the same event again (Telnyx retried it into fd:unrouted twice) adds nothing
    assert post_webhook(E, api, call_body)[0] == 200     # routed now: a duplicate, answered 200
    assert len(entries(r, bid)) == 3
    gone = ctl(E, "unrouted", "replay", "--id", call_id, extra_env=redis_env)
    assert gone.returncode == 1 and "no unrouted entry" in gone.stderr
    assert api.stop() == 0


def test_unrouted_usage_errors_say_what_is_missing():
    for args, words in ((["show"], "--id"), (["replay"], "--id"), (["drop"], "replay")):
        got = ctl(E, "unrouted", *args)
        assert got.returncode == 2 and words in got.stderr, (args, got.stderr)
