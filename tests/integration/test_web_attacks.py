"""Every route of frontdesk-web, tried the ways an attacker would: with no session, a
forged token, a cookie without its CSRF header, a staff user on an owner's route,
business_id smuggled into the query or the body, and another business's ids. The routes
come from web/routes.c itself, so a route added later is attacked too. Also the
business's numbers (GET/POST /api/v1/numbers) and its billing (GET /api/v1/billing),
which only its own users see."""
import os
import re
import secrets
import uuid

from harness import ROOT, env, pg_rows
from webhelp import Web, add_user, login, signup

E = env()
WEB = Web(E)
ROW = re.compile(r'\{WEB_(GET|POST|PUT|PATCH|DELETE), "([^"]+)", WEB_(PUBLIC|SIGNED_IN|OWNER),')
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def routes():
    """(method, path pattern, access) of every row of web/routes.c."""
    with open(os.path.join(ROOT, "web", "routes.c"), encoding="utf-8") as f:
        found = ROW.findall(f.read())
    assert len(found) >= 20, found
    return found


def concrete(pattern, ids=None):
    """The pattern with each {name} filled: from ids when given, else a fresh uuid or 1."""
    ids = ids or {}
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1 if m.group(1) == "n"
                                                       else uuid.uuid4())), pattern)


def body_for(method):
    return {} if method in ("POST", "PUT", "PATCH") else None


_sides = {}


def sides():
    """Two businesses, each with an owner, a staff user and a cookie session."""
    if not _sides:
        for key in ("A", "B"):
            owner = signup(WEB)
            staff, email, password = add_user(WEB, owner["token"], role="staff")
            staff_token = login(WEB, email, password)[2]["token"]
            cookie = re.search(r"fd_session=([^;]+)", owner["cookie_header"]).group(1)
            _sides[key] = dict(owner=owner, staff=staff, staff_token=staff_token, cookie=cookie)
    return _sides


def test_no_session_and_forged_tokens_get_401_on_every_signed_in_route():
    forged = secrets.token_urlsafe(32)
    for method, pattern, access in routes():
        if access == "PUBLIC":
            continue
        path = concrete(pattern)
        for token in (None, forged, forged[:-1] + ("A" if forged[-1] != "A" else "B")):
            status, headers, got = WEB.call(method, path, body_for(method), token=token)
            assert status == 401, (method, path, token, status, got)
            assert headers.get("content-type") == "application/problem+json"


def test_a_cookie_write_without_the_csrf_header_is_403_on_every_write_route():
    s = sides()["A"]
    for method, pattern, access in routes():
        if access == "PUBLIC" or method not in WRITES:
            continue
        path = concrete(pattern)
        status, _, got = WEB.call(method, path, body_for(method), cookie=s["cookie"])
        assert status == 403, (method, path, status, got)
        status, _, got = WEB.call(method, path, body_for(method), cookie=s["cookie"], csrf="x" * 43)
        assert status == 403, (method, path, "wrong csrf", status, got)


def test_staff_get_403_on_every_owner_route():
    s = sides()["A"]
    owner_routes = [(m, p) for m, p, a in routes() if a == "OWNER"]
    assert len(owner_routes) >= 4, owner_routes
    for method, pattern in owner_routes:
        path = concrete(pattern)
        status, _, got = WEB.call(method, path, body_for(method), token=s["staff_token"])
        assert status == 403, (method, path, status, got)


def test_business_id_in_the_query_or_body_is_refused_on_every_route():
    s = sides()["A"]
    other = sides()["B"]["owner"]["business_id"]
    for method, pattern, access in routes():
        path = concrete(pattern)
        token = None if access == "PUBLIC" else s["owner"]["token"]
        status, _, got = WEB.call(method, path + "?business_id=" + other, body_for(method), token=token)
        assert status == 422, (method, path, "query", status, got)
        if method in ("POST", "PUT", "PATCH"):
            status, _, got = WEB.call(method, path, {"business_id": other}, token=token)
            assert status == 422, (method, path, "body", status, got)


