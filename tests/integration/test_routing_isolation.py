"""Routing and isolation: which business an event is for (docs/design.md, "Routing").
- A call of business A transferred to business B's own number: the transfer's new leg
  carries A's client_state, its events (played by the simulator with Telnyx's fields)
  come back to A, and B sees nothing: no event, no call, no record, no text.
- A well-formed client_state naming B on an event whose number belongs to A: an incoming
  call.initiated goes by the dialled number (A); every later event follows client_state.
- A number moved to another business routes there within a second."""
import base64
import time
import uuid

import harness
from apihelp import call_payload, entries, events_key
from harness import ctl, env, http, pg_rows, post_webhook, start_api, wait_for, webhook
from rxhelp import ClockStack, agent_lines, commands, example, transfers, variant, wait_call_logged
from workerhelp import stream_done

E = env()
NOW = "2026-03-03T15:00:00Z"      # Tuesday 10:00 in New York: the dental clinic is open


def client_state_of(business_id, conversation="conv-1"):
    """Our client_state for business_id, as lib/telnyx/client_state.c encodes it."""
    return base64.b64encode(f"fd1:{business_id}:{conversation}".encode()).decode()


def test_a_call_transferred_to_another_businesss_number_stays_with_the_business_that_transferred():
    st = ClockStack(E, NOW, workers=1)
    try:
        b_number = harness.random_number()
        b_owner = "+12015550777"
        b_doc = variant(example("hair-salon"), notifications={"owner_sms": b_owner,
                                                              "on": ["booking", "message", "escalation"]})
        bid_b, _ = st.business(b_doc, number=b_number)
        a_doc = variant(example("dental-clinic"), escalation__transfer_number=b_number)
        bid_a, a_number = st.business(a_doc)
        r = st.redis()

        call = st.sim.call(a_number, "+15550007001", [{"say": "Can I talk to a real person please?"}])
        rec = st.sim.wait_ended(call, timeout=40)
        assert transfers(rec) == [b_number], (transfers(rec), agent_lines(rec))
        body = commands(rec, "transfer")[0]["body"]
        assert body["target_leg_client_state"] == body["client_state"], body
        leg = rec["transfer_leg"]
        assert leg is not None and leg["to"] == b_number and leg["client_state"] == body["client_state"]
        # the new leg's events, with Telnyx's fields, were delivered and accepted
        leg_events = [w["event_type"] for w in leg["webhooks"]]
        assert leg_events == ["call.initiated", "call.answered", "call.bridged", "call.hangup"], leg_events
        assert wait_for(lambda: all(w["status"] == 200 for w in st.sim.call_record(call)["transfer_leg"]["webhooks"]),
                        what="the new leg's webhooks delivered")
        assert st.sim.invalid_requests() == []

        wait_call_logged(E, call)
        wait_for(lambda: stream_done(r, bid_a), timeout=20, what="A's stream processed")
        # A has the new leg's events, and still one call: the one that was transferred
        a_calls = {e["call"] for e in entries(r, bid_a)}
        assert leg["call_control_id"] in a_calls, a_calls
        assert pg_rows(E, "SELECT count(*) FROM call_logs WHERE business_id = %s", bid_a)[0][0] == 1
        outcome = pg_rows(E, "SELECT outcome FROM call_logs WHERE call_control_id = %s", call)[0][0]
        assert outcome == "forwarded", outcome     # handed to a person (the tool path)
        assert pg_rows(E, "SELECT count(*) FROM call_logs WHERE call_control_id = %s",
                       leg["call_control_id"])[0][0] == 0
        # B sees nothing: no event, no call, no record, no text to its owner or from its number
        assert not r.exists(events_key(bid_b))
        for table in ("call_logs", "call_conversations", "conversation_history", "messages", "bookings"):
            assert pg_rows(E, f"SELECT count(*) FROM {table} WHERE business_id = %s", bid_b)[0][0] == 0, table
        time.sleep(1.0)         # texts are sent after the commit: give a stray one time to show
        assert st.sim.texts_from(b_number) == []
        to_b_owner = [m for m in st.sim.get("/_sim/messages")["messages"]
                      if (m.get("request") or {}).get("to") == b_owner]
        assert to_b_owner == [], to_b_owner
        unrouted = [f for _, f in r.xrange("fd:unrouted")]
        assert all(f.get(b"number") != leg["to"].encode() for f in unrouted)
    finally:
        st.stop()


