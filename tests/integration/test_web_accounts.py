"""frontdesk-web's accounts against the real binary, Redis and PostgreSQL: sign-up,
login, sessions (Bearer and cookie, CSRF, idle and absolute expiry, revocation),
roles, rate limits, and the isolation of one business's users from another's."""
import base64
import hashlib
import os
import signal
import statistics
import subprocess
import threading
import time
import uuid

from harness import BIN, env, pg_rows
from webhelp import Web, add_user, fresh_address, login, new_email, signup

E = env()
WEB = Web(E)
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def token_hash(token):
    return hashlib.sha256(base64.urlsafe_b64decode(token + "=")).digest()


def pg_exec(sql, *args):
    conn = E.pg()
    try:
        conn.cursor().execute(sql, args)
    finally:
        conn.close()


def is_problem(headers, body, status):
    return (headers.get("content-type") == "application/problem+json"
            and PROBLEM_KEYS <= set(body) and body["status"] == status)


# ---- sign-up ----

def test_signup_creates_the_business_its_owner_receptionist_number_request_and_session():
    got = signup(WEB, timezone="America/Chicago", area_code="312")
    bid, uid = got["business_id"], got["user_id"]
    assert len(got["token"]) == 43 and len(got["csrf_token"]) == 43
    cookie = got["cookie_header"]
    assert cookie.startswith("fd_session=" + got["token"] + ";")
    for flag in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie, cookie
    assert "Secure" not in cookie          # the public URL is http here
    assert pg_rows(E, "SELECT timezone FROM businesses WHERE id = %s", bid) == [("America/Chicago",)]
    assert pg_rows(E, "SELECT id::text, role FROM users WHERE business_id = %s", bid) == [(uid, "owner")]
    agents = pg_rows(E, "SELECT version, is_active, config->>'timezone' FROM ai_agents "
                        "WHERE business_id = %s", bid)
    assert agents == [(1, True, "America/Chicago")]
    assert pg_rows(E, "SELECT area_code, status FROM number_requests WHERE business_id = %s",
                   bid) == [("312", "pending")]
    sessions = pg_rows(E, "SELECT token_hash, user_id::text FROM sessions WHERE business_id = %s", bid)
    assert [(bytes(h), u) for h, u in sessions] == [(token_hash(got["token"]), uid)]
    status, _, me = WEB.call("GET", "/api/v1/me", token=got["token"])
    assert status == 200 and me["business"]["id"] == bid and me["role"] == "owner"


def test_passwords_are_stored_only_as_argon2id_hashes():
    got = signup(WEB, password="my secret password 42")
    rows = pg_rows(E, "SELECT password_hash FROM users WHERE id = %s", got["user_id"])
    assert rows[0][0].startswith("$argon2id$")
    assert "my secret password 42" not in rows[0][0]


def test_an_email_already_registered_is_409_and_nothing_is_created():
    first = signup(WEB)
    before = pg_rows(E, "SELECT (SELECT count(*) FROM businesses), (SELECT count(*) FROM users), "
                        "(SELECT count(*) FROM number_requests), (SELECT count(*) FROM ai_agents)")
    for email in (first["email"], first["email"].upper()):
        status, headers, body = WEB.call("POST", "/api/v1/signup",
                                         {"business_name": "Copycat", "email": email,
                                          "password": "another password"}, source=fresh_address())
        assert status == 409 and is_problem(headers, body, 409), body
    after = pg_rows(E, "SELECT (SELECT count(*) FROM businesses), (SELECT count(*) FROM users), "
                       "(SELECT count(*) FROM number_requests), (SELECT count(*) FROM ai_agents)")
    assert after == before


