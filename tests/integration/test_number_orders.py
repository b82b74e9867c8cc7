"""The worker's provisioning job against the Telnyx simulator, PostgreSQL and Redis: a
business's request for a number (a number_requests row, as sign-up leaves it) is bought,
stored and routed, whatever Telnyx and the workers do meanwhile; and never twice."""
import os
import signal
import subprocess
import time
import uuid

import harness
from harness import Sim, Worker, env, pg_rows, start_api, wait_for

E = env()
API = start_api(E)
SIM = Sim(E, API)
R = E.redis()
CONNECTION_ID = "1494404757140276705"
PROFILE_ID = "40017a2f-1b7e-4a3c-9c3e-2f7d0f9e1a55"
LEASE_MS = 6000


def worker(name="provisioner", lease_ms=LEASE_MS, **extra):
    return Worker(E, SIM, name, FRONTDESK_TELNYX_CONNECTION_ID=CONNECTION_ID,
                  FRONTDESK_TELNYX_MESSAGING_PROFILE_ID=PROFILE_ID,
                  FRONTDESK_NUMBER_LEASE_MS=lease_ms, **extra)


def business(name=None):
    name = name or "Numbers Co " + uuid.uuid4().hex[:6]
    return harness.create_tenant(E, name=name)[0], name


def request_number(bid, area_code=None):
    """What sign-up does: INSERT (business_id, area_code); returns the request id."""
    return str(pg_rows(E, "INSERT INTO number_requests (business_id, area_code) VALUES (%s, %s) "
                          "RETURNING id", bid, area_code)[0][0])


def request_row(rid):
    rows = pg_rows(E, "SELECT status, phone_number, order_id, order_attempts, failure_reason, "
                      "last_error, claimed_by FROM number_requests WHERE id = %s", rid)
    keys = ("status", "phone_number", "order_id", "order_attempts", "failure_reason",
            "last_error", "claimed_by")
    return dict(zip(keys, rows[0]))


def wait_status(rid, statuses=("active", "failed"), timeout=40):
    return wait_for(lambda: (lambda row: row if row["status"] in statuses else None)(request_row(rid)),
                    timeout=timeout, step=0.2, what=f"request {rid} {statuses}")


def reference(rid):
    return "frontdesk-request-" + rid


def orders_of(rid):
    return [o for o in SIM.get("/_sim/number_orders")["orders"] if o["customer_reference"] == reference(rid)]


def assert_traffic_valid():
    reqs = SIM.requests()
    assert [r for r in reqs if r.get("valid") is False] == []
    assert [r for r in reqs if r.get("response_errors")] == []


def reset_sim():
    SIM.post("/_sim/reset", {})


def assert_routed(bid, number):
    assert R.hget("fd:numbers", number) == bid.encode()
    assert pg_rows(E, "SELECT business_id::text FROM phone_numbers WHERE number = %s", number) == [(bid,)]


def stop(*workers):
    for w in workers:
        assert w.stop() == 0


# ---- fulfilled ------------------------------------------------------------------------

def test_a_request_is_bought_stored_routed_and_its_number_answers_for_its_business():
    reset_sim()
    bid, name = business("Lakeview Dental " + uuid.uuid4().hex[:4])
    rid = request_number(bid, "312")
    version = int(R.get("fd:numbers:version") or 0)
    w = worker()
    row = wait_status(rid)
    assert row["status"] == "active", row
    number = row["phone_number"]
    # the apis hear of the new route (api/number_watch.c): no cached miss outlives it
    wait_for(lambda: int(R.get("fd:numbers:version") or 0) > version, timeout=5,
             what="fd:numbers:version moved")
    assert number.startswith("+1312"), number
    assert row["claimed_by"] is None and row["failure_reason"] is None
    assert_routed(bid, number)
    orders = orders_of(rid)
    assert len(orders) == 1, orders
    assert orders[0]["phone_numbers"] == [number]
    assert orders[0]["connection_id"] == CONNECTION_ID
    assert orders[0]["messaging_profile_id"] == PROFILE_ID
    assert row["order_id"] == orders[0]["id"]
    search = [r for r in SIM.requests() if r["command"] == "available_phone_numbers"][0]
    assert "filter[national_destination_code]=312" in search["query"]
    assert "filter[features][]=voice" in search["query"] and "filter[features][]=sms" in search["query"]
    assert_traffic_valid()
    # the new number routes a call to the business at once
    call = SIM.call(number, "+15550002001", [{"say": "bye"}])
    rec = SIM.wait_ended(call)
    agent = [t["text"] for t in rec["transcript"] if t["speaker"] == "agent"]
    assert agent and agent[0].startswith("Thank you for calling " + name), agent
    stop(w)


