"""What operators do to a business with frontdesk-ctl, checked on real calls: tenant list and
show print what an operator needs, suspend and resume change what the next call does, and
numbers add and remove route a number and stop routing it."""
import json
import os
import re
import time
import urllib.request
import uuid

import harness
from harness import ROOT, Sim, Worker, ctl, env, pg_rows, start_api, wait_for

E = env()
API = start_api(E)
SIM = Sim(E, API)
WORKER = Worker(E, SIM, "ops-worker")
R = E.redis()


def api_number_ttl_s():
    """How long an api keeps a number's route it looked up (lib/store/number_cache.h)."""
    with open(os.path.join(ROOT, "lib", "store", "number_cache.h")) as f:
        return int(re.search(r"#define FD_NUMBER_TTL_MS (\d+)", f.read()).group(1)) / 1000.0


def business(name=None, fallback=None):
    """(business id, its number, its name)"""
    name = name or "Ops Co " + uuid.uuid4().hex[:6]
    bid, (number,) = harness.create_tenant(E, name=name, fallback=fallback)
    return bid, number, name


def ok(*args):
    r = ctl(E, *args)
    assert r.returncode == 0, (args, r.stderr)
    return r


def agent_lines(rec):
    return [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]


def commands(rec, name):
    return [c for c in rec["commands"] if c["command"] == name and not c.get("duplicate")]


def call_and_end(number, script=None):
    call = SIM.call(number, "+15550003001", script if script is not None else [{"say": "bye"}])
    return SIM.wait_ended(call, timeout=30)


def answered_by_receptionist(rec, name):
    lines = agent_lines(rec)
    return bool(lines) and lines[0].startswith("Thank you for calling " + name)


# ---- tenant list and show ---------------------------------------------------------------

def test_tenant_list_shows_status_numbers_requests_and_receptionist_of_each_business():
    a, _, name_a = business()
    b, _, name_b = business()
    pg_rows(E, "INSERT INTO number_requests (business_id, area_code) VALUES (%s, '312') RETURNING id", a)
    pg_rows(E, "INSERT INTO number_requests (business_id, status, failure_reason) VALUES "
               "(%s, 'failed', 'No numbers') RETURNING id", a)
    ok("tenant", "suspend", "--business", b)
    r = ok("tenant", "list")
    lines = {l.split()[0]: l for l in r.stdout.splitlines()[1:]}
    assert r.stdout.splitlines()[0].split() == ["BUSINESS", "STATUS", "NUMBERS", "REQUESTED",
                                                "FAILED", "AGENT", "CREATED", "NAME"]
    assert lines[a].split()[1:6] == ["active", "1", "1", "1", "1"], lines[a]
    assert lines[a].endswith(name_a)
    assert lines[b].split()[1:6] == ["suspended", "1", "0", "0", "1"], lines[b]
    as_json = {t["business_id"]: t for t in json.loads(ok("tenant", "list", "--json").stdout)}
    assert as_json[a]["status"] == "active" and as_json[a]["number_requests_waiting"] == 1
    assert as_json[a]["number_requests_failed"] == 1 and as_json[a]["agent_version"] == 1
    assert as_json[b]["status"] == "suspended" and as_json[b]["suspended_at"].endswith("Z")
    assert as_json[b]["name"] == name_b


def test_tenant_show_prints_the_business_its_numbers_and_why_a_request_failed():
    bid, number, name = business(fallback="+15559990001")
    pg_rows(E, "INSERT INTO number_requests (business_id, area_code, status, failure_reason, "
               "last_error) VALUES (%s, '907', 'failed', 'No phone numbers are available in area "
               "code 907 right now.', 'search: none') RETURNING id", bid)
    waiting = str(pg_rows(E, "INSERT INTO number_requests (business_id, area_code, attempts, last_error) "
                             "VALUES (%s, '312', 2, 'search: HTTP 503') RETURNING id", bid)[0][0])
    out = ok("tenant", "show", "--business", bid).stdout
    assert f"business         {bid}" in out and f"name             {name}" in out
    assert "status           active" in out and "fallback         +15559990001" in out
    assert "receptionist     version 1 active" in out
    assert number in out
    assert "reason: No phone numbers are available in area code 907" in out
    assert waiting in out and "tries 2" in out and "last error: search: HTTP 503" in out
    doc = json.loads(ok("tenant", "show", "--business", bid, "--json").stdout)
    assert doc["business_id"] == bid and doc["agent_version"] == 1
    assert [n["number"] for n in doc["numbers"]] == [number]
    by_status = {r["status"]: r for r in doc["number_requests"]}
    assert by_status["failed"]["area_code"] == "907"
    assert by_status["pending"]["attempts"] == 2 and by_status["pending"]["last_error"] == "search: HTTP 503"


def test_tenant_show_of_an_unknown_business_fails_and_bad_ids_are_usage_errors():
    r = ctl(E, "tenant", "show", "--business", str(uuid.uuid4()))
    assert r.returncode == 1 and "no business" in r.stderr
    for args in (("tenant", "show"), ("tenant", "show", "--business", "nope"),
                 ("tenant", "suspend"), ("tenant", "list", "--business", str(uuid.uuid4()))):
        r = ctl(E, *args)
        assert r.returncode == 2 and r.stdout == "", (args, r.stderr)


