"""The owner API's texts: GET /api/v1/sms/threads and /api/v1/sms/threads/{number}, on
frontdesk-web with the run's PostgreSQL. Texts are written as the outbox drain writes
them (frontdesk_app, the business's RLS scope); each answer is checked against
web/openapi.json. An owner sees their threads, latest first, with the opt-out state,
and a thread's texts page by page with their delivery status; another business's
number is 404, and nothing of one business appears in another's lists."""
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2

from harness import env, random_number
from openapi_check import CHECK
from webapi import Client, sign_up
from webhelp import Web

E = env()
WEB = Web(E)
T0 = datetime(2026, 3, 3, 16, 0, tzinfo=timezone.utc)


def teardown_module(module):
    WEB.stop()


def as_tenant(bid, *statements):
    conn = psycopg2.connect(E.database_url)
    try:
        cur = conn.cursor()
        cur.execute("SET ROLE frontdesk_app")
        cur.execute("SELECT set_config('app.business_id', %s, true)", (bid,))
        for sql, args in statements:
            cur.execute(sql, args)
        conn.commit()
    finally:
        conn.close()


def text(bid, caller, business_number, body, minutes, direction="inbound", status=None, telnyx_id=None):
    frm, to = (caller, business_number) if direction == "inbound" else (business_number, caller)
    return ("INSERT INTO sms_messages (id, business_id, conversation_id, direction, from_number, to_number, "
            "caller_number, body, telnyx_message_id, status, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (str(uuid.uuid4()), bid, str(uuid.uuid4()), direction, frm, to, caller, body, telnyx_id,
             status or ("received" if direction == "inbound" else "queued"), T0 + timedelta(minutes=minutes)))


def business(name):
    owner, signed = sign_up(WEB, name)
    return owner, signed["business_id"], random_number()


def test_threads_latest_first_with_opt_out_and_a_thread_page_by_page():
    owner, bid, number = business("Texting Salon")
    ann, bo = random_number(), random_number()
    as_tenant(bid, text(bid, ann, number, "hi, are you open?", 1),
              text(bid, ann, number, "We're open until 5 PM.", 2, "outbound", telnyx_id="t-1"),
              text(bid, bo, number, "STOP", 3),
              ("INSERT INTO sms_opt_outs (id, business_id, number, how, keyword, opted_out_at) "
               "VALUES (%s, %s, %s, 'keyword', 'STOP', %s)", (str(uuid.uuid4()), bid, bo, T0)),
              text(bid, ann, number, "great, thanks", 4))
    page = owner.get_ok("/api/v1/sms/threads")
    assert [(t["number"], t["texts"], t["is_opted_out"]) for t in page["items"]] == [(ann, 3, False), (bo, 1, True)]
    assert page["items"][0]["last_text"] == "great, thanks" and page["items"][0]["last_direction"] == "inbound"
    items, sizes = owner.all_pages(f"/api/v1/sms/threads/{ann}", 2)
    assert [i["body"] for i in items] == ["great, thanks", "We're open until 5 PM.", "hi, are you open?"]
    assert sizes == [2, 1]
    assert [i["direction"] for i in items] == ["inbound", "outbound", "inbound"]


def test_a_delivery_report_moves_its_text_on_in_either_order():
    owner, bid, number = business("Reported Salon")
    caller = random_number()
    report = ("INSERT INTO sms_status_reports (id, business_id, telnyx_message_id, status, at) "
              "VALUES (%s, %s, %s, %s, %s)")
    as_tenant(bid, text(bid, caller, number, "first", 1, "outbound", telnyx_id="tx-a"),
              (report, (str(uuid.uuid4()), bid, "tx-a", "delivered", T0)),
              (report, (str(uuid.uuid4()), bid, "tx-a", "sent", T0)),          # late: changes nothing
              (report, (str(uuid.uuid4()), bid, "tx-b", "failed", T0)),        # before its text
              text(bid, caller, number, "second", 2, "outbound", telnyx_id="tx-b"))
    items = owner.get_ok(f"/api/v1/sms/threads/{caller}")["items"]
    assert [(i["body"], i["status"]) for i in items] == [("second", "failed"), ("first", "delivered")]