def test_signup_validation_names_every_wrong_field():
    status, headers, body = WEB.call("POST", "/api/v1/signup", {
        "business_name": "", "email": "not-an-address", "password": "short",
        "timezone": "Mars/Base", "area_code": "012", "plan": "gold"}, source=fresh_address())
    assert status == 422 and is_problem(headers, body, 422)
    paths = {e["path"] for e in body["errors"]}
    assert paths == {"business_name", "email", "password", "area_code", "plan"}, body["errors"]
    status, _, body = WEB.call("POST", "/api/v1/signup", {
        "business_name": "Good", "email": new_email(), "password": "long enough!",
        "timezone": "Mars/Base"}, source=fresh_address())
    assert status == 422 and [e["path"] for e in body["errors"]] == ["timezone"]


def test_business_id_in_a_body_or_query_is_refused_and_nothing_is_created():
    email = new_email()
    status, headers, body = WEB.call("POST", "/api/v1/signup", {
        "business_name": "Sneaky", "email": email, "password": "a long password",
        "business_id": str(uuid.uuid4())}, source=fresh_address())
    assert status == 422 and body["errors"][0]["path"] == "business_id"
    assert pg_rows(E, "SELECT count(*) FROM users WHERE email = %s", email) == [(0,)]
    owner = signup(WEB)
    status, _, body = WEB.call("POST", "/api/v1/users", {
        "email": new_email(), "password": "a long password", "role": "staff",
        "extra": [{"business_id": owner["business_id"]}]}, token=owner["token"])
    assert status == 422 and body["errors"][0]["path"] == "extra[0].business_id"
    status, _, body = WEB.call("GET", "/api/v1/users?business_id=" + owner["business_id"],
                               token=owner["token"])
    assert status == 422 and body["errors"][0]["path"] == "business_id"


# ---- login and sessions ----

def test_login_gives_a_token_the_user_the_business_and_the_cookie():
    owner = signup(WEB, timezone="Europe/Paris")
    status, headers, body = login(WEB, owner["email"].upper(), owner["password"])
    assert status == 200, body
    assert body["user"]["id"] == owner["user_id"] and body["user"]["role"] == "owner"
    assert body["business"] == {"id": owner["business_id"], "name": body["business"]["name"],
                                "timezone": "Europe/Paris"}
    assert body["user"]["created_at"].endswith(("+01:00", "+02:00"))   # the business's zone
    assert headers["set-cookie"].startswith("fd_session=" + body["token"] + ";")
    assert body["token"] != owner["token"]


def test_a_wrong_password_and_an_unknown_email_answer_alike_in_about_the_same_time():
    owners = [signup(WEB), signup(WEB)]     # four failures each: a fifth would lock one out
    source = fresh_address()

    def timed(email):
        start = time.monotonic()
        status, _, body = login(WEB, email, "wrong password!", source=source)
        return status, body, time.monotonic() - start

    # taken in turns, so a burst of load on a busy machine falls on both alike
    wrong, unknown = [], []
    for owner in owners * 4:
        wrong.append(timed(owner["email"]))
        unknown.append(timed(new_email("nobody")))
    assert {(s, str(b)) for s, b, _ in wrong + unknown} == {(401, str(wrong[0][1]))}
    a = statistics.median(t for _, _, t in wrong)
    b = statistics.median(t for _, _, t in unknown)
    assert 0.5 < a / b < 2.0, (a, b)


def test_logout_ends_the_session_at_once():
    owner = signup(WEB)
    status, headers, _ = WEB.call("POST", "/api/v1/logout", token=owner["token"])
    assert status == 204 and "Max-Age=0" in headers["set-cookie"]
    status, headers, body = WEB.call("GET", "/api/v1/me", token=owner["token"])
    assert status == 401 and is_problem(headers, body, 401)


def test_a_password_change_ends_every_other_session_of_the_user():
    owner = signup(WEB)
    other = login(WEB, owner["email"], owner["password"])[2]["token"]
    status, _, body = WEB.call("POST", "/api/v1/me/password",
                               {"current_password": "not it at all", "new_password": "brand new pass"},
                               token=owner["token"])
    assert status == 422 and body["errors"][0]["path"] == "current_password"
    status, _, _ = WEB.call("POST", "/api/v1/me/password",
                            {"current_password": owner["password"], "new_password": "brand new pass"},
                            token=owner["token"])
    assert status == 204
    assert WEB.call("GET", "/api/v1/me", token=other)[0] == 401
    assert WEB.call("GET", "/api/v1/me", token=owner["token"])[0] == 200
    assert login(WEB, owner["email"], owner["password"])[0] == 401
    assert login(WEB, owner["email"], "brand new pass")[0] == 200


