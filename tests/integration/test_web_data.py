"""The owner API's data routes end to end (frontdesk-web over HTTP, real PostgreSQL and
Redis, the real api, worker and Telnyx simulator): two businesses signed up through the
API, each with a receptionist put through the API and real calls (a booking with a
price question, a message) placed through the simulator; many more calls, bookings and
messages of the first business written straight into PostgreSQL for paging and
analytics. Every answer is checked against web/openapi.json (openapi_check.py).

What is checked: B's lists never show a row of A and A's call ids are 404 from B
exactly as ids that do not exist; three pages of calls without duplicates or gaps,
calls that started at the same instant paged by id; filters; every bad query value is
422 with its parameter's path; a cursor edited, or made by another list, filter or
business, is 422; analytics per local day and in total equal what was made, bookings
valued at the prices in force when they were recorded; a configuration put through the
API is heard by that business's next call and never by the other's, a rollback too; an
invalid configuration is 422 with every path and saves nothing; staff read but cannot
change the receptionist."""
import copy
import datetime
import json
import math
import os
import threading
import uuid

from harness import ROOT, env, random_number, wait_for
from openapi_check import CHECK
from rxhelp import agent_lines, example
from webapi import Client, add_user, sign_up
from webhelp import Web
from workerhelp import Stack

E = env()
STACK = Stack(E)
SIM = STACK.sim
WORKER = STACK.worker("web-data", FRONTDESK_SILENCE_MS="800")
WEB = Web(E)
STACK.procs.append(WEB)
PG = E.pg()

A_ZONE, B_ZONE = "America/New_York", "America/Chicago"
SYNTHETIC_PER_DAY = 60          # calls written straight into PostgreSQL on each of two days
TIES = 10                       # ...and calls that all started at one instant