def test_another_business_ids_answer_404_as_ids_that_do_not_exist():
    a, b = sides()["A"], sides()["B"]
    a_user = a["staff"]["id"]
    checked = 0
    for method, pattern, access in routes():
        if "{id}" not in pattern or access == "PUBLIC":
            continue
        checked += 1
        theirs = WEB.call(method, concrete(pattern, {"id": a_user}), body_for(method),
                          token=b["owner"]["token"])
        unknown = WEB.call(method, concrete(pattern), body_for(method), token=b["owner"]["token"])
        assert theirs[0] == unknown[0] == 404, (method, pattern, theirs, unknown)
        assert theirs[2]["detail"] == unknown[2]["detail"], (theirs[2], unknown[2])
    assert checked >= 2, checked
    assert pg_rows(E, "SELECT count(*) FROM users WHERE id = %s AND deleted_at IS NULL", a_user) == [(1,)]


def test_numbers_show_the_sign_up_request_and_owners_request_more():
    owner = signup(WEB, area_code="415")
    token = owner["token"]
    status, _, got = WEB.call("GET", "/api/v1/numbers", token=token)
    assert status == 200, got
    assert [(n["status"], n["area_code"]) for n in got["items"]] == [("pending", "415")], got
    status, _, made = WEB.call("POST", "/api/v1/numbers", {"area_code": "212"}, token=token)
    assert status == 202 and made["status"] == "pending" and made["area_code"] == "212", made
    status, _, anywhere = WEB.call("POST", "/api/v1/numbers", {}, token=token)
    assert status == 202 and anywhere["area_code"] is None, anywhere
    status, _, got = WEB.call("GET", "/api/v1/numbers", token=token)
    assert [n["area_code"] for n in got["items"]] == [None, "212", "415"], got


def test_a_bad_number_request_names_its_field_and_leaves_nothing():
    owner = signup(WEB)
    for body, path in (({"area_code": "123"}, "area_code"), ({"area_code": 415}, "area_code"),
                       ({"area_code": "415", "country": "US"}, "country")):
        status, _, got = WEB.call("POST", "/api/v1/numbers", body, token=owner["token"])
        assert status == 422 and path in [e["path"] for e in got["errors"]], (body, got)
    assert pg_rows(E, "SELECT count(*) FROM number_requests WHERE business_id = %s",
                   owner["business_id"]) == [(1,)]


def test_a_business_sees_only_its_own_numbers_and_staff_cannot_request_one():
    a, b = sides()["A"], sides()["B"]
    WEB.call("POST", "/api/v1/numbers", {"area_code": "303"}, token=a["owner"]["token"])
    status, _, got = WEB.call("POST", "/api/v1/numbers", {"area_code": "303"}, token=b["staff_token"])
    assert status == 403, got
    mine = pg_rows(E, "SELECT id::text FROM number_requests WHERE business_id = %s",
                   b["owner"]["business_id"])
    status, _, got = WEB.call("GET", "/api/v1/numbers", token=b["staff_token"])
    assert status == 200 and {n["id"] for n in got["items"]} == {r[0] for r in mine}, got


def test_a_business_sees_only_its_own_billing_and_checkout_names_no_other():
    a, b = sides()["A"], sides()["B"]
    a_id = a["owner"]["business_id"]
    pg_rows(E, "UPDATE businesses SET stripe_customer_id = %s, billing_state = 'past_due', "
               "past_due_since = now() WHERE id = %s RETURNING id",
            "cus_" + uuid.uuid4().hex[:14], a_id)
    pg_rows(E, "INSERT INTO usage_events (id, business_id, booking_id, occurred_at) "
               "VALUES (%s, %s, %s, now()) RETURNING id", str(uuid.uuid4()), a_id, str(uuid.uuid4()))
    status, _, mine = WEB.call("GET", "/api/v1/billing", token=a["owner"]["token"])
    assert status == 200 and mine["state"] == "past_due" and mine["customer"] is True, mine
    assert mine["bookings_billed"] >= 1, mine
    for token in (b["owner"]["token"], b["staff_token"]):
        status, _, theirs = WEB.call("GET", "/api/v1/billing", token=token)
        assert status == 200, theirs
        assert (theirs["state"], theirs["customer"], theirs["bookings_billed"]) == ("none", False, 0)
        assert theirs["banner"] is None and theirs["grace_ends_at"] is None, theirs
    status, _, got = WEB.call("POST", "/api/v1/billing/checkout", {"business_id": a_id},
                              token=b["owner"]["token"])
    assert status == 422, got
