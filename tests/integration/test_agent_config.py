"""frontdesk-ctl agent set/show/validate against real Redis and PostgreSQL: versions,
the one active version, nothing saved on an invalid document, the worker's Redis copy
dropped, and one business's change never touching another's."""
import json
import os
import zlib

from harness import ROOT, _tmpdir, create_tenant, ctl, env, pg_rows

E = env()
EXAMPLES = os.path.join(ROOT, "docs", "examples")


def _agent_key(bid, shards=64):
    return f"fd:{{s{zlib.crc32(bid.encode()) % shards:03d}}}:t:{bid}:agent"


def _versions(bid):
    return pg_rows(E, "SELECT version, is_active, config FROM ai_agents WHERE business_id = %s "
                      "ORDER BY version", bid)


def _write(doc):
    path = os.path.join(_tmpdir("fd-agent-"), "agent.json")
    with open(path, "w") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def _example(name):
    with open(os.path.join(EXAMPLES, name)) as f:
        return json.load(f)


def test_a_new_business_starts_with_a_valid_default_document():
    bid, _ = create_tenant(E, name="Default Dental")
    rows = _versions(bid)
    assert [(v, a) for v, a, _ in rows] == [(1, True)]
    path = _write(rows[0][2])
    r = ctl(E, "agent", "validate", "--file", path)
    assert r.returncode == 0, r.stderr
    assert rows[0][2]["business_name"] == "Default Dental"
    assert "Default Dental" in rows[0][2]["greeting"]


def test_every_example_validates():
    for name in sorted(os.listdir(EXAMPLES)):
        r = ctl(E, "agent", "validate", "--file", os.path.join(EXAMPLES, name))
        assert r.returncode == 0, f"{name}: {r.stderr}"


def test_set_then_show_round_trips_and_makes_the_new_version_the_only_active_one():
    bid, _ = create_tenant(E)
    doc = _example("dental-clinic.json")
    r = ctl(E, "agent", "set", "--business", bid, "--file", os.path.join(EXAMPLES, "dental-clinic.json"))
    assert r.returncode == 0, r.stderr
    assert "version 2 is active" in r.stderr
    assert [(v, a) for v, a, _ in _versions(bid)] == [(1, False), (2, True)]
    r = ctl(E, "agent", "show", "--business", bid)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == doc
    assert "version 2 (active)" in r.stderr
    assert r.stdout.index('"config_version"') < r.stdout.index('"business_name"') \
        < r.stdout.index('"services"'), "keys are shown in the documented order"
    r = ctl(E, "agent", "show", "--business", bid, "--version", "1")
    assert r.returncode == 0, r.stderr
    assert "version 1 (inactive)" in r.stderr
    assert json.loads(r.stdout)["config_version"] == 1


def test_a_second_set_makes_version_three_active_and_keeps_the_others():
    bid, _ = create_tenant(E)
    for name in ("hair-salon.json", "plumber.json"):
        r = ctl(E, "agent", "set", "--business", bid, "--file", os.path.join(EXAMPLES, name))
        assert r.returncode == 0, r.stderr
    rows = _versions(bid)
    assert [(v, a) for v, a, _ in rows] == [(1, False), (2, False), (3, True)]
    assert rows[2][2]["timezone"] == "America/Los_Angeles"
    assert rows[1][2]["business_name"] == "Studio Nine Hair"


def test_an_invalid_document_saves_nothing_and_names_the_field():
    bid, _ = create_tenant(E)
    doc = _example("dental-clinic.json")
    doc["services"][2]["price"] = 350
    path = _write(doc)
    before = _versions(bid)
    r = ctl(E, "agent", "set", "--business", bid, "--file", path)
    assert r.returncode == 1, r.stderr
    assert "services[2].price: must be a decimal string" in r.stderr
    assert "nothing saved" in r.stderr
    assert r.stdout == ""
    assert _versions(bid) == before


def test_typos_and_broken_json_are_refused_with_their_path():
    bid, _ = create_tenant(E)
    doc = _example("plumber.json")
    doc["escalaton"] = doc.pop("escalation")
    r = ctl(E, "agent", "set", "--business", bid, "--file", _write(doc))
    assert r.returncode == 1 and "escalaton: unknown field" in r.stderr, r.stderr
    r = ctl(E, "agent", "set", "--business", bid, "--file", _write('{"config_version": 1,'))
    assert r.returncode == 1 and "document: is not valid JSON" in r.stderr, r.stderr
    doc = _example("plumber.json")
    doc["timezone"] = "America/Springfield"
    r = ctl(E, "agent", "set", "--business", bid, "--file", _write(doc))
    assert r.returncode == 1 and "timezone: \"America/Springfield\" is not an IANA" in r.stderr
    assert len(_versions(bid)) == 1


