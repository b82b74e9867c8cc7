"""frontdesk-ctl against real Redis and PostgreSQL: tenant create, user create, numbers
sync, status, webhook keygen/sign/send, and its usage errors."""
import base64
import http.server
import json
import os
import stat
import subprocess
import threading
import time
import uuid
import zlib

import nacl.signing

from harness import (ROOT, _tmpdir, create_tenant, ctl, env, free_port, private_redis,
                     random_number)

VALIDATOR = os.path.join(ROOT, "tests", "schemas", "openapi_subset.py")
SAMPLE_TYPES = [
    "call.initiated", "call.answered", "call.hangup", "call.speak.started", "call.speak.ended",
    "call.transcription", "call.dtmf.received", "call.gather.ended",
    "message.received", "message.sent", "message.finalized",
]


def _owner(e, sql, args=None):
    return e.pg_rows(sql, args)


def _counts(e):
    tables = ("businesses", "ai_agents", "phone_numbers")
    return {t: _owner(e, f"SELECT count(*) FROM {t}")[0][0] for t in tables} | {
        "fd:numbers": e.redis().hlen("fd:numbers")}


def _events_key(bid, suffix="events", shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:{suffix}"


def _keygen(e):
    path = os.path.join(_tmpdir("fd-key-"), "dev.key")
    r = ctl(e, "webhook", "keygen", "--out", path)
    assert r.returncode == 0, r.stderr
    return path, r.stdout.strip()


def _verify(public_b64, timestamp, signature_b64, body):
    key = nacl.signing.VerifyKey(base64.b64decode(public_b64))
    key.verify(timestamp.encode() + b"|" + body, base64.b64decode(signature_b64))


def _parse_signed(stdout):
    lines = stdout.split("\n")
    assert lines[0].startswith("telnyx-timestamp: "), stdout
    assert lines[1].startswith("telnyx-signature-ed25519: "), stdout
    return lines[0].split(": ", 1)[1], lines[1].split(": ", 1)[1], lines[2].encode()


# ---- tenant create -------------------------------------------------------------------

def test_tenant_create_prints_a_uuid_and_stores_business_agent_and_numbers():
    e = env()
    name = "Bella's Salon " + uuid.uuid4().hex[:6]
    numbers = [random_number(), random_number()]
    fallback = random_number()
    r = ctl(e, "tenant", "create", "--name", name, "--number", numbers[0], "--number",
            numbers[1], "--fallback", fallback)
    assert r.returncode == 0, r.stderr
    bid = r.stdout.strip()
    assert r.stdout == bid + "\n" and str(uuid.UUID(bid)) == bid
    assert _owner(e, "SELECT name, fallback_number FROM businesses WHERE id = %s",
                  (bid,)) == [(name, fallback)]
    got = _owner(e, "SELECT number FROM phone_numbers WHERE business_id = %s ORDER BY number", (bid,))
    assert [n for (n,) in got] == sorted(numbers)
    agents = _owner(e, "SELECT version, is_active, config FROM ai_agents WHERE business_id = %s", (bid,))
    assert len(agents) == 1
    version, is_active, config = agents[0]
    assert version == 1 and is_active
    assert config["greeting"] == f"Thank you for calling {name}. How can I help you today?"
    assert config["business_name"] == name
    assert config["timezone"] == "America/New_York"
    assert config["hours"]["mon"] == [{"open": "09:00", "close": "17:00"}]
    assert config["hours"]["fri"] == [{"open": "09:00", "close": "17:00"}]
    assert config["hours"]["sat"] == [] and config["hours"]["sun"] == []
    assert config["voice"] == "Telnyx.KokoroTTS.af" and config["language"] == "en-US"
    red = e.redis()
    for n in numbers:
        assert red.hget("fd:numbers", n) == bid.encode()


def test_a_number_another_business_owns_is_refused_and_nothing_is_created():
    e = env()
    _, (taken,) = create_tenant(e)
    fresh = random_number()
    before = _counts(e)
    r = ctl(e, "tenant", "create", "--name", "Copycat", "--number", fresh, "--number", taken)
    assert r.returncode == 1
    assert taken in r.stderr and "already belongs" in r.stderr, r.stderr
    assert r.stdout == ""
    assert _counts(e) == before
    assert _owner(e, "SELECT count(*) FROM phone_numbers WHERE number = %s", (fresh,)) == [(0,)]
    assert e.redis().hget("fd:numbers", fresh) is None


def test_a_malformed_number_is_refused_and_nothing_is_created():
    e = env()
    before = _counts(e)
    for bad in ("3125550100", "+1 312 555 0100", "+0123456789", "+12"):
        r = ctl(e, "tenant", "create", "--name", "Typo", "--number", bad)
        assert r.returncode == 2, r.stderr
        assert bad in r.stderr and "E.164" in r.stderr, r.stderr
    r = ctl(e, "tenant", "create", "--name", "Typo", "--number", random_number(),
            "--fallback", "555-0100")
    assert r.returncode == 2 and "--fallback" in r.stderr
    assert _counts(e) == before


def test_user_create_gives_a_business_a_login_hashed_with_argon2id():
    e = env()
    bid, _ = create_tenant(e)
    pw = os.path.join(_tmpdir("fd-pw-"), "password")
    with open(pw, "w") as f:
        f.write("demo owner password\n")
    email = f"Owner-{uuid.uuid4().hex[:8]}@Example.com"
    r = ctl(e, "user", "create", "--business", bid, "--email", email, "--password-file", pw,
            "--role", "staff")
    assert r.returncode == 0, r.stderr
    rows = _owner(e, "SELECT id::text, business_id::text, email, role, password_hash FROM users "
                     "WHERE id = %s", (r.stdout.strip(),))
    assert rows[0][1:4] == (bid, email.lower(), "staff")
    assert rows[0][4].startswith("$argon2id$") and "demo owner password" not in rows[0][4]
    again = ctl(e, "user", "create", "--business", bid, "--email", email, "--password-file", pw)
    assert again.returncode == 1 and "already registered" in again.stderr
    nobody = ctl(e, "user", "create", "--business", str(uuid.uuid4()), "--email", "x@example.com",
                 "--password-file", pw)
    assert nobody.returncode == 1 and "no business" in nobody.stderr
    with open(pw, "w") as f:
        f.write("short\n")
    short = ctl(e, "user", "create", "--business", bid, "--email", "y@example.com", "--password-file", pw)
    assert short.returncode == 2 and "at least 10 bytes" in short.stderr
    assert _owner(e, "SELECT count(*) FROM users WHERE business_id = %s", (bid,)) == [(1,)]


def test_tenant_create_with_redis_down_creates_nothing():
    e = env()
    before = _counts(e)
    r = ctl(e, "tenant", "create", "--name", "No Redis", "--number", random_number(),
            extra_env={"FRONTDESK_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    assert r.returncode == 1
    assert "Redis" in r.stderr and "nothing created" in r.stderr, r.stderr
    assert _counts(e) == before


def test_redis_failing_after_the_commit_says_to_run_numbers_sync():
    e = env()
    svc = private_redis()
    red = svc.redis()
    red.execute_command("ACL", "SETUSER", "default", "-hset")     # connects, but HSET fails
    number = random_number()
    r = ctl(e, "tenant", "create", "--name", "Half Done", "--number", number,
            extra_env={"FRONTDESK_REDIS_URL": svc.redis_url})
    assert r.returncode == 1
    assert "numbers sync" in r.stderr, r.stderr
    bid = r.stdout.strip()
    assert _owner(e, "SELECT business_id::text FROM phone_numbers WHERE number = %s",
                  (number,)) == [(bid,)]
    red.execute_command("ACL", "SETUSER", "default", "+hset")
    r = ctl(e, "numbers", "sync", extra_env={"FRONTDESK_REDIS_URL": svc.redis_url})
    assert r.returncode == 0, r.stderr
    assert red.hget("fd:numbers", number) == bid.encode()


# ---- numbers sync --------------------------------------------------------------------

def _pg_numbers(e):
    return {n: str(b) for n, b in _owner(e, "SELECT number, business_id FROM phone_numbers")}


def test_numbers_sync_rebuilds_a_deleted_table():
    e = env()
    create_tenant(e)
    red = e.redis()
    red.delete("fd:numbers")
    r = ctl(e, "numbers", "sync")
    assert r.returncode == 0, r.stderr
    want = _pg_numbers(e)
    got = {k.decode(): v.decode() for k, v in red.hgetall("fd:numbers").items()}
    assert got == want
    assert f"synced {len(want)} number" in r.stdout
    assert red.ttl("fd:numbers") == -1
    assert not list(red.scan_iter("fd:numbers:rebuild:*"))


def test_numbers_sync_replaces_a_corrupted_table():
    e = env()
    bid, (number,) = create_tenant(e)
    red = e.redis()
    red.hset("fd:numbers", mapping={number: "not-a-business", "+19995550000": str(uuid.uuid4())})
    r = ctl(e, "numbers", "sync")
    assert r.returncode == 0, r.stderr
    assert red.hget("fd:numbers", number) == bid.encode()
    assert red.hget("fd:numbers", "+19995550000") is None
    assert {k.decode(): v.decode() for k, v in red.hgetall("fd:numbers").items()} == _pg_numbers(e)


# ---- status --------------------------------------------------------------------------

def _status_rows(e):
    r = ctl(e, "status")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.rstrip("\n").split("\n")
    assert lines[0].split() == ["BUSINESS", "NAME", "EVENTS", "UNDELIVERED", "PENDING",
                                "OLDEST_WAIT", "DEAD", "OUTBOX", "OWNER"]
    rows = {}
    for line in lines[1:]:
        f = line.split()
        rows[f[0]] = f[-7:-2]       # OUTBOX and OWNER: test_ctl_operations.py
    return rows


def test_status_shows_backlog_pending_age_and_dead_letters_per_tenant():
    e = env()
    bid, _ = create_tenant(e, name="Status Dental")
    red = e.redis()
    key = _events_key(bid)
    ids = [red.xadd(key, {"type": "call.initiated", "eid": str(i)}) for i in range(5)]
    red.xgroup_create(key, "workers", id="0")
    red.xreadgroup("workers", "w1", {key: ">"}, count=2)        # 2 pending, 3 undelivered
    red.xadd(_events_key(bid, "dead"), {"eid": "x", "error": "boom"})
    orphan = str(uuid.uuid4())                                   # in Redis, not in PostgreSQL
    red.xadd(_events_key(orphan), {"type": "call.hangup"})
    red.xadd(_events_key(orphan), {"type": "call.hangup"})
    idle, _ = create_tenant(e)
    time.sleep(0.3)

    rows = _status_rows(e)
    events, undelivered, pending, oldest, dead = rows[bid]
    assert (events, undelivered, pending, dead) == ("5", "3", "2", "1")
    assert oldest.endswith("s") and float(oldest[:-1]) >= 0.2
    assert rows[orphan][0:3] == ["2", "2", "0"] and rows[orphan][4] == "0"
    assert rows[idle] == ["0", "0", "0", "-", "0"]

    r = ctl(e, "status", "--json")
    assert r.returncode == 0, r.stderr
    by_id = {t["business_id"]: t for t in json.loads(r.stdout)}
    t = by_id[bid]
    assert (t["name"], t["events"], t["undelivered"], t["pending"], t["dead"]) == \
        ("Status Dental", 5, 3, 2, 1)
    first_ms = int(ids[0].decode().split("-")[0])
    assert 200 <= t["oldest_wait_ms"] <= int(time.time() * 1000) - first_ms + 1000
    assert by_id[orphan]["name"] is None and by_id[idle]["oldest_wait_ms"] is None


def test_status_ages_the_first_undelivered_entry_when_nothing_is_pending():
    e = env()
    bid, _ = create_tenant(e)
    red = e.redis()
    key = _events_key(bid)
    for i in range(3):
        red.xadd(key, {"type": "call.initiated", "eid": str(i)})
    red.xgroup_create(key, "workers", id="0")
    entries = red.xreadgroup("workers", "w1", {key: ">"}, count=1)
    red.xack(key, "workers", entries[0][1][0][0])
    time.sleep(0.2)
    r = ctl(e, "status", "--json")
    t = {x["business_id"]: x for x in json.loads(r.stdout)}[bid]
    assert (t["events"], t["undelivered"], t["pending"]) == (3, 2, 0)
    assert t["oldest_wait_ms"] >= 150


# ---- webhook keygen / sign / send ----------------------------------------------------

def test_keygen_writes_a_private_key_file_and_prints_the_public_key():
    e = env()
    path, public = _keygen(e)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as f:
        assert len(base64.b64decode(f.read().strip())) == 64
    assert len(base64.b64decode(public)) == 32
    again = ctl(e, "webhook", "keygen", "--out", path)
    assert again.returncode == 1 and "--force" in again.stderr


def test_signed_samples_verify_with_the_public_key_and_validate_against_the_spec():
    e = env()
    path, public = _keygen(e)
    folder = _tmpdir("fd-sample-")
    to, frm = random_number(), random_number()
    for event_type in SAMPLE_TYPES:
        r = ctl(e, "webhook", "sign", "--key", path, "--type", event_type, "--to", to,
                "--from", frm, "--client-state", "ZmQxOnRlc3Q=")
        assert r.returncode == 0, r.stderr
        ts, sig, body = _parse_signed(r.stdout)
        _verify(public, ts, sig, body)
        assert abs(int(ts) - time.time()) < 60
        doc = json.loads(body)
        assert doc["data"]["event_type"] == event_type
        uuid.UUID(doc["data"]["id"])
        file = os.path.join(folder, event_type + ".json")
        with open(file, "wb") as f:
            f.write(body)
        v = subprocess.run(["/usr/bin/python3", VALIDATOR, event_type, file],
                           capture_output=True, text=True)
        assert v.returncode == 0, f"{event_type}: {v.stdout}{v.stderr}"
        payload = doc["data"]["payload"]
        if event_type.startswith("message."):
            assert payload["from"]["phone_number"] == frm
            assert payload["to"][0]["phone_number"] == to
        elif "from" in payload:
            assert (payload["from"], payload["to"]) == (frm, to)
        if event_type.startswith("call."):
            assert payload["client_state"] == "ZmQxOnRlc3Q="


def test_sign_uses_given_id_timestamp_and_the_env_key_file():
    e = env()     # the harness's key file holds a 32-byte seed (PyNaCl's bytes(SigningKey))
    r = ctl(e, "webhook", "sign", "--type", "call.hangup", "--id", "evt-1",
            "--timestamp", "1764324000", extra_env={"FRONTDESK_DEV_SIGNING_KEY_FILE": e.key_file})
    assert r.returncode == 0, r.stderr
    ts, sig, body = _parse_signed(r.stdout)
    assert ts == "1764324000"
    _verify(e.public_key_b64, ts, sig, body)
    assert json.loads(body)["data"]["id"] == "evt-1"


def test_sign_body_file_signs_its_bytes_exactly():
    e = env()
    path, public = _keygen(e)
    body_file = os.path.join(_tmpdir("fd-body-"), "body.json")
    raw = b'{"data":{"id":"x1","event_type":"call.bridged","payload":{}}}'
    with open(body_file, "wb") as f:
        f.write(raw)
    r = ctl(e, "webhook", "sign", "--key", path, "--body-file", body_file)
    assert r.returncode == 0, r.stderr
    ts, sig, body = _parse_signed(r.stdout)
    assert body == raw
    _verify(public, ts, sig, raw)


def test_sign_count_writes_lines_with_unique_ids_that_verify():
    e = env()
    path, public = _keygen(e)
    out = os.path.join(_tmpdir("fd-many-"), "signed.tsv")
    r = ctl(e, "webhook", "sign", "--key", path, "--count", "50", "--type", "message.received",
            "--out", out)
    assert r.returncode == 0, r.stderr
    with open(out, "rb") as f:
        lines = f.read().splitlines()
    assert len(lines) == 50
    ids = set()
    for line in lines:
        ts, sig, body = line.split(b"\t")
        _verify(public, ts.decode(), sig.decode(), body)
        ids.add(json.loads(body)["data"]["id"])
    assert len(ids) == 50


class _Recorder(http.server.BaseHTTPRequestHandler):
    status = 200
    seen = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Recorder.seen.append((dict(self.headers), body))
        reply = b'{"ok":true}' if _Recorder.status < 300 else b'{"error":"nope"}'
        self.send_response(_Recorder.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def test_send_posts_a_signed_webhook_and_exits_zero_only_on_2xx():
    e = env()
    path, public = _keygen(e)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/telnyx"
    try:
        _Recorder.status, _Recorder.seen = 200, []
        r = ctl(e, "webhook", "send", "--url", url, "--key", path, "--type", "call.answered")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("HTTP 200\n") and '{"ok":true}' in r.stdout
        headers, body = _Recorder.seen[0]
        lower = {k.lower(): v for k, v in headers.items()}
        assert lower["content-type"] == "application/json"
        _verify(public, lower["telnyx-timestamp"], lower["telnyx-signature-ed25519"], body)
        assert json.loads(body)["data"]["event_type"] == "call.answered"

        _Recorder.status = 503
        r = ctl(e, "webhook", "send", "--url", url, "--key", path)
        assert r.returncode == 1
        assert r.stdout.startswith("HTTP 503\n")
    finally:
        server.shutdown()
        server.server_close()
    r = ctl(e, "webhook", "send", "--url", f"http://127.0.0.1:{free_port()}/", "--key", path)
    assert r.returncode == 1 and "failed" in r.stderr


# ---- usage ---------------------------------------------------------------------------

def test_usage_errors_exit_2_with_a_message_on_stderr():
    e = env()
    cases = [
        (),
        ("frobnicate",),
        ("migrate", "--now"),
        ("tenant",),
        ("tenant", "create", "--number", "+13125550100"),
        ("tenant", "create", "--name", "No numbers"),
        ("tenant", "create", "--name"),
        ("tenant", "create", "--name", "X", "--number", "+13125550100", "--colour", "red"),
        ("numbers",),
        ("numbers", "sync", "--all"),
        ("numbers", "add", "--number", "+13125550100"),
        ("numbers", "remove", "--business", "not-a-uuid", "--number", "+13125550100"),
        ("tenant", "list", "--yaml"),
        ("tenant", "show"),
        ("tenant", "resume", "--business"),
        ("status", "--yaml"),
        ("webhook",),
        ("webhook", "keygen"),
        ("webhook", "sign", "--type", "call.initiated"),
        ("webhook", "sign", "--key", "/nonexistent", "--count", "0", "--out", "/tmp/x"),
        ("webhook", "sign", "--key", "/nonexistent", "--count", "5"),
        ("webhook", "sign", "--key", "/nonexistent", "--timestamp", "soon"),
        ("webhook", "send", "--key", "/nonexistent"),
    ]
    for args in cases:
        r = ctl(e, *args, extra_env={"FRONTDESK_DEV_SIGNING_KEY_FILE": ""})
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert r.stderr.strip() != "", args
        assert r.stdout == "", (args, r.stdout)


def test_help_prints_usage_on_stdout():
    e = env()
    r = ctl(e, "help")
    assert r.returncode == 0
    for word in ("migrate", "tenant create", "tenant list", "tenant show", "tenant suspend",
                 "tenant resume", "numbers sync", "numbers add", "numbers remove", "status",
                 "webhook sign"):
        assert word in r.stdout


def test_a_bad_key_file_or_config_is_a_clear_failure():
    e = env()
    bad = os.path.join(_tmpdir("fd-badkey-"), "bad.key")
    with open(bad, "w") as f:
        f.write("not base64 at all\n")
    r = ctl(e, "webhook", "sign", "--key", bad)
    assert r.returncode == 1 and "64-byte" in r.stderr
    r = ctl(e, "status", extra_env={"FRONTDESK_SHARDS": "0"})
    assert r.returncode == 2 and "FRONTDESK_SHARDS" in r.stderr
