"""A business's first hour, end to end through every real part (frontdesk-web, the api, a
worker with number provisioning on, the Telnyx simulator, Redis, PostgreSQL): it signs
up asking for an area code, sees its number become active, a caller rings that number,
and the call with its transcript is in the owner API; another business sees none of
it. Suspended by an operator, the business's callers no longer reach the receptionist,
but its owner still logs in and reads everything."""
from harness import Sim, Worker, ctl, env, start_api, wait_for
from rxhelp import agent_lines, wait_call_logged
from webhelp import Web, login, signup

E = env()
API = start_api(E)
SIM = Sim(E, API)
WORKER = Worker(E, SIM, "journey", FRONTDESK_TELNYX_CONNECTION_ID="1494404757140276705",
                FRONTDESK_TELNYX_MESSAGING_PROFILE_ID="40017a2f-1b7e-4a3c-9c3e-2f7d0f9e1a55")
WEB = Web(E)
_state = {}


def active_number(token):
    status, _, got = WEB.call("GET", "/api/v1/numbers", token=token)
    assert status == 200, got
    return next((n["number"] for n in got["items"] if n["status"] == "active"), None)


def journey():
    """Signs a business up and places one call to the number it was given."""
    if not _state:
        owner = signup(WEB, area_code="415", timezone="America/Los_Angeles")
        number = wait_for(lambda: active_number(owner["token"]), timeout=60, step=0.3,
                          what="the signed-up business's number to become active")
        call = SIM.call(number, frm="+14155550142",
                        script=[{"say": "Hi, what are your hours on Monday?"}, {"say": "Thanks, bye"}])
        rec = SIM.wait_ended(call, timeout=60)
        wait_call_logged(E, call, timeout=60)
        _state.update(owner=owner, number=number, call=call, rec=rec)
    return _state


def test_a_signed_up_business_gets_a_number_in_its_area_code():
    s = journey()
    assert s["number"].startswith("+1415"), s["number"]
    status, _, got = WEB.call("GET", "/api/v1/numbers", token=s["owner"]["token"])
    assert [n["status"] for n in got["items"]] == ["active"], got


def test_a_call_to_the_new_number_is_in_the_owner_api_with_its_transcript():
    s = journey()
    token = s["owner"]["token"]
    status, _, calls = WEB.call("GET", "/api/v1/calls", token=token)
    assert status == 200 and len(calls["items"]) == 1, calls
    call = calls["items"][0]
    assert call["from"] == "+14155550142" and call["to"] == s["number"], call
    status, _, detail = WEB.call("GET", "/api/v1/calls/" + call["id"], token=token)
    assert status == 200, detail
    said = [t["text"] for t in detail["turns"] if t["speaker"] == "caller"]
    assert "Hi, what are your hours on Monday?" in said, detail["turns"]
    assert any(t["speaker"] == "agent" for t in detail["turns"]), detail["turns"]
    assert call["started_at"].endswith(("-08:00", "-07:00")), call["started_at"]


def test_another_business_sees_none_of_it():
    s = journey()
    other = signup(WEB)
    status, _, calls = WEB.call("GET", "/api/v1/calls", token=other["token"])
    assert status == 200 and calls["items"] == [], calls
    call_id = WEB.call("GET", "/api/v1/calls", token=s["owner"]["token"])[2]["items"][0]["id"]
    status, _, _ = WEB.call("GET", "/api/v1/calls/" + call_id, token=other["token"])
    assert status == 404
    status, _, numbers = WEB.call("GET", "/api/v1/numbers", token=other["token"])
    assert s["number"] not in [n.get("number") for n in numbers["items"]], numbers


def test_a_suspended_business_callers_miss_the_receptionist_but_its_owner_still_reads():
    s = journey()
    business = s["owner"]["business_id"]
    r = ctl(E, "tenant", "suspend", "--business", business)
    assert r.returncode == 0, r.stderr
    try:
        call = SIM.call(s["number"], frm="+14155550199", script=[{"say": "Are you open today?"}])
        rec = SIM.wait_ended(call, timeout=60)
        assert agent_lines(rec) == ["We're sorry, we cannot take your call right now. "
                                    "Please try again later. Goodbye."], agent_lines(rec)
        status, _, got = login(WEB, s["owner"]["email"], s["owner"]["password"])
        assert status == 200, got
        status, _, calls = WEB.call("GET", "/api/v1/calls", token=got["token"])
        assert status == 200 and len(calls["items"]) >= 1, calls
    finally:
        assert ctl(E, "tenant", "resume", "--business", business).returncode == 0