def test_every_problem_of_a_document_is_named_with_its_path():
    bid, _ = create_tenant(E)
    doc = _example("dental-clinic.json")
    doc["services"][2]["price"] = 350
    doc["timezone"] = "America/Springfield"
    doc["colour"] = "blue"
    r = ctl(E, "agent", "set", "--business", bid, "--file", _write(doc))
    assert r.returncode == 1, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("frontdesk-ctl:")]
    assert [line.split(": ")[2] for line in lines] == ["colour", "timezone", "services[2].price"], lines
    assert lines[-1].endswith("; nothing saved"), lines
    assert len(_versions(bid)) == 1


def test_a_set_makes_the_business_time_zone_the_configuration_s():
    bid, _ = create_tenant(E)
    r = ctl(E, "agent", "set", "--business", bid, "--file", os.path.join(EXAMPLES, "plumber.json"))
    assert r.returncode == 0, r.stderr
    assert pg_rows(E, "SELECT timezone FROM businesses WHERE id = %s", bid) == [("America/Los_Angeles",)]


def test_set_drops_the_cached_agent_so_the_next_call_reloads_it():
    bid, _ = create_tenant(E)
    r = E.redis()
    key = _agent_key(bid)
    r.hset(key, mapping={"is_active": "1", "greeting": "old greeting"})
    res = ctl(E, "agent", "set", "--business", bid, "--file", os.path.join(EXAMPLES, "plumber.json"))
    assert res.returncode == 0, res.stderr
    assert not r.exists(key)


def test_a_set_of_one_business_never_touches_another():
    a, _ = create_tenant(E)
    b, _ = create_tenant(E)
    r = E.redis()
    r.hset(_agent_key(b), mapping={"is_active": "1", "greeting": "B's greeting"})
    b_before = _versions(b)
    res = ctl(E, "agent", "set", "--business", a, "--file", os.path.join(EXAMPLES, "hair-salon.json"))
    assert res.returncode == 0, res.stderr
    assert _versions(b) == b_before
    assert r.hget(_agent_key(b), "greeting") == b"B's greeting"
    res = ctl(E, "agent", "show", "--business", b)
    assert json.loads(res.stdout)["business_name"] == b_before[0][2]["business_name"]


def test_rls_hides_other_businesses_rows_from_the_ctl_role():
    """Under frontdesk_app with app.business_id = A, B's rows are invisible: a set whose
    statements named B explicitly would still find nothing."""
    a, _ = create_tenant(E)
    b, _ = create_tenant(E)
    conn = E.pg()
    try:
        cur = conn.cursor()
        cur.execute("BEGIN")
        cur.execute("SET LOCAL ROLE frontdesk_app")
        cur.execute("SELECT set_config('app.business_id', %s, true)", (a,))
        cur.execute("SELECT count(*) FROM ai_agents WHERE business_id = %s", (b,))
        assert cur.fetchone()[0] == 0
        cur.execute("UPDATE ai_agents SET is_active = false WHERE business_id = %s", (b,))
        assert cur.rowcount == 0
        cur.execute("ROLLBACK")
    finally:
        conn.close()
    assert [(v, act) for v, act, _ in _versions(b)] == [(1, True)]


def test_an_unknown_business_saves_nothing():
    bid = "00000000-0000-4000-8000-000000000001"
    r = ctl(E, "agent", "set", "--business", bid, "--file", os.path.join(EXAMPLES, "plumber.json"))
    assert r.returncode == 1 and f"no business {bid}" in r.stderr, r.stderr
    assert pg_rows(E, "SELECT count(*) FROM ai_agents WHERE business_id = %s", bid)[0][0] == 0
    r = ctl(E, "agent", "show", "--business", bid)
    assert r.returncode == 1 and "no active configuration" in r.stderr


def test_show_of_a_missing_version_fails():
    bid, _ = create_tenant(E)
    r = ctl(E, "agent", "show", "--business", bid, "--version", "7")
    assert r.returncode == 1 and "has no version 7" in r.stderr, r.stderr


def test_usage_errors_exit_2():
    for args in (["agent"], ["agent", "set", "--file", "x.json"],
                 ["agent", "set", "--business", "nope", "--file", "x.json"],
                 ["agent", "show", "--business", "00000000-0000-4000-8000-000000000001",
                  "--version", "zero"],
                 ["agent", "frobnicate", "--file", "x"]):
        r = ctl(E, *args)
        assert r.returncode == 2, (args, r.stderr)
    r = ctl(E, "agent", "validate", "--file", "/nonexistent/agent.json")
    assert r.returncode == 1 and "cannot open" in r.stderr