def test_an_incoming_call_goes_by_its_dialled_number_whatever_client_state_it_carries():
    api = start_api(E)
    r = E.redis()
    bid_a, bid_b, a_number = str(uuid.uuid4()), str(uuid.uuid4()), harness.random_number()
    r.hset("fd:numbers", a_number, bid_a)
    call_id = "v3:" + uuid.uuid4().hex
    forged = call_payload(a_number, "+15550007002", direction="incoming", call_id=call_id,
                          client_state=client_state_of(bid_b))
    assert post_webhook(E, api, webhook("call.initiated", forged))[0] == 200
    assert [e["call"] for e in entries(r, bid_a)] == [call_id]
    assert entries(r, bid_b) == []
    assert api.stop() == 0


def test_later_events_and_legs_we_placed_follow_their_client_state():
    """The other half of the decision: events after a leg began carry the client_state our
    worker set (Telnyx echoes only what we sent, and signs it), and their `to` may be a
    transfer target's number: client_state names the business."""
    api = start_api(E)
    r = E.redis()
    bid_a, bid_b, a_number = str(uuid.uuid4()), str(uuid.uuid4()), harness.random_number()
    r.hset("fd:numbers", a_number, bid_a)
    call_id = "v3:" + uuid.uuid4().hex
    answered = call_payload(a_number, "+15550007003", call_id=call_id, client_state=client_state_of(bid_b))
    del answered["direction"]
    assert post_webhook(E, api, webhook("call.answered", answered))[0] == 200
    placed = call_payload("+15550007004", a_number, direction="outgoing", call_id=call_id + "b",
                          client_state=client_state_of(bid_b))
    assert post_webhook(E, api, webhook("call.initiated", placed))[0] == 200
    assert [e["type"] for e in entries(r, bid_b)] == ["call.answered", "call.initiated"]
    assert entries(r, bid_a) == []
    # a client_state that is not ours leaves the number to decide
    junk = call_payload(a_number, "+15550007005", call_id=call_id + "c", client_state="bm90IG91cnM=")
    del junk["direction"]
    assert post_webhook(E, api, webhook("call.hangup", junk))[0] == 200
    assert [e["type"] for e in entries(r, bid_a)] == ["call.hangup"]
    assert api.stop() == 0


def test_a_number_moved_to_another_business_routes_there_within_1_second():
    api = start_api(E)
    r = E.redis()
    bid_a, (number,) = harness.create_tenant(E)
    bid_b, _ = harness.create_tenant(E)

    def initiated():
        return webhook("call.initiated", call_payload(number, "+15550007006", call_id="v3:" + uuid.uuid4().hex))

    assert post_webhook(E, api, initiated())[0] == 200          # the api now caches number -> A
    assert len(entries(r, bid_a)) == 1
    assert ctl(E, "numbers", "remove", "--business", bid_a, "--number", number).returncode == 0
    assert ctl(E, "numbers", "add", "--business", bid_b, "--number", number).returncode == 0
    moved_at = time.time()
    while True:
        assert post_webhook(E, api, initiated())[0] == 200
        if entries(r, bid_b):
            break
        assert time.time() - moved_at < 1.0, "the move was not followed within 1 s"
        time.sleep(0.05)
    print(f"    routed to the new business {(time.time() - moved_at) * 1e3:.0f} ms after the move")
    # after the move, nothing more reaches A
    before = len(entries(r, bid_a))
    for _ in range(3):
        assert post_webhook(E, api, initiated())[0] == 200
    assert len(entries(r, bid_a)) == before
    assert http("GET", api.url + "/healthz")[0] == 200
    assert api.stop() == 0
