"""The dashboard's Receptionist page in a real browser (journeys_receptionist.mjs, with
the helpers of journeys.mjs) against the real frontdesk-web, api, worker, Telnyx
simulator, Redis and PostgreSQL. Each business signs up through the API with the
dental clinic of docs/examples (open around the clock) and a number routed to it. The
owner changes a price in the form, is shown the error of a bad one beside it, saves a
good one, and the next call placed through the simulator hears it; "Try it" answers with
a greeting typed but not saved; staff see no Save and the API refuses them; a session
lost while editing keeps what was typed, and the version before is restored from the
list. Screenshots: build/screenshots/."""
import uuid

from dashhelp import Dashboard
from harness import env
from rxhelp import agent_lines, example
from webapi import Client
from webhelp import add_user, login

E = env()
DASH = Dashboard("journeys_receptionist.mjs")
STACK, SIM, WEB, PG = DASH.stack, DASH.sim, DASH.web, DASH.pg
rows, journey = DASH.rows, DASH.journey
WORKER = STACK.worker("dashboard-receptionist", FRONTDESK_SILENCE_MS="800")


class Business:
    """Signed up through the API, a number routed to it, the dental clinic's receptionist."""

    def __init__(self, name):
        self.client, self.signed, self.number = DASH.sign_up(name + " " + uuid.uuid4().hex[:4], "America/New_York")
        self.id = self.signed["business_id"]
        self.email, self.password = self.signed["email"], self.signed["password"]
        doc = example("dental-clinic")
        doc.update(business_name=name, closures=[])
        doc["hours"] = {d: [{"open": "00:00", "close": "24:00"}]
                        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
        doc["notifications"] = {"on": []}
        status, body = self.client.put("/api/v1/agent", doc)
        assert status == 200, (status, body)
        self.version = body["version"]

    def active(self):
        return self.client.get_ok("/api/v1/agent")




def test_a_price_changed_in_the_form_is_checked_saved_and_heard_on_the_next_call():
    b = Business("Price Dental")
    journey("rx-price", email=b.email, password=b.password, service="Cleaning", old_price="120.00",
            bad_price="12.345", new_price="99.50", new_version=b.version + 1)
    active = b.active()
    assert active["version"] == b.version + 1, active["version"]
    assert active["config"]["services"][0]["price"] == "99.50"
    call = SIM.call(b.number, "+15550008101", [{"say": "How much is a cleaning?"}, {"say": "no, bye"}])
    heard = " ".join(agent_lines(SIM.wait_ended(call, timeout=90)))
    assert "$99.50" in heard and "$120" not in heard, heard


def test_try_it_answers_with_the_greeting_typed_but_not_saved():
    b = Business("Try Dental")
    greeting = "Hello from the draft at Try Dental, what can I do for you?"
    journey("rx-try", email=b.email, password=b.password, greeting=greeting,
            question="How much is a cleaning?", answer_has="$120")
    active = b.active()
    assert active["version"] == b.version and active["config"]["greeting"] != greeting


def test_staff_see_no_save_button_and_the_api_refuses_them():
    b = Business("Staff Dental")
    _, email, password = add_user(WEB, b.signed["token"], role="staff")
    status, _, signed_in = login(WEB, email, password)
    assert status == 200, (status, signed_in)
    journey("rx-staff", email=email, password=password)
    assert Client(WEB, signed_in["token"]).put("/api/v1/agent", b.active()["config"])[0] == 403
    assert b.active()["version"] == b.version


def test_a_session_lost_while_editing_keeps_what_was_typed_and_an_older_version_is_restored():
    b = Business("Lost Dental")
    greeting = "Typed before the session was lost, at Lost Dental."
    journey("rx-lost-session", email=b.email, password=b.password, greeting=greeting, version=b.version)
    saved = b.client.get_ok(f"/api/v1/agent/versions/{b.version + 1}")
    assert saved["config"]["greeting"] == greeting, saved["config"]["greeting"]
    assert b.active()["version"] == b.version        # restored from the list