def test_a_request_without_an_area_code_gets_any_us_number():
    reset_sim()
    bid, _ = business()
    rid = request_number(bid)
    w = worker()
    row = wait_status(rid)
    assert row["status"] == "active" and row["phone_number"].startswith("+1"), row
    search = [r for r in SIM.requests() if r["command"] == "available_phone_numbers"][0]
    assert "national_destination_code" not in search["query"]
    assert len(orders_of(rid)) == 1
    stop(w)


# ---- owner-actionable failures -------------------------------------------------------------

def test_no_number_in_the_area_code_fails_with_a_reason_and_orders_nothing():
    reset_sim()
    SIM.post("/_sim/numbers", {"area_code": "907", "available": 0})
    bid, _ = business()
    rid = request_number(bid, "907")
    w = worker()
    row = wait_status(rid)
    assert row["status"] == "failed", row
    assert "area code 907" in row["failure_reason"], row
    assert orders_of(rid) == []
    assert_traffic_valid()
    stop(w)


def test_an_order_telnyx_fails_fails_the_request_naming_the_number():
    reset_sim()
    SIM.post("/_sim/number_orders", {"pending_polls": 0, "result": "failure"})
    bid, _ = business()
    rid = request_number(bid, "415")
    w = worker()
    row = wait_status(rid)
    assert row["status"] == "failed", row
    assert row["phone_number"] in row["failure_reason"], row
    assert len(orders_of(rid)) == 1
    assert R.hget("fd:numbers", row["phone_number"]) is None
    stop(w)


# ---- Telnyx slow, failing, restarted workers: one number per request ---------------------------

def test_a_slow_telnyx_still_orders_exactly_one_number_per_request():
    reset_sim()
    SIM.post("/_sim/fail", {"delay_ms": 1200, "count": 12})
    bid, _ = business()
    rids = [request_number(bid, "646"), request_number(bid, "646")]
    w = worker()
    rows = [wait_status(rid, timeout=60) for rid in rids]
    assert [r["status"] for r in rows] == ["active", "active"], rows
    assert len({r["phone_number"] for r in rows}) == 2
    assert [len(orders_of(rid)) for rid in rids] == [1, 1]
    assert_traffic_valid()
    stop(w)


def test_telnyx_failing_for_a_while_is_waited_out_and_orders_one_number():
    reset_sim()
    SIM.post("/_sim/fail", {"status": 503, "count": 6, "command": "available_phone_numbers"})
    SIM.post("/_sim/fail", {"status": 500, "count": 2, "command": "number_orders.create"})
    SIM.post("/_sim/fail", {"status": 502, "count": 5, "command": "number_orders.get"})
    bid, _ = business()
    rid = request_number(bid, "720")
    w = worker()
    row = wait_status(rid, timeout=60)
    assert row["status"] == "active", row
    assert len(orders_of(rid)) == 1
    # every order sent named the one number chosen, and each was counted before it left
    creates = [r for r in SIM.requests() if r["command"] == "number_orders.create"]
    ordered = {c["body"]["phone_numbers"][0]["phone_number"] for c in creates}
    assert len(creates) == 3 and ordered == {row["phone_number"]}
    assert row["order_attempts"] == 3
    assert [c["status"] for c in creates] == [500, 500, 200]
    assert_routed(bid, row["phone_number"])
    stop(w)


def test_an_order_refused_outright_searches_again_and_orders_one_number():
    reset_sim()
    SIM.post("/_sim/fail", {"status": 422, "count": 1, "command": "number_orders.create"})
    bid, _ = business()
    rid = request_number(bid, "415")
    w = worker()
    row = wait_status(rid)
    assert row["status"] == "active", row
    creates = [r for r in SIM.requests() if r["command"] == "number_orders.create"]
    assert [c["status"] for c in creates] == [422, 200]
    assert row["order_attempts"] == 1           # counted anew for the number searched again
    assert len(orders_of(rid)) == 1
    assert [r["command"] for r in SIM.requests()].count("available_phone_numbers") == 2
    stop(w)