def test_a_session_idle_longer_than_its_limit_ends():
    web = Web(E, FRONTDESK_SESSION_IDLE_S=2, FRONTDESK_SESSION_MAX_S=60)
    try:
        owner = signup(web)
        for _ in range(3):                  # in use: it lives on past the idle limit
            time.sleep(1)
            assert web.call("GET", "/api/v1/me", token=owner["token"])[0] == 200
        time.sleep(3)
        assert web.call("GET", "/api/v1/me", token=owner["token"])[0] == 401
    finally:
        assert web.stop() == 0


def test_a_session_ends_at_its_absolute_limit_even_in_use():
    web = Web(E, FRONTDESK_SESSION_IDLE_S=60, FRONTDESK_SESSION_MAX_S=3)
    try:
        owner = signup(web)
        assert "Max-Age=3;" in owner["cookie_header"]
        assert web.call("GET", "/api/v1/me", token=owner["token"])[0] == 200
        deadline = time.monotonic() + 10
        while web.call("GET", "/api/v1/me", token=owner["token"])[0] == 200:
            assert time.monotonic() < deadline, "the session outlived its absolute limit"
            time.sleep(0.5)
    finally:
        assert web.stop() == 0


def test_the_cookie_is_secure_when_the_public_url_is_https():
    web = Web(E, FRONTDESK_PUBLIC_URL="https://app.example.com")
    try:
        owner = signup(web)
        assert owner["cookie_header"].endswith("; Secure"), owner["cookie_header"]
        status, headers, _ = web.call("POST", "/api/v1/logout", token=owner["token"])
        assert status == 204 and headers["set-cookie"].endswith("; Secure")
    finally:
        assert web.stop() == 0


def test_a_cookie_write_needs_the_csrf_header_but_a_cookie_read_does_not():
    owner = signup(WEB)
    status, _, me = WEB.call("GET", "/api/v1/me", cookie=owner["token"])
    assert status == 200 and me["csrf_token"] == owner["csrf_token"]
    status, headers, body = WEB.call("POST", "/api/v1/logout", cookie=owner["token"])
    assert status == 403 and is_problem(headers, body, 403) and "CSRF" in body["detail"]
    status, _, _ = WEB.call("POST", "/api/v1/logout", cookie=owner["token"], csrf="x" * 43)
    assert status == 403
    assert WEB.call("GET", "/api/v1/me", token=owner["token"])[0] == 200   # still signed in
    status, _, _ = WEB.call("POST", "/api/v1/logout", cookie=owner["token"], csrf=owner["csrf_token"])
    assert status == 204


def test_no_forged_expired_or_revoked_token_gets_in():
    owner = signup(WEB)
    forged = base64.urlsafe_b64encode(bytes(32)).decode().rstrip("=")
    revoked = login(WEB, owner["email"], owner["password"])[2]["token"]
    assert WEB.call("POST", "/api/v1/logout", token=revoked)[0] == 204
    expired = login(WEB, owner["email"], owner["password"])[2]["token"]
    pg_exec("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = %s",
            token_hash(expired))
    for token in (None, "", "not-a-token", owner["token"][:-1], forged, revoked, expired):
        status, headers, body = WEB.call("GET", "/api/v1/me", token=token)
        assert status == 401 and is_problem(headers, body, 401), (token, status, body)
        assert headers["www-authenticate"].startswith("Bearer")
    assert WEB.call("GET", "/api/v1/me", cookie="garbage")[0] == 401
    assert WEB.call("GET", "/api/v1/me", token=owner["token"])[0] == 200


# ---- roles and users ----

