"""The dashboard's Messages, Leads, Texts, Team and Numbers pages in a real browser
(journeys_pages.mjs, Debian's Chromium through playwright-core) against the real
frontdesk-web, api, worker, Telnyx simulator, Redis and PostgreSQL. Two businesses sign
up through the API, each with its receptionist and number: the first gets a call that
leaves a message, a call that books, a text conversation through the simulator (which
the worker answers and scores once it goes quiet) and older scored calls written
straight into PostgreSQL; the second gets one call that books. Each journey is one test
and fails on anything a user would notice, a serious or critical axe-core finding, a
page wider than the screen (375 and 1440 px, screenshots in build/screenshots/) or an
error the page logs."""
import uuid

from dashhelp import Dashboard, display
from harness import env, wait_for
from rxhelp import example
from webapi import sign_up

E = env()
DASH = Dashboard("journeys_pages.mjs")
STACK, SIM, WEB, PG = DASH.stack, DASH.sim, DASH.web, DASH.pg
rows, journey = DASH.rows, DASH.journey




class Business:
    """Signed up through the API, a number routed to it, a receptionist open around the
    clock that sends the owner no texts."""

    def __init__(self, name, zone):
        self.client, self.signed, self.number = DASH.sign_up(name, zone)
        self.id = self.signed["business_id"]
        self.email, self.password = self.signed["email"], self.signed["password"]
        doc = example("dental-clinic")
        doc.update(business_name=name, timezone=zone, closures=[])
        doc["hours"] = {d: [{"open": "00:00", "close": "24:00"}]
                        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        doc["booking"].update(lead_time_minutes=0, capacity_per_slot=5)
        doc["notifications"] = {"on": []}
        status, body = self.client.put("/api/v1/agent", doc)
        assert status == 200, (status, body)


def booking_call(name):
    return ["How much is a teeth cleaning?", "OK, I'd like to book one tomorrow at 10 in the morning",
            name, "yes please", "no that's all, bye"]


MESSAGE = "Please call me about my crown"
MESSAGE_CALL = ["Can I leave a message for the dentist?", "My name is Lou Reed", "no",
                "my number is 201 555 0123", "yes", MESSAGE, "bye"]
TEXTER = "+15550007301"
TEXT = "Hi, do you do teeth whitening?"

A = Business("Anna Dental", "America/New_York")
B = Business("Bram Dental", "America/Chicago")
WORKER = STACK.worker("dashboard-pages", FRONTDESK_SILENCE_MS="800", FRONTDESK_SMS_QUIET_MS="1500")
CALLS = [SIM.call(A.number, "+15550007201", [{"say": s} for s in MESSAGE_CALL]),
         SIM.call(A.number, "+15550007202", [{"say": s} for s in booking_call("Alma Quist")]),
         SIM.call(B.number, "+15550007203", [{"say": s} for s in booking_call("Boris Kline")])]
SIM.post("/_sim/messages", {"from": TEXTER, "to": A.number, "text": TEXT})
for c in CALLS:
    SIM.wait_ended(c, timeout=90)
wait_for(lambda: rows("SELECT count(*) FROM lead_scores WHERE business_id IN (%s, %s)", A.id, B.id)[0][0] == 4
         and rows("SELECT count(*) FROM messages WHERE business_id = %s", A.id)[0][0] == 1
         and rows("SELECT count(*) FROM call_logs WHERE business_id IN (%s, %s)", A.id, B.id)[0][0] == 3,
         timeout=90, what="the calls' logs, the message and four lead scores (three calls, one text conversation)")
OLDER_SCORES = [35, 90, 10]


def write_older_scored_calls():
    """Calls of A two days ago with the scores of OLDER_SCORES, so that score order and
    time order differ."""
    with PG.cursor() as cur:
        for i, score in enumerate(OLDER_SCORES):
            cid = str(uuid.uuid4())
            cur.execute("INSERT INTO call_logs (id, business_id, call_control_id, direction, started_at, "
                        "ended_at, duration_s, from_number, to_number, outcome) VALUES (%s, %s, %s, "
                        "'incoming', now() - interval '2 days' - %s * interval '1 hour', "
                        "now() - interval '2 days' - %s * interval '1 hour' + interval '1 minute', "
                        "60, '+15550009999', %s, 'answered_by_agent')",
                        (cid, A.id, "older-" + cid, i, i, A.number))
            cur.execute("INSERT INTO lead_scores (id, business_id, call_log_id, call_control_id, score, reasons, "
                        "created_at) VALUES (%s, %s, %s, %s, %s, %s, now())",
                        (str(uuid.uuid4()), A.id, cid, "older-" + cid, score, f"older call scored {score}"))


write_older_scored_calls()




def test_a_message_left_in_a_call_is_unanswered_on_today_until_marked_handled_and_stays_on_messages():
    [(message_id,)] = rows("SELECT id::text FROM messages WHERE business_id = %s", A.id)
    assert rows("SELECT count(*) FROM message_handlings WHERE message_id = %s", message_id) == [(0,)]
    journey("messages", email=A.email, password=A.password, message=MESSAGE, message_id=message_id,
            caller_display=display("+12015550123"))
    [(who,)] = rows("SELECT u.email FROM message_handlings h JOIN users u ON u.id = h.user_id "
                    "WHERE h.message_id = %s", message_id)
    assert who == A.email


def test_leads_come_highest_score_first_with_reasons_and_open_their_call_or_texts():
    scores = sorted((r[0] for r in rows("SELECT score FROM lead_scores WHERE business_id = %s", A.id)),
                    reverse=True)
    [(text_score,)] = rows("SELECT score FROM lead_scores WHERE business_id = %s AND call_control_id LIKE 'sms:%%'",
                           A.id)
    journey("leads", email=A.email, password=A.password, scores=scores, texter=TEXTER,
            texter_display=display(TEXTER), text_score=text_score)


def test_a_text_conversation_shows_as_a_thread_oldest_text_first():
    replies = [r[0] for r in rows("SELECT body FROM sms_messages WHERE business_id = %s AND caller_number = %s "
                                  "AND direction = 'outbound' ORDER BY at", A.id, TEXTER)]
    assert replies, "the receptionist did not answer the text"
    journey("texts", email=A.email, password=A.password, texter=TEXTER, texter_display=display(TEXTER),
            text=TEXT, reply=replies[0])


def test_the_owner_adds_staff_on_team_and_the_staff_user_sees_no_team():
    staff_email = f"staff-{uuid.uuid4().hex[:10]}@example.com"
    other_email = f"helper-{uuid.uuid4().hex[:10]}@example.com"
    journey("team", email=A.email, password=A.password, staff_email=staff_email, other_email=other_email,
            staff_password="a long staff password")
    got = dict(rows("SELECT email, role FROM users WHERE business_id = %s AND deleted_at IS NULL", A.id))
    assert got == {A.email: "owner", staff_email: "staff"}, got
    assert rows("SELECT role FROM users WHERE email = %s AND deleted_at IS NOT NULL", other_email) == [("owner",)]
    journey("team-staff", email=staff_email, password="a long staff password")


def test_numbers_show_the_business_s_number_as_active():
    journey("numbers", email=A.email, password=A.password, number_display=display(A.number))


def test_a_new_business_s_pages_say_what_will_show_there():
    _, signed = sign_up(WEB, "Cleo Dental")
    STACK.tenants.append(signed["business_id"])
    journey("empty", email=signed["email"], password=signed["password"])


def test_business_b_sees_none_of_a_s_messages_leads_or_texts():
    journey("pages-isolation", email=B.email, password=B.password, texter=TEXTER, texter_display=display(TEXTER),
            own_number=display(B.number), own_caller=display("+15550007203"),
            forbidden=[MESSAGE, "Lou Reed", "Alma Quist", display(TEXTER), display(A.number),
                       "older call scored", "Anna", display("+15550007201"), display("+15550007202")])


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
