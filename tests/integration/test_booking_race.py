"""Two callers race for the last place in a slot, through real calls: simulator, api,
two workers, Redis and PostgreSQL. A business is owned by one worker at a time
(docs/worker.md), whose calls run concurrently, so the two callers' holds race each
other in Redis (lua/booking_hold.lua); exactly one may win. Each round is a business
of its own (a salon whose slots hold two), whose first place a first caller has
already booked; then two callers ask for the same time at the same moment and both
say yes. The winner hears "booked" and gets the only new bookings row, usage event
and confirmation text; the other hears that the time is taken and is offered other
times, and is neither booked, billed nor texted. The rounds run at once, two workers
running (each business owned by one of them). A last round kills the owning worker (kill -9) between the read-back and
the callers' yes, so the other worker takes the business over and settles the race.

The receptionist's clock: Tuesday 2026-03-03, 10:00 in Chicago; the slot raced for is
Saturday March 7th at 10 AM."""
import re
import threading

from harness import env, pg_rows, wait_for
from rxhelp import ClockStack, agent_lines, bookings, example, texts_from, variant, wait_call_logged
from workerhelp import kill9, lease_owner, tkey

E = env()
NOW = "2026-03-03T16:00:00Z"
ZONE = "America/Chicago"
SLOT = "2026-03-07 10:00"
ROUNDS = 6
ASK = "Can I book a beard trim on Saturday at 10am? My name is {}"
OFFERED = re.compile(r"10 AM is taken; I can offer [0-9]")

_state = {}


def stack():
    if "stack" not in _state:
        _state["stack"] = ClockStack(E, NOW, workers=2, FRONTDESK_LEASE_MS=3000)
    return _state["stack"]


def doc():
    return variant(example("hair-salon"), booking__capacity_per_slot=2)


def book_first_place(st, number, caller):
    call = st.sim.call(number, caller, [{"say": ASK.format("Fay First")}, {"say": "yes"}, {"say": "bye"}])
    rec = st.sim.wait_ended(call, timeout=60)
    assert any("You're booked: beard trim on Saturday, March 7th at 10 AM" in l for l in agent_lines(rec)), \
        agent_lines(rec)
    return call


def racer_script(name, pause_ms=0):
    steps = [{"say": ASK.format(name)}]
    if pause_ms:
        steps.append({"pause_ms": pause_ms})
    return steps + [{"say": "yes"}, {"say": "bye"}]


def outcome(st, bid, number, callers, calls):
    """Checks one finished race; returns the winner's caller number."""
    recs = {c: st.sim.wait_ended(calls[c], timeout=60) for c in callers}
    for c in callers:
        wait_call_logged(E, calls[c])
    rows = [b for b in bookings(E, bid, ZONE) if b[3] in callers]
    assert len(rows) == 1, f"bookings of the two racers: {rows}"
    winner = rows[0][3]
    loser = [c for c in callers if c != winner][0]
    assert rows[0][1] == SLOT and rows[0][4] == "booked", rows[0]
    won, lost = agent_lines(recs[winner]), agent_lines(recs[loser])
    assert any("You're booked: beard trim on Saturday, March 7th at 10 AM" in l for l in won), won
    assert not any("booked:" in l for l in lost), lost
    assert any(OFFERED.search(l) for l in lost), f"the other caller was offered no other time: {lost}"
    assert len(bookings(E, bid, ZONE)) == 2          # the first place and the winner's
    usage = pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", bid)
    assert usage == [(2,)], usage                    # billed once per booking
    r = st.redis()
    wait_for(lambda: r.xlen(tkey(bid, "sms")) == 0, timeout=20, what="texts sent")
    to = [t["to"] for t in texts_from(st.sim, number) if t["to"] in callers]
    assert to == [winner], f"confirmation texts went to {to}, the winner is {winner}"
    return winner


def test_two_callers_racing_for_the_last_place_one_books_the_other_is_offered_other_times():
    st = stack()
    rounds = []
    for i in range(ROUNDS):
        bid, number = st.business(doc())
        rounds.append((bid, number, "+1773555%04d" % (3000 + 10 * i)))

    def prefill(rd):
        book_first_place(st, rd[1], rd[2])
    threads = [threading.Thread(target=prefill, args=(rd,)) for rd in rounds]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    for bid, _, _ in rounds:
        wait_for(lambda: len(bookings(E, bid, ZONE)) == 1, what="the first place booked")
    races = []
    for i, (bid, number, _) in enumerate(rounds):
        callers = ("+1773555%04d" % (3001 + 10 * i), "+1773555%04d" % (3002 + 10 * i))
        calls = {}
        for c, name in zip(callers, ("Rae Ames", "Sol Bird")):
            calls[c] = st.sim.call(number, c, racer_script(name))
        races.append((bid, number, callers, calls))
    ids = {w.worker_id for w in st.workers}
    for bid, number, callers, calls in races:
        assert lease_owner(st.redis(), bid) in ids | {None}
        outcome(st, bid, number, callers, calls)
    for w in st.workers:
        assert "outbox entry refused" not in w.output(), "PostgreSQL refused a booking Redis had held"


def test_the_race_is_settled_by_the_next_owner_when_the_first_dies_between_turns():
    st = stack()
    bid, number = st.business(doc())
    book_first_place(st, number, "+17735559000")
    callers = ("+17735559001", "+17735559002")
    calls = {c: st.sim.call(number, c, racer_script(name, pause_ms=6000))
             for c, name in zip(callers, ("Ida Cole", "Max Dunn"))}

    def read_back_to_both():
        return all(any("Shall I book it?" in l or "book it?" in l for l in agent_lines(st.sim.call_record(calls[c])))
                   for c in callers)
    wait_for(read_back_to_both, timeout=30, what="both callers heard the read-back")
    owner_id = lease_owner(st.redis(), bid)
    owner = [w for w in st.workers if w.worker_id == owner_id]
    assert len(owner) == 1, (owner_id, [w.worker_id for w in st.workers])
    kill9(owner[0])
    st.workers.remove(owner[0])
    st.stack.procs.remove(owner[0])
    outcome(st, bid, number, callers, calls)
    survivor = st.workers[0]
    taken_over = [l for l in survivor.output().splitlines() if "tenant acquired" in l and bid in l]
    assert taken_over, "the other worker never took the business over"
    assert lease_owner(st.redis(), bid) in (survivor.worker_id, None)
    assert "outbox entry refused" not in survivor.output()


def test_processes_stop_cleanly():
    if "stack" in _state:
        codes = _state.pop("stack").stop()
        assert all(c == 0 for c in codes.values()), codes