def test_staff_read_but_get_403_on_owner_routes():
    owner = signup(WEB)
    staff, email, password = add_user(WEB, owner["token"], role="staff")
    token = login(WEB, email, password)[2]["token"]
    status, _, users = WEB.call("GET", "/api/v1/users", token=token)
    assert status == 200 and {u["id"] for u in users["items"]} == {owner["user_id"], staff["id"]}
    attempts = [("POST", "/api/v1/users", {"email": new_email(), "password": "long password", "role": "staff"}),
                ("DELETE", "/api/v1/users/" + owner["user_id"], None)]
    for method, path, body in attempts:
        status, headers, got = WEB.call(method, path, body, token=token)
        assert status == 403 and is_problem(headers, got, 403), (method, path, got)
    assert pg_rows(E, "SELECT count(*) FROM users WHERE business_id = %s AND deleted_at IS NULL",
                   owner["business_id"]) == [(2,)]


def test_a_deleted_user_is_signed_out_and_cannot_log_in_and_its_email_is_free_again():
    owner = signup(WEB)
    staff, email, password = add_user(WEB, owner["token"])
    token = login(WEB, email, password)[2]["token"]
    assert WEB.call("DELETE", "/api/v1/users/" + staff["id"], token=owner["token"])[0] == 204
    assert WEB.call("GET", "/api/v1/me", token=token)[0] == 401
    assert login(WEB, email, password)[0] == 401
    assert WEB.call("DELETE", "/api/v1/users/" + staff["id"], token=owner["token"])[0] == 404
    assert WEB.call("DELETE", "/api/v1/users/" + owner["user_id"], token=owner["token"])[0] == 409
    status, _, again = WEB.call("POST", "/api/v1/users", {"email": email, "password": "x" * 12,
                                                           "role": "owner"}, token=owner["token"])
    assert status == 201 and again["role"] == "owner" and again["id"] != staff["id"]


def test_an_owner_changes_a_user_s_role_which_holds_from_the_user_s_next_request():
    owner = signup(WEB)
    staff, email, password = add_user(WEB, owner["token"], role="staff")
    token = login(WEB, email, password)[2]["token"]
    new_user = {"email": new_email(), "password": "long password", "role": "staff"}
    assert WEB.call("POST", "/api/v1/users", new_user, token=token)[0] == 403
    status, _, changed = WEB.call("PATCH", "/api/v1/users/" + staff["id"], {"role": "owner"}, token=owner["token"])
    assert status == 200 and (changed["id"], changed["role"], changed["email"]) == (staff["id"], "owner", email)
    assert WEB.call("GET", "/api/v1/me", token=token)[2]["role"] == "owner"       # same session
    assert WEB.call("POST", "/api/v1/users", new_user, token=token)[0] == 201
    status, _, body = WEB.call("PATCH", "/api/v1/users/" + staff["id"], {"role": "boss"}, token=owner["token"])
    assert status == 422 and [e["path"] for e in body["errors"]] == ["role"], body
    status, _, body = WEB.call("PATCH", "/api/v1/users/" + staff["id"], {"role": "staff", "email": "x@y.z"},
                               token=owner["token"])
    assert status == 422 and [e["path"] for e in body["errors"]] == ["email"], body
    status, _, body = WEB.call("PATCH", "/api/v1/users/" + owner["user_id"], {"role": "staff"}, token=owner["token"])
    assert status == 409 and "your own role" in body["detail"], body
    assert pg_rows(E, "SELECT role FROM users WHERE id = %s", owner["user_id"]) == [("owner",)]
    assert pg_rows(E, "SELECT role FROM users WHERE id = %s", staff["id"]) == [("owner",)]


