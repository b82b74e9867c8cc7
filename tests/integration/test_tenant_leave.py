"""A business that leaves, with frontdesk-ctl against real Redis and PostgreSQL: `tenant
export` prints every row of it and nothing of another; `tenant delete` leaves no row and
no key of it and touches none of another's."""
import json
import os
import re
import uuid
import zlib

from harness import ROOT, _tmpdir, create_tenant, ctl, env

E = env()
SOURCE = os.path.join(ROOT, "ops", "ctl", "tenant_leave.c")
# Kept out of the export on purpose: session token hashes are secrets of no use elsewhere.
NOT_EXPORTED = {"sessions"}


def prefix(bid, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:"


def tables_with_business_rows():
    rows = E.pg_rows("SELECT DISTINCT table_name FROM information_schema.columns "
                     "WHERE table_schema = 'public' AND column_name = 'business_id'")
    return {r[0] for r in rows} | {"businesses"}


def business_rows(bid):
    """table -> how many rows of the business it holds (as the owner, which sees all)."""
    out = {}
    for t in sorted(tables_with_business_rows()):
        column = "id" if t == "businesses" else "business_id"
        out[t] = E.pg_rows(f"SELECT count(*) FROM {t} WHERE {column} = %s", (bid,))[0][0]
    return out


def redis_footprint(bid):
    r = E.redis()
    keys = sorted(k.decode() for k in r.scan_iter(match=prefix(bid) + "*", count=1000))
    numbers = sorted(n.decode() for n, v in r.hgetall("fd:numbers").items() if v.decode() == bid)
    shard = zlib.crc32(bid.encode()) % 64
    sets = [s for s in ("ready", "owned") if r.zscore(f"fd:{{s{shard:03d}}}:{s}", bid) is not None]
    return keys, numbers, sets


MADE = []


def populated_business(name):
    """A business with a user, a call log and Redis state of every kind a worker leaves."""
    bid, numbers = create_tenant(E, name=name)
    MADE.append(bid)
    pw = os.path.join(_tmpdir("fd-pw-"), "password")
    with open(pw, "w") as f:
        f.write("a long password 1\n")
    made = ctl(E, "user", "create", "--business", bid, "--email", f"o-{uuid.uuid4().hex[:8]}@example.com",
               "--password-file", pw)
    assert made.returncode == 0, made.stderr
    E.pg_rows("INSERT INTO call_logs (id, business_id, call_control_id, direction, started_at, outcome) "
              "VALUES (%s, %s, %s, 'incoming', now(), 'missed')", (str(uuid.uuid4()), bid, "v3:" + bid))
    r = E.redis()
    p = prefix(bid)
    r.xadd(p + "events", {"type": "call.initiated", "eid": "e1"})
    r.xadd(p + "outbox", {"table": "call_logs", "key": "k", "row": b"\x80"})
    r.xadd(p + "dead", {"type": "call.hangup", "error": "x"})
    r.hset(p + "call:v3:" + bid, mapping={"phase": "listening"})
    r.set(p + "lease", "w-1:1", px=60000)
    r.set(p + "epoch", 3)
    shard = zlib.crc32(bid.encode()) % 64
    r.zadd(f"fd:{{s{shard:03d}}}:ready", {bid: 1})
    return bid, numbers


def test_export_prints_every_row_of_the_business_and_none_of_another():
    a, _ = populated_business("Leaving Dental")
    b, _ = populated_business("Staying Salon")
    got = ctl(E, "tenant", "export", "--business", a)
    assert got.returncode == 0, got.stderr
    lines = [json.loads(l) for l in got.stdout.splitlines()]
    by_table = {}
    for l in lines:
        by_table.setdefault(l["table"], []).append(l["row"])
    expected = {t: n for t, n in business_rows(a).items() if n and t not in NOT_EXPORTED}
    assert {t: len(rows) for t, rows in by_table.items()} == expected
    assert by_table["businesses"][0]["name"] == "Leaving Dental"
    assert all("password_hash" not in u for u in by_table["users"])
    assert b not in got.stdout
    for t, rows in by_table.items():
        assert all(r.get("business_id", r.get("id")) == a for r in rows), t
    nobody = ctl(E, "tenant", "export", "--business", str(uuid.uuid4()))
    assert nobody.returncode == 1 and "no business" in nobody.stderr


def test_every_table_with_business_rows_is_exported_or_left_out_on_purpose():
    with open(SOURCE, encoding="utf-8") as f:
        listed = set(re.findall(r'\{"(\w+)", "SELECT', f.read()))
    assert listed | NOT_EXPORTED == tables_with_business_rows()


def test_delete_leaves_no_row_or_key_of_the_business_and_touches_none_of_another():
    a, a_numbers = populated_business("Closing Clinic")
    b, b_numbers = populated_business("Open Clinic")
    b_rows, b_redis = business_rows(b), redis_footprint(b)
    assert redis_footprint(a)[0] and all(business_rows(a)[t] for t in ("businesses", "users", "call_logs"))
    refused = ctl(E, "tenant", "delete", "--business", a)
    assert refused.returncode == 2 and "--confirm" in refused.stderr
    wrong = ctl(E, "tenant", "delete", "--business", a, "--confirm", b)
    assert wrong.returncode == 2 and business_rows(a)["businesses"] == 1
    done = ctl(E, "tenant", "delete", "--business", a, "--confirm", a)
    assert done.returncode == 0, done.stderr
    assert set(business_rows(a).values()) == {0}, business_rows(a)
    assert redis_footprint(a) == ([], [], [])
    assert business_rows(b) == b_rows and redis_footprint(b) == b_redis
    assert sorted(b_redis[1]) == sorted(b_numbers)
    again = ctl(E, "tenant", "delete", "--business", a, "--confirm", a)
    assert again.returncode == 0, again.stderr       # nothing left to delete is not an error


def test_the_businesses_left_standing_take_their_worker_like_state_with_them():
    """Last: the Redis state made to look as a worker leaves it (a lease whose holder is
    gone, the tenant ready, an outbox entry PostgreSQL refuses) goes with the businesses
    this file leaves standing; a later file's worker would otherwise claim them."""
    r = E.redis()
    for bid in MADE:
        keys = list(r.scan_iter(match=prefix(bid) + "*", count=1000))
        if keys:
            r.delete(*keys)
        shard = zlib.crc32(bid.encode()) % 64
        r.zrem(f"fd:{{s{shard:03d}}}:ready", bid)
        r.zrem(f"fd:{{s{shard:03d}}}:owned", bid)
        r.hdel(f"fd:{{s{shard:03d}}}:owners", bid)
    for bid in MADE:
        keys, _, sets = redis_footprint(bid)
        assert keys == [] and sets == [], (bid, keys, sets)