def test_a_worker_killed_while_its_order_is_pending_leaves_it_to_the_next_one():
    reset_sim()
    SIM.post("/_sim/number_orders", {"pending_polls": 3})
    bid, _ = business()
    rid = request_number(bid, "206")
    first = worker("first")
    wait_for(lambda: orders_of(rid) and orders_of(rid)[0]["polls"] >= 1, timeout=30, what="a poll")
    os.kill(first.p.pid, signal.SIGKILL)
    first.p.wait(timeout=10)
    first.stop()
    assert request_row(rid)["status"] == "ordering"
    second = worker("second")
    row = wait_status(rid, timeout=60)
    assert row["status"] == "active", row
    assert len(orders_of(rid)) == 1
    assert_routed(bid, row["phone_number"])
    assert "number request active" in second.output()
    stop(second)


def test_a_worker_killed_before_its_order_is_answered_never_orders_a_second_number():
    """The order reached Telnyx, its answer did not reach the worker: the next worker orders
    the same number again, Telnyx refuses it, and the request fails for an operator to
    check instead of buying another number."""
    reset_sim()
    SIM.post("/_sim/fail", {"delay_ms": 8000, "count": 1, "command": "number_orders.create"})
    bid, _ = business()
    rid = request_number(bid, "312")
    first = worker("first")
    wait_for(lambda: orders_of(rid), timeout=30, what="the order at Telnyx")
    os.kill(first.p.pid, signal.SIGKILL)
    first.p.wait(timeout=10)
    first.stop()
    second = worker("second")
    row = wait_status(rid, timeout=60)
    assert row["status"] == "failed", row
    assert "could not be confirmed" in row["failure_reason"], row
    assert reference(rid) in row["last_error"], row
    assert len(orders_of(rid)) == 1
    creates = [r for r in SIM.requests() if r["command"] == "number_orders.create"]
    assert len(creates) == 2 and creates[1]["status"] == 422
    assert creates[0]["body"] == creates[1]["body"]
    stop(second)


def test_two_workers_never_order_twice_for_one_request():
    reset_sim()
    SIM.post("/_sim/number_orders", {"pending_polls": 1})
    SIM.post("/_sim/fail", {"status": 503, "count": 4})
    bid, _ = business()
    areas = ["312", "312", "415", None, "646", "312", "720", None]
    rids = [request_number(bid, a) for a in areas]
    workers = [worker("a"), worker("b")]
    rows = [wait_status(rid, timeout=90) for rid in rids]
    assert [r["status"] for r in rows] == ["active"] * len(rids), rows
    assert len({r["phone_number"] for r in rows}) == len(rids)
    by_ref = SIM.get("/_sim/number_orders")["by_reference"]
    assert sorted(by_ref.get(reference(rid), 0) for rid in rids) == [1] * len(rids), by_ref
    assert sum(w.metric("frontdesk_number_requests_claimed_total") for w in workers) >= len(rids)
    for r in rows:
        assert_routed(bid, r["phone_number"])
    assert_traffic_valid()
    stop(*workers)


def test_a_worker_without_the_telnyx_ids_provisions_nothing_and_half_of_them_is_refused():
    reset_sim()
    bid, _ = business()
    rid = request_number(bid, "312")
    plain = Worker(E, SIM, "plain")
    time.sleep(2)
    assert request_row(rid)["status"] == "pending"
    assert "number_provisioning" in plain.output() and '"number_provisioning":"off"' in plain.output()
    stop(plain)
    vars_ = E.base_env(FRONTDESK_TELNYX_API_URL=SIM.url + "/v2", FRONTDESK_TELNYX_API_KEY="k",
                       FRONTDESK_TELNYX_CONNECTION_ID=CONNECTION_ID)
    r = subprocess.run([os.path.join(harness.BIN, "frontdesk-worker")], env=vars_,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "FRONTDESK_TELNYX_MESSAGING_PROFILE_ID" in r.stderr, r.stderr
    # the request is fulfilled once a provisioning worker runs
    w = worker()
    assert wait_status(rid)["status"] == "active"
    stop(w)