def test_users_of_another_business_cannot_have_their_role_changed():
    a = signup(WEB)
    b = signup(WEB)
    a_staff, _, _ = add_user(WEB, a["token"], role="staff")
    for victim in (a["user_id"], a_staff["id"]):
        status, headers, body = WEB.call("PATCH", "/api/v1/users/" + victim, {"role": "owner"}, token=b["token"])
        assert status == 404 and is_problem(headers, body, 404)
    missing = WEB.call("PATCH", "/api/v1/users/" + str(uuid.uuid4()), {"role": "owner"}, token=b["token"])
    assert missing[0] == 404 and missing[2] == body
    assert pg_rows(E, "SELECT role FROM users WHERE id = %s", a_staff["id"]) == [("staff",)]


def test_users_of_one_business_are_never_seen_or_deleted_by_another():
    a = signup(WEB)
    b = signup(WEB)
    a_staff, _, _ = add_user(WEB, a["token"])
    _, _, b_users = WEB.call("GET", "/api/v1/users", token=b["token"])
    assert [u["id"] for u in b_users["items"]] == [b["user_id"]]
    _, _, a_users = WEB.call("GET", "/api/v1/users", token=a["token"])
    assert {u["id"] for u in a_users["items"]} == {a["user_id"], a_staff["id"]}
    for victim in (a["user_id"], a_staff["id"]):
        status, headers, body = WEB.call("DELETE", "/api/v1/users/" + victim, token=b["token"])
        assert status == 404 and is_problem(headers, body, 404)
    missing = WEB.call("DELETE", "/api/v1/users/" + str(uuid.uuid4()), token=b["token"])
    assert missing[0] == 404 and missing[2] == body     # exactly as an id that does not exist
    assert pg_rows(E, "SELECT count(*) FROM users WHERE business_id = %s AND deleted_at IS NULL",
                   a["business_id"]) == [(2,)]


def test_the_app_role_reaches_other_businesses_accounts_only_through_the_lookups():
    a = signup(WEB)
    conn = E.pg()
    try:
        cur = conn.cursor()
        cur.execute("SET ROLE frontdesk_app")
        cur.execute("SELECT count(*) FROM users WHERE id = %s", (a["user_id"],))
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT count(*) FROM sessions")
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT business_id::text FROM auth_user_by_email(%s)", (a["email"],))
        assert cur.fetchall() == [(a["business_id"],)]
        cur.execute("SELECT business_id::text FROM auth_session(%s)", (token_hash(a["token"]),))
        assert cur.fetchall() == [(a["business_id"],)]
    finally:
        conn.close()


# ---- rate limits ----

def test_five_failed_logins_lock_the_email_out_with_429_and_retry_after():
    owner = signup(WEB)
    source = fresh_address()
    for _ in range(5):
        assert login(WEB, owner["email"], "wrong password!", source=source)[0] == 401
    status, headers, body = login(WEB, owner["email"], owner["password"], source=source)
    assert status == 429 and is_problem(headers, body, 429)
    assert 800 < int(headers["retry-after"]) <= 900
    other = signup(WEB)
    assert login(WEB, other["email"], other["password"], source=source)[0] == 200
    assert WEB.call("GET", "/api/v1/me", token=owner["token"])[0] == 200   # sessions live on


def test_thirty_attempts_a_minute_from_one_address_then_429():
    source = fresh_address()
    statuses = [WEB.call("POST", "/api/v1/login", {"email": "x@example.com"}, source=source)[0]
                for _ in range(30)]
    assert statuses == [422] * 30
    status, headers, body = WEB.call("POST", "/api/v1/signup", {}, source=source)
    assert status == 429 and is_problem(headers, body, 429)
    assert 0 < int(headers["retry-after"]) <= 60
    assert WEB.call("POST", "/api/v1/signup", {}, source=fresh_address())[0] == 422


# ---- the service ----

def test_hashing_logins_do_not_hold_up_other_requests():
    owner = signup(WEB)
    slow = []

    def log_in():
        start = time.monotonic()
        login(WEB, owner["email"], owner["password"])
        slow.append(time.monotonic() - start)

    threads = [threading.Thread(target=log_in) for _ in range(6)]
    for t in threads:
        t.start()
    fast = []
    while any(t.is_alive() for t in threads):
        start = time.monotonic()
        assert WEB.call("GET", "/api/v1/me", token=owner["token"])[0] == 200
        fast.append(time.monotonic() - start)
    for t in threads:
        t.join()
    assert fast and max(slow) > 2 * statistics.median(fast), (slow, fast)
    assert statistics.median(fast) < 0.25, fast