def test_another_business_number_is_not_found_and_its_threads_never_listed():
    owner_a, bid_a, number_a = business("Salon A")
    owner_b, bid_b, number_b = business("Salon B")
    only_b = random_number()
    as_tenant(bid_b, text(bid_b, only_b, number_b, "secret of B", 1))
    status, body = owner_a.get(f"/api/v1/sms/threads/{only_b}")
    assert status == 404, (status, body)
    assert all(t["number"] != only_b for t in owner_a.get_ok("/api/v1/sms/threads")["items"])
    assert owner_b.get_ok(f"/api/v1/sms/threads/{only_b}")["items"][0]["body"] == "secret of B"
    status, _ = owner_a.get("/api/v1/sms/threads/not-a-number")
    assert status == 404


def conversation_text(bid, conv, caller, business_number, body, minutes):
    return ("INSERT INTO sms_messages (id, business_id, conversation_id, direction, from_number, to_number, "
            "caller_number, body, status, at) VALUES (%s, %s, %s, 'inbound', %s, %s, %s, %s, 'received', %s)",
            (str(uuid.uuid4()), bid, conv, caller, business_number, caller, body, T0 + timedelta(minutes=minutes)))


def lead(bid, conv, score):
    return ("INSERT INTO lead_scores (id, business_id, call_log_id, call_control_id, score, reasons) "
            "VALUES (%s, %s, %s, %s, %s, 'asked to book')",
            (str(uuid.uuid4()), bid, conv, "sms:" + conv, score))


def test_a_text_conversations_lead_score_is_listed_with_the_calls_leads_and_only_its_business():
    owner_a, bid_a, number_a = business("Leads Salon A")
    owner_b, bid_b, number_b = business("Leads Salon B")
    hot, cold, hers = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    ann, cy = random_number(), random_number()
    as_tenant(bid_a, conversation_text(bid_a, hot, ann, number_a, "can i book a color friday?", 10),
              conversation_text(bid_a, hot, ann, number_a, "yes please", 12), lead(bid_a, hot, 80),
              conversation_text(bid_a, cold, cy, number_a, "what are your hours", 20), lead(bid_a, cold, 20))
    as_tenant(bid_b, conversation_text(bid_b, hers, random_number(), number_b, "B's own", 30), lead(bid_b, hers, 90))
    leads, _ = owner_a.all_pages("/api/v1/leads", 1)
    assert [(l["call_id"], l["channel"], l["score"], l["from"]) for l in leads] == \
        [(cold, "text", 20, cy), (hot, "text", 80, ann)], leads
    assert datetime.fromisoformat(leads[1]["started_at"]) == T0 + timedelta(minutes=10), leads[1]
    strong = owner_a.get_ok("/api/v1/leads", min_score=50)["items"]
    assert [l["call_id"] for l in strong] == [hot]
    assert [l["call_id"] for l in owner_b.get_ok("/api/v1/leads")["items"]] == [hers]
    by_score, sizes = owner_a.all_pages("/api/v1/leads", 1, sort="score")
    assert [l["call_id"] for l in by_score] == [hot, cold] and sizes == [1, 1], by_score


def test_without_a_session_the_text_routes_are_401():
    nobody = Client(WEB)
    for path in ("/api/v1/sms/threads", "/api/v1/sms/threads/+13125550100"):
        assert nobody.get(path)[0] == 401, path


def test_every_text_route_was_checked_against_the_document():
    seen = {(m, t) for m, t, _ in CHECK.checked}
    texts = [(m, t) for m, t, op in CHECK.spec.operations.values() if op["tags"][0] == "texts"]
    assert len(texts) == 2
    for method, template in texts:
        assert (method.upper(), template) in seen, (method, template)