# ---- suspend and resume ---------------------------------------------------------------------

def test_a_suspended_business_forwards_its_next_call_and_resume_answers_again():
    bid, number, name = business(fallback="+15559990002")
    assert answered_by_receptionist(call_and_end(number), name)     # the configuration is cached
    r = ok("tenant", "suspend", "--business", bid)
    assert "suspended" in r.stderr and "+15559990002" in r.stderr
    call = SIM.call(number, "+15550003002", [])
    rec = wait_for(lambda: (lambda c: c if commands(c, "transfer") else None)(SIM.call_record(call)),
                   what="a transfer")
    assert commands(rec, "transfer")[0]["body"]["to"] == "+15559990002"
    assert commands(rec, "speak") == []
    SIM.wait_ended(call, timeout=30)
    # its data stays
    assert pg_rows(E, "SELECT count(*) FROM phone_numbers WHERE business_id = %s", bid) == [(1,)]
    assert pg_rows(E, "SELECT count(*) FROM ai_agents WHERE business_id = %s AND is_active", bid) == [(1,)]
    r = ok("tenant", "resume", "--business", bid)
    assert "takes calls again" in r.stderr
    assert answered_by_receptionist(call_and_end(number), name)
    assert pg_rows(E, "SELECT suspended_at FROM businesses WHERE id = %s", bid) == [(None,)]


def test_a_suspended_business_without_fallback_says_it_cannot_take_the_call():
    bid, number, name = business()
    ok("tenant", "suspend", "--business", bid)
    rec = call_and_end(number, [])
    lines = agent_lines(rec)
    assert len(lines) == 1 and "cannot take your call" in lines[0], lines
    assert commands(rec, "transcription_start") == []


def test_suspending_twice_keeps_the_first_time_and_an_unknown_business_fails():
    bid, _, _ = business()
    ok("tenant", "suspend", "--business", bid)
    first = pg_rows(E, "SELECT suspended_at FROM businesses WHERE id = %s", bid)
    time.sleep(0.05)
    ok("tenant", "suspend", "--business", bid)
    assert pg_rows(E, "SELECT suspended_at FROM businesses WHERE id = %s", bid) == first
    r = ctl(E, "tenant", "suspend", "--business", str(uuid.uuid4()))
    assert r.returncode == 1 and "no business" in r.stderr


# ---- numbers add and remove ---------------------------------------------------------------------

def test_a_number_added_routes_at_once_and_removed_stops_routing():
    bid, _, name = business()
    extra = harness.random_number()
    r = ok("numbers", "add", "--business", bid, "--number", extra)
    assert "routes to business" in r.stderr
    assert R.hget("fd:numbers", extra) == bid.encode()
    assert pg_rows(E, "SELECT business_id::text FROM phone_numbers WHERE number = %s", extra) == [(bid,)]
    assert answered_by_receptionist(call_and_end(extra), name)
    ok("numbers", "add", "--business", bid, "--number", extra)      # again: nothing changes
    ok("numbers", "remove", "--business", bid, "--number", extra)
    assert R.hget("fd:numbers", extra) is None
    assert pg_rows(E, "SELECT count(*) FROM phone_numbers WHERE number = %s", extra) == [(0,)]
    # an api that routed it keeps its cached route for its lifetime, then asks Redis again
    time.sleep(api_number_ttl_s() + 0.5)
    call = SIM.call(extra, "+15550003003", [])
    time.sleep(2)
    rec = SIM.call_record(call)
    assert commands(rec, "answer") == [], rec["commands"]
    SIM.post("/_sim/calls/" + urllib.request.quote(call, safe="") + "/hangup", {})
    assert R.hget("fd:numbers", extra) is None


def test_numbers_add_refuses_another_businesses_number_and_remove_what_is_not_the_business():
    a, number_a, _ = business()
    b, number_b, _ = business()
    r = ctl(E, "numbers", "add", "--business", b, "--number", number_a)
    assert r.returncode == 1 and "already belongs to another business" in r.stderr
    assert R.hget("fd:numbers", number_a) == a.encode()
    r = ctl(E, "numbers", "remove", "--business", b, "--number", number_a)
    assert r.returncode == 1 and "is not business" in r.stderr
    assert R.hget("fd:numbers", number_a) == a.encode()
    r = ctl(E, "numbers", "add", "--business", str(uuid.uuid4()), "--number", harness.random_number())
    assert r.returncode == 1 and "no business" in r.stderr
    for args in (("numbers", "add", "--business", a), ("numbers", "remove", "--number", number_a),
                 ("numbers", "add", "--business", a, "--number", "555-0100")):
        r = ctl(E, *args)
        assert r.returncode == 2 and r.stdout == "", (args, r.stderr)
    assert pg_rows(E, "SELECT business_id::text FROM phone_numbers WHERE number = %s", number_b) == [(b,)]