def test_errors_are_problem_documents():
    owner = signup(WEB)
    cases = [("GET", "/api/v1/nothing", None, {}, 404),
             ("PUT", "/api/v1/users", None, {}, 405),
             ("POST", "/api/v1/users", b"{not json", {"Content-Type": "application/json"}, 400),
             ("POST", "/api/v1/users", b"[1]", {"Content-Type": "application/json"}, 422),
             ("POST", "/api/v1/users", b"email=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
             ("POST", "/api/v1/users", b" " * (17 * 1024), {"Content-Type": "application/json"}, 413)]
    for method, path, raw, headers, expected in cases:
        status, got_headers, body = WEB.call(method, path, raw=raw, headers=headers, token=owner["token"])
        assert status == expected and is_problem(got_headers, body, expected), (path, status, body)
    assert WEB.call("PUT", "/api/v1/users", token=owner["token"])[1]["allow"] == "GET, POST"


def test_metrics_count_requests_logins_signups_401s_and_429s():
    before = {name: WEB.metric(name) for name in ("frontdesk_web_signups_total",
                                                  "frontdesk_web_unauthorized_total")}
    ok_before = WEB.metric("frontdesk_web_logins_total", result="ok")
    failed_before = WEB.metric("frontdesk_web_logins_total", result="failed")
    owner = signup(WEB)
    login(WEB, owner["email"], owner["password"])
    login(WEB, owner["email"], "wrong password!")
    WEB.call("GET", "/api/v1/me")
    assert WEB.metric("frontdesk_web_signups_total") == before["frontdesk_web_signups_total"] + 1
    assert WEB.metric("frontdesk_web_logins_total", result="ok") == ok_before + 1
    assert WEB.metric("frontdesk_web_logins_total", result="failed") == failed_before + 1
    assert WEB.metric("frontdesk_web_unauthorized_total") == before["frontdesk_web_unauthorized_total"] + 2
    assert WEB.metric("frontdesk_web_rate_limited_total") >= 1     # the limits' tests ran first
    assert WEB.metric("frontdesk_web_requests_total", route="POST /api/v1/signup", status="201") >= 1
    _, _, text = WEB.call("GET", "/metrics")
    assert 'frontdesk_web_request_duration_seconds_bucket{route="GET /api/v1/me",le="+Inf"}' in text


def test_readyz_says_ready_and_sigterm_drains_and_exits_zero():
    web = Web(E)
    status, _, body = web.call("GET", "/readyz")
    deadline = time.monotonic() + 10
    while status != 200 and time.monotonic() < deadline:   # the PostgreSQL probe's first round
        time.sleep(0.2)
        status, _, body = web.call("GET", "/readyz")
    assert status == 200 and body == {"redis": "up", "postgres": "up", "draining": False,
                                      "billing": "off"}
    assert web.stop(signal.SIGTERM) == 0


def test_a_malformed_variable_stops_the_service_with_status_2_naming_it():
    for name, value in (("FRONTDESK_SESSION_IDLE_S", "a day"), ("FRONTDESK_PUBLIC_URL", "ftp://x"),
                        ("FRONTDESK_WEB_LISTEN", "8081"), ("FRONTDESK_TELNYX_CONNECTION_ID", "a b"),
                        ("FRONTDESK_STRIPE_SECRET_KEY", "pk_test_public"),
                        ("FRONTDESK_STRIPE_API_URL", "api.stripe.com")):
        r = subprocess.run([os.path.join(BIN, "frontdesk-web")], env=E.base_env(**{name: value}),
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and name + ":" in r.stderr, (name, r.returncode, r.stderr)


def test_the_service_stops_cleanly():
    assert WEB.stop() == 0