def rows(sql, *args):
    with PG.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def receptionist(name, zone, cleaning_price):
    """A dental clinic open around the clock (so a call at any hour books), booking from
    now on, with no texts to an owner."""
    doc = example("dental-clinic")
    doc.update(business_name=name, timezone=zone, closures=[])
    doc["greeting"] = f"Thank you for calling {name}. How can I help you today?"
    doc["hours"] = {d: [{"open": "00:00", "close": "24:00"}]
                    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    doc["booking"].update(lead_time_minutes=0, capacity_per_slot=5)
    doc["notifications"] = {"on": []}
    doc["services"][0]["price"] = cleaning_price
    return doc


def route_number(bid):
    """A number of the business's own, routed at once (what provisioning will do)."""
    number = random_number()
    with PG.cursor() as cur:
        cur.execute("INSERT INTO phone_numbers (business_id, number) VALUES (%s, %s)", (bid, number))
    E.redis().hset("fd:numbers", number, bid)
    STACK.tenants.append(bid)
    return number


class Business:
    def __init__(self, name, zone, price):
        self.owner, signed = sign_up(WEB, name, timezone=zone)
        self.id = signed["business_id"]
        self.zone = zone
        self.number = route_number(self.id)
        self.doc = receptionist(name, zone, price)
        status, body = self.owner.put("/api/v1/agent", self.doc)
        assert status == 200 and body["version"] == 2, (status, body)


def place_calls(calls):
    """Places [(business, caller, utterances)] at once; returns the simulator's records."""
    ids = [SIM.call(b.number, caller, [{"say": u} for u in says]) for b, caller, says in calls]
    return [SIM.wait_ended(cid, timeout=90) for cid in ids], ids


def wait_logged(call_ids):
    wait_for(lambda: rows("SELECT count(*) FROM call_logs WHERE call_control_id = ANY(%s)",
                          call_ids)[0][0] == len(call_ids), timeout=60, what="the calls' logs")


BOOKING_CALL = ["How much is a teeth cleaning?", "OK, I'd like to book one tomorrow at 10 in the morning",
                "Jane Doe", "yes please", "no that's all, bye"]
MESSAGE_CALL = ["Can I leave a message for the dentist?", "My name is Lou Reed", "no",
                "my number is 201 555 0123", "yes", "Please call me about my crown", "bye"]
PRICE_CALL = ["How much is a cleaning?", "no, bye"]

A = Business("Alpha Dental", A_ZONE, "120.00")
B = Business("Beta Dental", B_ZONE, "95.00")
_, REAL_CALLS = place_calls([(A, "+15550007001", BOOKING_CALL), (A, "+15550007002", MESSAGE_CALL),
                             (B, "+15550007003", BOOKING_CALL), (B, "+15550007004", MESSAGE_CALL)])
wait_logged(REAL_CALLS)
wait_for(lambda: rows("SELECT count(*) FROM bookings WHERE business_id IN (%s, %s)", A.id, B.id)[0][0] == 2
         and rows("SELECT count(*) FROM lead_scores WHERE business_id IN (%s, %s)", A.id, B.id)[0][0] == 4,
         timeout=30, what="the bookings and lead scores of the real calls")
TODAY = rows("SELECT (now() AT TIME ZONE %s)::date", A_ZONE)[0][0]


def local_day(n):
    return (TODAY + datetime.timedelta(days=n)).isoformat()


OUTCOMES = ["answered_by_agent", "forwarded", "missed", "rejected_no_agent"]


def write_synthetic_calls():
    """SYNTHETIC_PER_DAY calls on each of the local days 3 and 2 days ago (outcomes in
    turn, every third with a lead score i % 101, recorded as the call ended), and TIES
    more answered calls that all started at 06:00 two days ago. Returns {day: [(outcome,
    score or None)]}."""
    made = {}
    with PG.cursor() as cur:
        for back in (3, 2):
            day = local_day(-back)
            for i in range(SYNTHETIC_PER_DAY + (TIES if back == 2 else 0)):
                tie = i >= SYNTHETIC_PER_DAY
                outcome = "answered_by_agent" if tie else OUTCOMES[i % 4]
                at = f"{day} 06:00" if tie else f"{day} 12:00"
                minutes = 0 if tie else i
                cid = str(uuid.uuid4())
                cur.execute("INSERT INTO call_logs (id, business_id, call_control_id, direction, started_at, "
                            "ended_at, duration_s, from_number, to_number, outcome) VALUES (%s, %s, %s, "
                            "'incoming', (%s::timestamp AT TIME ZONE %s) - %s * interval '1 minute', "
                            "(%s::timestamp AT TIME ZONE %s) - %s * interval '1 minute' + interval '2 minutes', "
                            "120, '+15550009999', %s, %s)",
                            (cid, A.id, "synthetic-" + cid, at, A_ZONE, minutes, at, A_ZONE, minutes,
                             A.number, outcome))
                score = i % 101 if i % 3 == 0 else None
                if score is not None:
                    cur.execute("INSERT INTO lead_scores (id, business_id, call_log_id, call_control_id, "
                                "score, reasons, created_at) SELECT %s, %s, %s, %s, %s, 'synthetic', "
                                "ended_at FROM call_logs WHERE id = %s",
                                (str(uuid.uuid4()), A.id, cid, "synthetic-" + cid, score, cid))
                made.setdefault(day, []).append((outcome, score))
    return made


SYNTHETIC = write_synthetic_calls()


def write_booking(service, status="booked"):
    """A booking of A recorded now (tomorrow at a free place), with its usage event."""
    bid = str(uuid.uuid4())
    with PG.cursor() as cur:
        cur.execute("INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number, "
                    "caller_name, status, slot_index, cancelled_at) VALUES (%s, %s, %s, "
                    "now() + interval '2 days', now() + interval '2 days 1 hour', '+15550008888', 'Syn', "
                    "%s, (SELECT count(*) FROM bookings WHERE business_id = %s) %% 100, "
                    "CASE WHEN %s = 'cancelled' THEN now() END)",
                    (bid, A.id, service, status, A.id, status))
        cur.execute("INSERT INTO usage_events (id, business_id, booking_id, occurred_at) "
                    "VALUES (%s, %s, %s, now())", (str(uuid.uuid4()), A.id, bid))
    return bid


# Recorded now, under version 2 (Cleaning 120.00, Whitening 350.00, no "Root canal"), and
# a cancelled booking that was billed all the same.
SYNTHETIC_BOOKINGS = [write_booking(s) for s in ("Cleaning", "Whitening", "Root canal")]
CANCELLED_BOOKING = write_booking("Cleaning", status="cancelled")


def a_call_ids():
    return [r[0] for r in rows("SELECT id::text FROM call_logs WHERE business_id = %s", A.id)]


def problem_paths(body):
    return [e["path"] for e in body["errors"]]


# ---- isolation ----

def test_every_list_of_b_shows_only_b_s_rows():
    a_ids = set(a_call_ids())
    a_ids |= {r[0] for r in rows("SELECT id::text FROM bookings WHERE business_id = %s UNION ALL "
                                 "SELECT id::text FROM messages WHERE business_id = %s UNION ALL "
                                 "SELECT id::text FROM lead_scores WHERE business_id = %s UNION ALL "
                                 "SELECT id::text FROM upsell_opportunities WHERE business_id = %s",
                                 A.id, A.id, A.id, A.id)}
    owned = {"/api/v1/calls": "call_logs", "/api/v1/bookings": "bookings", "/api/v1/messages": "messages",
             "/api/v1/leads": "lead_scores", "/api/v1/upsells": "upsell_opportunities"}
    for path, table in owned.items():
        items, _ = B.owner.all_pages(path, 2)
        ids = {i["id"] for i in items}
        assert ids and not ids & a_ids, (path, ids & a_ids)
        mine = {r[0] for r in rows(f"SELECT id::text FROM {table} WHERE business_id = %s", B.id)}
        assert ids == mine, (path, ids ^ mine)
    assert B.owner.get_ok("/api/v1/analytics", **{"from": local_day(-5), "to": local_day(1)})["total"]["calls"] == 2


def test_a_call_of_a_is_404_from_b_exactly_as_an_id_that_does_not_exist():
    status, unknown = B.owner.get("/api/v1/calls/" + str(uuid.uuid4()))
    assert status == 404
    for call_id in a_call_ids()[:5] + [rows("SELECT id::text FROM call_logs WHERE call_control_id = %s",
                                            REAL_CALLS[0])[0][0]]:
        status, body = B.owner.get("/api/v1/calls/" + call_id)
        assert (status, body) == (404, unknown)
    assert B.owner.get("/api/v1/calls/not-a-uuid") == (404, unknown)


def test_times_are_in_each_business_s_zone_with_their_offset():
    a = A.owner.get_ok("/api/v1/calls", limit=1)["items"][0]["started_at"]
    b = B.owner.get_ok("/api/v1/calls", limit=1)["items"][0]["started_at"]
    want = rows("SELECT to_char(now() AT TIME ZONE %s - now() AT TIME ZONE 'UTC', 'HH24:MI'), "
                "to_char(now() AT TIME ZONE %s - now() AT TIME ZONE 'UTC', 'HH24:MI')", A_ZONE, B_ZONE)[0]
    assert a.endswith(want[0]) and b.endswith(want[1]) and want[0] != want[1], (a, b, want)


# ---- a call's detail ----

def test_a_booking_call_shows_its_turns_booking_lead_score_and_upsells():
    call_id = rows("SELECT id::text FROM call_logs WHERE call_control_id = %s", REAL_CALLS[0])[0][0]
    call = A.owner.get_ok("/api/v1/calls/" + call_id)
    assert call["id"] == call_id and call["from"] == "+15550007001" and call["to"] == A.number
    assert call["outcome"] == "answered_by_agent"
    said = [t["text"] for t in call["turns"] if t["speaker"] == "caller"]
    assert said[:2] == BOOKING_CALL[:2], said
    assert [t["speaker"] for t in call["turns"]][0] == "agent"
    [booking] = call["bookings"]
    assert (booking["service"], booking["status"], booking["call_id"]) == ("Cleaning", "booked", call_id)
    assert "Jane Doe" in booking["caller_name"]
    assert call["messages"] == []
    assert call["lead_score"] >= 70 and "booked Cleaning" in call["lead_reasons"], call
    assert {u["suggested_service"] for u in call["upsells"]} == {"Whitening", "X-rays"}
    assert all(u["evidence"] == '"How much is a teeth cleaning?"' and u["call_id"] == call_id
               for u in call["upsells"]), call["upsells"]
    assert "Booked Cleaning" in call["summary"], call["summary"]


def test_a_message_call_shows_its_message_and_the_lists_link_back_to_it():
    call_id = rows("SELECT id::text FROM call_logs WHERE call_control_id = %s", REAL_CALLS[1])[0][0]
    [message] = A.owner.get_ok("/api/v1/calls/" + call_id)["messages"]
    assert message["callback_number"] == "+12015550123" and "crown" in message["message"]
    listed = A.owner.get_ok("/api/v1/messages")["items"]
    assert [m for m in listed if m["id"] == message["id"]] == [message]
    booking_call = rows("SELECT id::text FROM call_logs WHERE call_control_id = %s", REAL_CALLS[0])[0][0]
    assert booking_call in {b["call_id"] for b in A.owner.get_ok("/api/v1/bookings")["items"]}


def test_a_message_marked_handled_leaves_the_unhandled_list_and_another_business_cannot_mark_it():
    call_id = rows("SELECT id::text FROM call_logs WHERE call_control_id = %s", REAL_CALLS[1])[0][0]
    [message] = A.owner.get_ok("/api/v1/calls/" + call_id)["messages"]
    mid = message["id"]
    assert (message["handled_at"], message["handled_by"]) == (None, None)
    assert mid in {m["id"] for m in A.owner.get_ok("/api/v1/messages", handled="false")["items"]}
    assert mid not in {m["id"] for m in A.owner.get_ok("/api/v1/messages", handled="true")["items"]}

    theirs = B.owner.post(f"/api/v1/messages/{mid}/handled")
    unknown = B.owner.post(f"/api/v1/messages/{uuid.uuid4()}/handled")
    assert theirs[0] == 404 and theirs == unknown, (theirs, unknown)
    assert B.owner.post("/api/v1/messages/not-a-uuid/handled") == unknown
    assert rows("SELECT count(*) FROM message_handlings WHERE message_id = %s", mid) == [(0,)]
    status, body = A.owner.post(f"/api/v1/messages/{mid}/handled", {"note": "called back"})
    assert status == 422 and problem_paths(body) == ["note"], body

    staff = add_user(A.owner, "staff")
    staff_email = staff.get_ok("/api/v1/me")["user"]["email"]
    status, handled = staff.post(f"/api/v1/messages/{mid}/handled", {})
    assert status == 200 and handled["id"] == mid and handled["call_id"] == call_id, handled
    assert handled["handled_by"] == staff_email and handled["handled_at"].endswith(
        A.owner.get_ok("/api/v1/calls", limit=1)["items"][0]["started_at"][-6:]), handled
    again = A.owner.post(f"/api/v1/messages/{mid}/handled")
    assert again == (200, handled), again          # the first mark stands

    assert mid not in {m["id"] for m in A.owner.get_ok("/api/v1/messages", handled="false")["items"]}
    assert [m for m in A.owner.get_ok("/api/v1/messages")["items"] if m["id"] == mid] == [handled]
    assert [m["id"] for m in A.owner.get_ok("/api/v1/messages", handled="true")["items"]] == [mid]
    b_messages = B.owner.get_ok("/api/v1/messages")["items"]
    assert b_messages and all(m["handled_at"] is None for m in b_messages)
    assert B.owner.get_ok("/api/v1/messages", handled="true")["items"] == []
    status, body = A.owner.get("/api/v1/messages", handled="maybe")
    assert status == 422 and problem_paths(body) == ["handled"], body


# ---- paging and filters ----

def test_calls_come_in_three_pages_newest_first_without_duplicates_or_gaps():
    items, sizes = A.owner.all_pages("/api/v1/calls", 50)
    everything = rows("SELECT id::text FROM call_logs WHERE business_id = %s ORDER BY started_at DESC, id DESC",
                      A.id)
    assert len(sizes) == 3 and sizes[:2] == [50, 50], sizes
    assert [i["id"] for i in items] == [r[0] for r in everything]


def test_calls_that_started_at_one_instant_page_by_id_one_at_a_time():
    day = local_day(-2)
    items, sizes = A.owner.all_pages("/api/v1/calls", 3, **{"from": day, "to": day})
    tied = [i for i in items if i["started_at"].startswith(day + "T06:00:00")]
    assert len(tied) == TIES and len({i["id"] for i in tied}) == TIES
    assert [i["id"] for i in tied] == sorted((i["id"] for i in tied), reverse=True)
    assert len(items) == SYNTHETIC_PER_DAY + TIES and sum(sizes) == len(items)


def test_filters_select_what_they_name():
    day = local_day(-3)
    only_day, _ = A.owner.all_pages("/api/v1/calls", 200, **{"from": day, "to": day})
    assert len(only_day) == SYNTHETIC_PER_DAY and all(i["started_at"][:10] == day for i in only_day)
    missed, _ = A.owner.all_pages("/api/v1/calls", 200, outcome="missed")
    assert len(missed) == 2 * SYNTHETIC_PER_DAY // 4 and {i["outcome"] for i in missed} == {"missed"}
    since, _ = A.owner.all_pages("/api/v1/calls", 200, **{"from": local_day(-2)})
    assert len(since) == SYNTHETIC_PER_DAY + TIES + len(a_real_calls())
    leads, _ = A.owner.all_pages("/api/v1/leads", 200, min_score=50)
    assert leads and all(lead["score"] >= 50 for lead in leads)
    assert len(leads) == rows("SELECT count(*) FROM lead_scores WHERE business_id = %s AND score >= 50",
                              A.id)[0][0]
    scored, _ = A.owner.all_pages("/api/v1/calls", 7, min_score=50)
    assert sorted(c["id"] for c in scored) == sorted(lead["call_id"] for lead in leads), scored
    assert all(c["lead_score"] >= 50 for c in scored)
    every, _ = A.owner.all_pages("/api/v1/calls", 200, min_score=0)
    assert len(every) == len(a_call_ids()) and any(c["lead_score"] is None for c in every)
    cancelled = A.owner.get_ok("/api/v1/bookings", status="cancelled")["items"]
    assert [b["id"] for b in cancelled] == [CANCELLED_BOOKING] and cancelled[0]["cancelled_at"]
    tomorrow = A.owner.get_ok("/api/v1/bookings", **{"from": local_day(1), "to": local_day(1)})["items"]
    assert [b["service"] for b in tomorrow] == ["Cleaning"] and tomorrow[0]["starts_at"].startswith(
        local_day(1) + "T10:00:00"), tomorrow


def test_leads_by_score_come_highest_first_then_newest_across_pages():
    newest, _ = A.owner.all_pages("/api/v1/leads", 200)
    by_score, sizes = A.owner.all_pages("/api/v1/leads", 7, sort="score")
    assert len(sizes) > 2 and sorted(l["id"] for l in by_score) == sorted(l["id"] for l in newest)
    keys = [(l["score"], datetime.datetime.fromisoformat(l["started_at"]), l["call_id"]) for l in by_score]
    assert keys == sorted(keys, reverse=True), keys[:10]
    strong = A.owner.get_ok("/api/v1/leads", sort="score", min_score=50, limit=200)["items"]
    assert strong and [l["id"] for l in by_score if l["score"] >= 50] == [l["id"] for l in strong]
    cursor = A.owner.get_ok("/api/v1/leads", sort="score", limit=1)["next_cursor"]
    status, body = A.owner.get("/api/v1/leads", limit=1, cursor=cursor)
    assert status == 422 and problem_paths(body) == ["cursor"], body


def a_real_calls():
    """A's calls through the simulator so far."""
    return REAL_CALLS[:2] + PRICE_CALLS_OF_A


PRICE_CALLS_OF_A = []


def test_every_bad_query_value_is_422_with_its_path():
    cases = [("/api/v1/calls", {"limit": "0"}, ["limit"]), ("/api/v1/calls", {"limit": "500"}, ["limit"]),
             ("/api/v1/calls", {"from": "2026-02-30", "to": "soon"}, ["from", "to"]),
             ("/api/v1/calls", {"outcome": "hung_up"}, ["outcome"]),
             ("/api/v1/calls", {"from": "2026-03-02", "to": "2026-03-01"}, ["to"]),
             ("/api/v1/bookings", {"status": "maybe", "limit": "-1"}, ["status", "limit"]),
             ("/api/v1/leads", {"min_score": "101"}, ["min_score"]),
             ("/api/v1/leads", {"sort": "name"}, ["sort"]),
             ("/api/v1/calls", {"min_score": "-1"}, ["min_score"]),
             ("/api/v1/messages", {"color": "red"}, ["color"]),
             ("/api/v1/analytics", {"from": "2026-01-01"}, ["to"]),
             ("/api/v1/analytics", {"from": "2026-01-01", "to": "2027-01-02"}, ["to"]),
             ("/api/v1/upsells", {"cursor": "x"}, ["cursor"])]
    for path, query, paths in cases:
        status, body = A.owner.get(path, **query)
        assert status == 422 and problem_paths(body) == paths, (path, query, status, body)
    assert A.owner.get("/api/v1/analytics", **{"from": "2026-01-01", "to": "2026-12-31"})[0] == 200


def test_a_cursor_edited_or_made_for_another_list_filter_or_business_is_422():
    cursor = A.owner.get_ok("/api/v1/calls", limit=5)["next_cursor"]
    edited = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
    day = {"from": local_day(-3)}
    for who, path, query in [(A, "/api/v1/calls", {"cursor": edited}), (A, "/api/v1/calls", {"cursor": cursor[:-1]}),
                             (A, "/api/v1/bookings", {"cursor": cursor}),
                             (A, "/api/v1/calls", dict(day, cursor=cursor)),
                             (B, "/api/v1/calls", {"cursor": cursor})]:
        status, body = who.owner.get(path, **query)
        assert status == 422 and problem_paths(body) == ["cursor"], (path, query, body)
    assert A.owner.get("/api/v1/calls", cursor=cursor, limit=5)[0] == 200


# ---- the receptionist ----

def test_staff_read_everything_but_cannot_change_the_receptionist():
    staff = add_user(A.owner, "staff")
    for path in ("/api/v1/calls", "/api/v1/bookings", "/api/v1/messages", "/api/v1/leads", "/api/v1/upsells",
                 "/api/v1/agent", "/api/v1/agent/versions"):
        assert staff.get(path)[0] == 200, path
    status, body = staff.put("/api/v1/agent", A.doc)
    assert status == 403, body
    assert staff.post("/api/v1/agent/versions/1/activate")[0] == 403
    assert A.owner.get_ok("/api/v1/agent")["version"] == 2


def test_a_try_out_answers_from_the_business_s_draft_and_saves_nothing():
    before = A.owner.get_ok("/api/v1/agent")
    doc = dict(A.doc, greeting="A draft greeting, not saved.")
    status, body = A.owner.post("/api/v1/agent/try", {"config": doc, "caller_lines": ["How much is a cleaning?"]})
    assert status == 200, (status, body)
    said = [t["text"] for t in body["transcript"] if t["speaker"] == "receptionist"]
    assert said[0].startswith("A draft greeting, not saved.") and "120" in said[1], said
    assert A.owner.get_ok("/api/v1/agent") == before


def test_an_invalid_configuration_is_422_with_every_path_and_saves_nothing():
    doc = copy.deepcopy(A.doc)
    doc["services"][2]["price"] = 350
    doc["timezone"] = "Mars/Olympus_Mons"
    doc["colour"] = "teal"
    doc["booking"]["capacity_per_slot"] = 0
    before = A.owner.get_ok("/api/v1/agent/versions")
    status, body = A.owner.put("/api/v1/agent", doc)
    assert status == 422, body
    assert problem_paths(body) == ["colour", "timezone", "services[2].price", "booking.capacity_per_slot"], body
    assert A.owner.get_ok("/api/v1/agent/versions") == before
    status, body = A.owner.request("PUT", "/api/v1/agent", raw_body=b"[1, 2]")
    assert status == 422 and problem_paths(body) == [""], body


def price_heard(business, caller):
    [rec], ids = place_calls([(business, caller, PRICE_CALL)])
    if business is A:
        PRICE_CALLS_OF_A.append(ids[0])
    wait_logged(ids)
    return " ".join(agent_lines(rec))


def test_a_new_price_is_heard_by_that_business_s_next_call_and_never_by_the_other_s():
    doc = copy.deepcopy(A.doc)
    doc["services"][0]["price"] = "130.00"
    status, body = A.owner.put("/api/v1/agent", doc)
    assert status == 200 and body["version"] == 3 and body["is_active"], body
    assert body["config"]["services"][0]["price"] == "130.00"
    heard = {}
    threads = [threading.Thread(target=lambda b=b, c=c: heard.__setitem__(b.id, price_heard(b, c)))
               for b, c in ((A, "+15550007011"), (B, "+15550007012"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "The price for cleaning is $130" in heard[A.id], heard[A.id]
    assert "The price for cleaning is $95" in heard[B.id], heard[B.id]
    assert write_booking("Cleaning")     # recorded at 130.00: analytics values it so


def test_activating_an_earlier_version_is_heard_by_the_next_call():
    versions = A.owner.get_ok("/api/v1/agent/versions", limit=1)
    assert [v["version"] for v in versions["items"]] == [3] and versions["next_cursor"]
    older = A.owner.get_ok("/api/v1/agent/versions", limit=5, cursor=versions["next_cursor"])
    assert [v["version"] for v in older["items"]] == [2, 1] and older["next_cursor"] is None
    status, body = A.owner.post("/api/v1/agent/versions/2/activate")
    assert status == 200 and body["version"] == 2 and body["is_active"], body
    assert A.owner.get_ok("/api/v1/agent")["version"] == 2
    assert "The price for cleaning is $120" in price_heard(A, "+15550007013")
    assert A.owner.post("/api/v1/agent/versions/9/activate")[0] == 404
    assert A.owner.get("/api/v1/agent/versions/9")[0] == 404


# ---- analytics ----

def expected_days():
    """{local day: figures} of what this file made for A, calls from their own list."""
    days = {}
    calls, _ = A.owner.all_pages("/api/v1/calls", 200)
    for c in calls:
        d = days.setdefault(c["started_at"][:10], {"calls": 0, "answered": 0, "missed": 0, "transferred": 0,
                                                   "scores": []})
        d["calls"] += 1
        key = {"answered_by_agent": "answered", "forwarded": "transferred"}.get(c["outcome"], "missed")
        d[key] += 1
        if c["lead_score"] is not None:
            d["scores"].append(c["lead_score"])
    return days


def one_decimal(x):
    """Rounded as the API rounds: half away from zero."""
    return math.floor(x * 10 + 0.5) / 10


def test_analytics_per_day_and_in_total_equal_what_was_made():
    body = A.owner.get_ok("/api/v1/analytics", **{"from": local_day(-5), "to": local_day(1)})
    assert (body["timezone"], body["currency"]) == (A_ZONE, "USD")
    assert [d["date"] for d in body["days"]] == [local_day(n) for n in range(-5, 2)]
    made = expected_days()
    for day in body["days"]:
        want = made.get(day["date"], {"calls": 0, "answered": 0, "missed": 0, "transferred": 0, "scores": []})
        for k in ("calls", "answered", "missed", "transferred"):
            assert day[k] == want[k], (day, want)
        scores = want["scores"]
        assert day["average_lead_score"] == (one_decimal(sum(scores) / len(scores)) if scores else None), day
    for back, synthetic in ((3, SYNTHETIC[local_day(-3)]), (2, SYNTHETIC[local_day(-2)])):
        assert body["days"][5 - back]["calls"] == len(synthetic)
    today = body["days"][5]
    # each at the price in force when it was recorded: the real booking and the three
    # written at the start under version 2 (120.00, 120.00, 350.00, and 0 for a service
    # not on the list), one after the price change (130.00); the cancelled one neither
    # counts nor adds, but was billed
    assert today["bookings"] == 5 and today["booked_value_cents"] == 12000 + 12000 + 35000 + 0 + 13000
    assert today["billable_bookings"] == 6 and today["messages"] == 1
    total = body["total"]
    assert total["calls"] == 2 * SYNTHETIC_PER_DAY + TIES + len(a_real_calls())
    assert total["answered"] + total["missed"] + total["transferred"] == total["calls"]
    for k in ("bookings", "messages", "booked_value_cents", "billable_bookings", "calls"):
        assert total[k] == sum(d[k] for d in body["days"]), k
    all_scores = [s for d in made.values() for s in d["scores"]]
    assert total["average_lead_score"] == one_decimal(sum(all_scores) / len(all_scores))


# ---- the document, sessions ----

def test_the_openapi_document_is_served_as_kept_and_needs_a_session():
    with open(os.path.join(ROOT, "web", "openapi.json")) as f:
        kept = json.load(f)
    assert A.owner.get_ok("/api/v1/openapi.json") == kept
    assert Client(WEB).get("/api/v1/openapi.json")[0] == 401


def test_without_a_session_every_data_route_is_401():
    nobody = Client(WEB)
    for path in ("/api/v1/calls", "/api/v1/calls/" + a_call_ids()[0], "/api/v1/bookings", "/api/v1/messages",
                 "/api/v1/leads", "/api/v1/upsells", "/api/v1/analytics", "/api/v1/agent",
                 "/api/v1/agent/versions", "/api/v1/agent/versions/1"):
        assert nobody.get(path)[0] == 401, path
    assert nobody.put("/api/v1/agent", A.doc)[0] == 401
    assert nobody.post("/api/v1/agent/versions/1/activate")[0] == 401
    assert nobody.post("/api/v1/agent/try", {"config": A.doc})[0] == 401
    assert nobody.post(f"/api/v1/bookings/{uuid.uuid4()}/cancel")[0] == 401
    assert nobody.post(f"/api/v1/messages/{uuid.uuid4()}/handled")[0] == 401


def test_every_data_route_was_checked_against_the_document():
    seen = {(m, t) for m, t, _ in CHECK.checked}
    for method, template, op in CHECK.spec.operations.values():
        if op["tags"][0] in ("data", "receptionist", "meta"):
            assert (method.upper(), template) in seen, (method, template)


def test_processes_stop_cleanly_without_errors_logged():
    procs = list(STACK.procs)
    try:
        STACK.stop()
    finally:
        STACK.forget_tenants()
        PG.close()
    errors = [f"{p.name}: {line}" for p in procs for line in p.output().splitlines()
              if '"level":"error"' in line]
    assert errors == [], "\n".join(errors[:20])
    assert WORKER.p.returncode == 0 and WEB.p.returncode == 0
