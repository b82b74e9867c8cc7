"""Isolation between businesses, end to end: two businesses with distinctive services,
prices, hours, addresses, FAQ answers, numbers and callers are called at the same time
through one worker (simulator, api, Redis, PostgreSQL), including callers who ask each
business for the other's service by name. Afterwards nothing of one business may be
found in anything of the other: the replies its callers heard, the texts sent from its
number, every PostgreSQL row carrying its business_id (every table that has the
column: bookings, messages, call_logs, call_conversations, conversation_history,
usage_events, ... whatever later migrations add) and every Redis key under its tenant
prefix. A word of the other business is allowed only where this business's own caller
said it (the caller's turn, and the receptionist's "we don't offer <what you said>").

The receptionist's clock: Tuesday 2026-03-03 16:00Z, 9:00 in Denver (A), 11:00 in New
York (B)."""
import json
import threading

import msgpack

from harness import env, pg_rows, wait_for
from rxhelp import ClockStack, agent_lines, bookings, caller_lines, messages, transfers, wait_call_logged
from workerhelp import shard, tkey

E = env()
NOW = "2026-03-03T16:00:00Z"


def week(open_, close, days):
    return {d: ([{"open": open_, "close": close}] if d in days else [])
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


A = {
    "config_version": 1, "business_name": "Zephyr Tattoo Parlour", "tone": "friendly",
    "timezone": "America/Denver",
    "greeting": "Zephyr Tattoo Parlour, what can we ink for you?",
    "address": {"street": "42 Quasar Lane", "city": "Boulder", "region": "CO", "country": "US"},
    "hours": week("08:15", "19:45", ("mon", "tue", "wed", "thu", "fri", "sat")),
    "services": [
        {"name": "Koi sleeve tattoo", "aliases": ["koi sleeve"], "duration_minutes": 120, "price": "777.00",
         "description": "Obsidian ink koi from shoulder to wrist."},
        {"name": "Glyph touch-up", "aliases": ["glyph refresh"], "duration_minutes": 30, "price": "123.45"},
    ],
    "faq": [{"question": "Do you take walk-ins?", "answer": "Zephyr takes walk-ins on quindecim Saturdays.",
             "keywords": ["walk-in", "walk in", "walk-ins"]}],
    "booking": {"enabled": True, "slot_minutes": 30, "lead_time_minutes": 60, "capacity_per_slot": 1},
    "escalation": {"transfer_number": "+17205550112", "on_request": True},
    "notifications": {"owner_sms": "+17205550111", "on": ["booking", "message", "escalation"]},
}
B = {
    "config_version": 1, "business_name": "Marigold Veterinary Hospital", "tone": "formal",
    "timezone": "America/New_York",
    "greeting": "Marigold Veterinary Hospital, how may we help your pet?",
    "address": {"street": "9 Heliotrope Avenue", "city": "Yonkers", "region": "NY", "country": "US"},
    "hours": week("07:10", "15:50", ("mon", "tue", "wed", "thu", "fri")),
    "services": [
        {"name": "Ferret vaccination", "aliases": ["ferret shots"], "duration_minutes": 20, "price": "64.32",
         "description": "Distemper booster for ferrets, with a weigh-in."},
        {"name": "Iguana checkup", "aliases": ["iguana exam"], "duration_minutes": 40, "price": "219.99"},
    ],
    "faq": [{"question": "Do you see exotic pets?", "answer": "Marigold sees exotic pets on verdigris Thursdays.",
             "keywords": ["exotic", "reptile", "reptiles"]}],
    "booking": {"enabled": True, "slot_minutes": 30, "lead_time_minutes": 60, "capacity_per_slot": 1},
    "escalation": {"transfer_number": "+16465550223", "on_request": True},
    "notifications": {"owner_sms": "+16465550222", "on": ["booking", "message", "escalation"]},
}

# What each business's callers say: (caller number, utterances)
CALLS = {
    "A": [("+17205550901", ["I'd like to book a koi sleeve tattoo tomorrow at 2:15pm", "Ulysses Quimby", "yes",
                            "bye"]),
          ("+17205550902", ["How much is a ferret vaccination?", "What are your hours?", "bye"]),
          ("+17205550903", ["Can I leave a message?", "Odalys Fenwick", "yes", "Call me about the glyph touch-up",
                            "bye"]),
          ("+17205550904", ["Do you take walk-ins?", "Where are you located?", "bye"]),
          ("+17205550905", ["Can I talk to a real person?"])],
    "B": [("+16465550801", ["I would like to book a ferret vaccination tomorrow at 10:10am", "Beatrix Larkspur",
                            "yes", "bye"]),
          ("+16465550802", ["How much is a koi sleeve tattoo?", "What are your hours?", "bye"]),
          ("+16465550803", ["Can I leave a message?", "Cornelius Thistlewood", "yes",
                            "Call me about the iguana checkup", "bye"]),
          ("+16465550804", ["Do you see reptiles?", "Where are you located?", "bye"]),
          ("+16465550805", ["Can I talk to a real person?"])],
}


def secrets(doc, calls, number):
    """Words and numbers only this business has: its name, services, aliases, prices,
    hours (as said and as configured), address, FAQ words, numbers, callers."""
    out = {doc["business_name"], doc["business_name"].split()[0], doc["address"]["street"],
           doc["faq"][0]["answer"].split()[-2], doc["escalation"]["transfer_number"],
           doc["notifications"]["owner_sms"], number}
    for s in doc["services"]:
        out |= {s["name"], *s["aliases"], "$" + s["price"].rstrip("0").rstrip("."), s["price"]}
        if s.get("description"):
            out.add(s["description"])
    for ranges in doc["hours"].values():
        for r in ranges:
            out |= {'"%s"' % r["open"], '"%s"' % r["close"], said_clock(r["open"]), said_clock(r["close"])}
    for caller, says in calls:
        out.add(caller)
        for line in says:
            if len(line.split()) == 2 and line[0].isupper():     # a name
                out |= set(line.split())
    return out


def said_clock(hhmm):
    h, m = int(hhmm[:2]), int(hhmm[3:])
    return f"{h % 12 or 12}:{m:02d} {'AM' if h < 12 else 'PM'}"


def found(texts, tokens, exempt):
    """(token, text) pairs: a token of the other business in a text, unless this
    business's own caller said it."""
    hits = []
    for text in texts:
        low = text.lower()
        for tok in tokens:
            if tok.lower() in low and not any(tok.lower() in e.lower() for e in exempt):
                hits.append((tok, text[:300]))
    return hits


def own_seen(texts, tokens, at_least):
    """The scan sees this business's own words (so it would see the other's too)."""
    seen = {tok for tok, _ in found(texts, tokens, [])}
    assert len(seen) >= at_least, f"only {sorted(seen)} of the business's own words seen"


def pg_texts(bid):
    """Every row of every table with a business_id column, as JSON text."""
    tables = pg_rows(E, "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                        "AND column_name = 'business_id' ORDER BY table_name")
    out = []
    for (table,) in tables:
        rows = pg_rows(E, f'SELECT row_to_json(t)::text FROM "{table}" t WHERE business_id = %s', bid)
        out += [f"{table}: {r[0]}" for r in rows]
    return out, [t for (t,) in tables]


def readable(value):
    """A Redis value as a person reads it: MessagePack decoded (its length and type bytes
    would otherwise glue onto the text, "$" before a 36-byte id), else the bytes as text."""
    if value is None:
        return None
    if value[:1] and (0x80 <= value[0] <= 0x9F or value[0] in (0xDC, 0xDD, 0xDE, 0xDF)):
        try:
            return json.dumps(msgpack.unpackb(value, raw=False), default=str, ensure_ascii=False)
        except Exception:
            pass
    return value.decode("utf-8", "replace")


def redis_texts(r, bid):
    out = []
    for key in r.scan_iter(match=f"fd:{{s{shard(bid):03d}}}:t:{bid}:*", count=1000):
        kind = r.type(key).decode()
        if kind == "string":
            vals = [readable(r.get(key))]
        elif kind == "hash":
            vals = [readable(k) + "=" + readable(v) for k, v in r.hgetall(key).items()]
        elif kind == "stream":
            vals = [" ".join(readable(k) + "=" + readable(v) for k, v in f.items()) for _, f in r.xrange(key)]
        elif kind == "zset":
            vals = [readable(v) for v in r.zrange(key, 0, -1)]
        elif kind == "set":
            vals = [readable(v) for v in r.smembers(key)]
        elif kind == "list":
            vals = [readable(v) for v in r.lrange(key, 0, -1)]
        else:
            vals = []
        out += [key.decode() + ": " + v for v in vals if v is not None]
    return out


_state = {}


def run_all():
    if "runs" in _state:
        return _state
    st = ClockStack(E, NOW, workers=1, FRONTDESK_SILENCE_MS=3000)
    _state["stack"] = st
    biz = {"A": st.business(A), "B": st.business(B)}
    runs = {}

    def play(key, caller, says):
        number = biz[key][1]
        call = st.sim.call(number, caller, [{"say": s} for s in says])
        rec = st.sim.wait_ended(call, timeout=60)
        wait_call_logged(E, call)
        runs[caller] = (key, call, rec)
    threads = [threading.Thread(target=play, args=(k, c, s)) for k, calls in CALLS.items() for c, s in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    r = st.redis()
    for key, (bid, _) in biz.items():
        wait_for(lambda: r.xlen(tkey(bid, "sms")) == 0 and r.xlen(tkey(bid, "outbox")) == 0, timeout=30,
                 what=f"texts sent and records drained for {key}")
    _state.update(biz=biz, runs=runs)
    return _state


def test_every_call_of_both_businesses_did_what_its_caller_asked():
    s = run_all()
    runs, biz = s["runs"], s["biz"]
    assert len(runs) == 10, sorted(runs)
    lines = {c: agent_lines(rec) for c, (_, _, rec) in runs.items()}
    a_bid, b_bid = biz["A"][0], biz["B"][0]
    assert [(b[0], b[1], b[3]) for b in bookings(E, a_bid, "America/Denver")] == \
        [("Koi sleeve tattoo", "2026-03-04 14:15", "+17205550901")]
    assert [(b[0], b[1], b[3]) for b in bookings(E, b_bid, "America/New_York")] == \
        [("Ferret vaccination", "2026-03-04 10:10", "+16465550801")]
    assert [(m[0], m[1]) for m in messages(E, a_bid)] == [("Odalys Fenwick", "+17205550903")]
    assert [(m[0], m[1]) for m in messages(E, b_bid)] == [("Cornelius Thistlewood", "+16465550803")]
    assert any("don't offer ferret vaccination" in l for l in lines["+17205550902"]), lines["+17205550902"]
    assert any("8:15 AM to 7:45 PM" in l for l in lines["+17205550902"]), lines["+17205550902"]
    assert any("don't offer koi sleeve tattoo" in l for l in lines["+16465550802"]), lines["+16465550802"]
    assert any("7:10 AM to 3:50 PM" in l for l in lines["+16465550802"]), lines["+16465550802"]
    assert any("quindecim" in l for l in lines["+17205550904"]) and any("Quasar" in l for l in lines["+17205550904"])
    assert any("verdigris" in l for l in lines["+16465550804"])
    assert any("Heliotrope" in l for l in lines["+16465550804"])
    assert transfers(runs["+17205550905"][2]) == ["+17205550112"]
    assert transfers(runs["+16465550805"][2]) == ["+16465550223"]


def _sides():
    s = run_all()
    st, biz, runs = s["stack"], s["biz"], s["runs"]
    tok = {k: secrets(doc, CALLS[k], biz[k][1]) for k, doc in (("A", A), ("B", B))}
    said = {k: [line for _, says in CALLS[k] for line in says] for k in ("A", "B")}
    return st, biz, runs, tok, said


def test_no_reply_to_one_business_callers_holds_the_other_business():
    st, biz, runs, tok, said = _sides()
    for caller, (key, _, rec) in runs.items():
        other = "B" if key == "A" else "A"
        hits = found(agent_lines(rec), tok[other], said[key])
        assert hits == [], f"{key}'s caller {caller} heard {other}'s {hits}"
        assert set(caller_lines(rec)) <= set(said[key]), (caller, caller_lines(rec))
    for key in ("A", "B"):
        own_seen([l for c, (k, _, rec) in runs.items() if k == key for l in agent_lines(rec)], tok[key], 10)


def test_no_text_from_one_business_number_holds_the_other_business_or_reaches_its_callers():
    st, biz, runs, tok, said = _sides()
    msgs = [m.get("request") or {} for m in st.sim.get("/_sim/messages")["messages"]]
    for key, (bid, number) in biz.items():
        other = "B" if key == "A" else "A"
        mine = [m for m in msgs if m.get("from") == number]
        assert len(mine) >= 4, mine          # a confirmation and the owner's booking, message, escalation
        texts = [m.get("text", "") + " to " + str(m.get("to")) for m in mine]
        own_seen(texts, tok[key], 5)
        hits = found(texts, tok[other], said[key])
        assert hits == [], f"a text from {key}'s number holds {other}'s {hits}"
    assert all(m.get("from") in (biz["A"][1], biz["B"][1]) for m in msgs), msgs


def test_no_postgresql_row_of_one_business_holds_the_other_business():
    st, biz, runs, tok, said = _sides()
    for key, (bid, _) in biz.items():
        other = "B" if key == "A" else "A"
        texts, tables = pg_texts(bid)
        for table in ("bookings", "messages", "call_logs", "call_conversations", "conversation_history",
                      "usage_events", "ai_agents"):
            assert table in tables, tables
            assert any(t.startswith(table + ":") for t in texts), f"no {table} row of {key}"
        own_seen(texts, tok[key], 20)
        hits = found(texts, tok[other], said[key])
        assert hits == [], f"{key}'s rows hold {other}'s {hits[:5]}"


def test_no_redis_key_of_one_business_holds_the_other_business():
    st, biz, runs, tok, said = _sides()
    r = st.redis()
    for key, (bid, _) in biz.items():
        other = "B" if key == "A" else "A"
        texts = redis_texts(r, bid)
        own_seen(texts, tok[key], 10)
        hits = found(texts, tok[other], said[key])
        assert hits == [], f"{key}'s Redis keys hold {other}'s {hits[:5]}"


def test_processes_stop_cleanly():
    if "stack" in _state:
        codes = _state.pop("stack").stop()
        assert all(c == 0 for c in codes.values()), codes
