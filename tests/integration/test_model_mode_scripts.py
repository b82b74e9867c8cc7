"""The built-in receptionist's conversation scripts (tests/unit/rx/*.conv and unseen/*.conv,
read by rxconv.py) replayed in model mode, as a regression check of the tool flow: api,
simulator, Redis, a worker with FRONTDESK_LLM_* set and PostgreSQL, all real, the model
played by the project's fake (tests/fake_llm/fake_openai.py).

A conversation is replayed when the worker's real tools would answer what its script
pretends: it ends in `book` (after `check_availability`), `take_message` or
`cancel_booking`, has one call, no `edit`, no silence and no known `gap`, names every
argument its tool calls need, and none of its results is a refusal (the calendar is
empty, so a free time asked for is free). A conversation that cancels finds the booking
its `result found` names: an earlier call of the same caller books it, through the
model too. The fake is scripted with the conversation's tool calls, in order, with its
arguments, and a short reply for every turn; the caller says the script's lines.

What is checked is what a user would check: the booking rows (service, local start time,
name, booked or cancelled), the message row (callback number, text), the cancellation,
one usage event per booking that is not a move; that every turn was the model's (every
scripted step was asked for, so no turn fell back to the built-in receptionist), that each
tool's result as the model saw it agrees with the script's, and that every request the
fake saw was valid. This proves the model's tool calls run through the same tools for
every script, not that a model understands language.

FRONTDESK_NOW belongs to a worker, so the conversations are grouped by the instant of
their `call` time in their business's zone, one stack per instant (rxhelp.ClockStack)."""
import datetime
import json
import os
import re
import threading
import time
import zoneinfo

import rxconv
from harness import env, pg_rows
from llmhelp import FakeModel
from rxhelp import ClockStack, agent_lines, wait_call_logged

RUN_TOOLS = ("check_availability", "book", "take_message", "cancel_booking")
LAST_TOOLS = ("book", "take_message", "cancel_booking")
PER_FILE = 3                 # conversations taken from one .conv file at most
BUDGET_MS = 15000            # a busy sanitizer build must not make a turn fall back
AT_ONCE = 16                 # calls in progress at a time: all of them at once, beside the
                             # other suites, left model turns waiting past the budget
SEED_NAME = "Robin Ashdown"  # who booked the appointment a conversation cancels
GOODBYE = "Thank you for calling, goodbye!"


class Skip(Exception):
    """Why a conversation is not replayed."""


class Plan:
    """One conversation as it is replayed: the business, the clock, the model's steps,
    the caller's lines, and the records it must leave."""

    def __init__(self, conv, index):
        self.conv = conv
        self.title = conv.title
        with open(rxconv.business_file(conv.business)) as f:
            self.doc = json.load(f)
        self.base_name = self.doc["business_name"]
        self.zone = self.doc["timezone"]
        self.rename(index)
        local = datetime.datetime.strptime(conv.local_time, "%Y-%m-%d %H:%M")
        instant = local.replace(tzinfo=zoneinfo.ZoneInfo(self.zone)).astimezone(datetime.timezone.utc)
        self.clock = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.caller = conv.caller
        self.seed = None             # (service, day, time) booked before the call
        self.steps = []              # the fake's answers to this conversation's call
        self.says = []               # the caller's lines
        self.results = []            # [(step index of the tool calls, [expected result])]
        self.bookings = []           # [(service, 'YYYY-MM-DD HH:MM', name, status)]
        self.messages = []           # [(name, callback number, text, [fragments])]
        self.usage = 0
        self._make()

    def rename(self, index):
        """A business name of its own, so the fake finds this conversation's script in
        the prompt ("R07" is never part of "R17")."""
        self.name = f"{self.base_name} R{index:02d}"
        self.doc["business_name"] = self.name

    def _make(self):
        c = self.conv
        if c.gaps:
            raise Skip("a known gap")
        if len(c.calls) != 1:
            raise Skip("more than one call")
        if c.edits:
            raise Skip("an edited business")
        if not self.caller:
            raise Skip("no caller ID")
        if any(t.kind == "silence" for t in c.turns):
            raise Skip("silence (the built-in's re-prompts)")
        calls = c.tool_calls()
        if not calls or any(t.name is None for t in calls):
            raise Skip("no tool call, or a tool call the script does not name")
        if any(t.name not in RUN_TOOLS for t in calls) or calls[-1].name not in LAST_TOOLS:
            raise Skip("not a flow of availability, booking, message or cancellation")
        if any(r.startswith("refused") for t in calls for r in t.results):
            raise Skip("a refused result")
        state = {}
        cancelled = False
        for n, turn in enumerate(t for t in c.turns if t.kind == "say"):
            self.says.append(turn.words)
            if turn.tools:
                step = {"tool_calls": []}
                expect = []
                for tool in turn.tools:
                    args, want = self._tool(tool, state, cancelled)
                    cancelled = cancelled or tool.name == "cancel_booking"
                    step["tool_calls"].append({"name": tool.name, "arguments": args})
                    expect.append(want)
                self.results.append((len(self.steps), expect))
                self.steps.append(step)
            self.steps.append({"reply": f"Alright, noted ({n + 1}). What else can I do for you?"})
        self.says.append("no, that's all, thank you, bye")
        self.steps.append({"reply": GOODBYE, "tool_calls": [{"name": "end_call", "arguments": {}}]})

    def _tool(self, tool, state, cancelled):
        """The arguments the model sends for one expected tool call, and what its
        result must say."""
        a = tool.args
        if tool.name == "check_availability":
            service, day, hhmm = (a.get(k, state.get(k)) for k in ("service", "day", "time"))
            if not service or not day:
                raise Skip("check_availability without a known service or day")
            state.update(service=service, day=day, time=hhmm)
            free = [r.split()[2:] for r in tool.results if r.startswith("ok free")]
            if hhmm and free and hhmm not in free[0]:
                raise Skip("the time asked for is not among the free ones")
            args = {"service": service, "day": day}
            if hhmm:
                args["time"] = hhmm
            return args, {"available": True, "day": day, "free_has": hhmm}
        if tool.name == "book":
            service, day, hhmm = (a.get(k, state.get(k)) for k in ("service", "day", "time"))
            name = a.get("name")
            if not (service and day and hhmm and name):
                raise Skip("book without a known service, day, time and name")
            self.bookings.append((service, f"{day} {hhmm}", name, "booked"))
            self.usage += 0 if cancelled else 1     # a booking after a cancellation is a move
            return ({"service": service, "day": day, "time": hhmm, "caller_name": name},
                    {"booked": True, "service": service, "day": day, "time": hhmm})
        if tool.name == "take_message":
            name = a.get("name")
            number = a.get("number", self.caller)
            text = a.get("message") or self._message_words(tool.message_has)
            if not name or not number or not text:
                raise Skip("take_message without a name, callback number and message")
            self.messages.append((name, number, text, tool.message_has))
            return ({"caller_name": name, "callback_number": number, "message": text},
                    {"message_taken": True})
        found = [r.split(" ", 3)[1:] for r in tool.results if r.startswith("found ")]
        if not found or self.seed is not None:
            raise Skip("a cancellation without the booking it finds")
        day, hhmm, service = found[0]
        self.seed = (service, day, hhmm)
        self.bookings.append((service, f"{day} {hhmm}", SEED_NAME, "cancelled"))
        self.usage += 1
        return {}, {"cancelled": True, "service": service, "day": day, "time": hhmm}

    def _message_words(self, fragments):
        """The caller's line that holds every fragment the script's message must hold:
        the message in the caller's words, as a model would pass it on."""
        for words in reversed(self.says):
            if fragments and all(f.lower() in words.lower() for f in fragments):
                return words
        return ", ".join(fragments)

    def seed_steps(self):
        service, day, hhmm = self.seed
        return [{"tool_calls": [{"name": "book", "arguments": {
                    "service": service, "day": day, "time": hhmm, "caller_name": SEED_NAME}}]},
                {"reply": "That is in the calendar now."},
                {"reply": GOODBYE, "tool_calls": [{"name": "end_call", "arguments": {}}]}]

    def seed_says(self):
        service, day, hhmm = self.seed
        return [f"I'd like a {service} on {day} at {hhmm}, my name is {SEED_NAME}", "thanks, bye"]


def choose():
    """(plans, {reason: count}) over every conversation of the scripts: of the ones that
    can be replayed, at most PER_FILE of a file, taken by turns from its cancellations,
    bookings and messages; none alone on its clock (a stack for one call)."""
    skipped, by_file = {}, {}

    def skip(why, n=1):
        skipped[why] = skipped.get(why, 0) + n
    for conv in rxconv.read_all():
        try:
            p = Plan(conv, 0)
        except Skip as why:
            skip(str(why))
            continue
        flows = by_file.setdefault(os.path.relpath(conv.path, rxconv.RX_DIR), {})
        flows.setdefault(conv.tool_calls()[-1].name, []).append(p)
    plans = []
    for flows in by_file.values():
        queues = [flows.get(name, []) for name in ("cancel_booking", "book", "take_message")]
        taken = 0
        while taken < PER_FILE and any(queues):
            for q in queues:
                if q and taken < PER_FILE:
                    plans.append(q.pop(0))
                    taken += 1
        if any(queues):
            skip("more than enough from its file", sum(len(q) for q in queues))
    clocks = [p.clock for p in plans]
    alone = [p for p in plans if clocks.count(p.clock) == 1]
    if alone:
        skip("alone on its clock", len(alone))
    plans = sorted((p for p in plans if p not in alone), key=lambda p: (p.conv.path, p.conv.line))
    for i, p in enumerate(plans):
        p.rename(i)
    return plans, skipped


PLANS, SKIPPED = choose()
E = env()
_state = {}


def test_the_replayed_conversations_cover_several_businesses_and_flows():
    print(f"    replayed {len(PLANS)}; skipped: " +
          ", ".join(f"{n} {why}" for why, n in sorted(SKIPPED.items(), key=lambda x: -x[1])), flush=True)
    # at least 20 replayed; more files of conversations bring more (PER_FILE each)
    assert len(PLANS) >= 20, len(PLANS)
    assert len({p.conv.business for p in PLANS}) >= 5
    last = {p.conv.tool_calls()[-1].name for p in PLANS}
    assert last == set(LAST_TOOLS), last
    assert len({p.name for p in PLANS}) == len(PLANS)


def _start():
    """Starts the fake, a stack per clock and every conversation (once)."""
    if "done" in _state:
        return
    t0 = time.time()
    llm = _state["llm"] = FakeModel()
    stacks = _state["stacks"] = {}
    for clock in sorted({p.clock for p in PLANS}):
        stacks[clock] = ClockStack(E, clock, FRONTDESK_SILENCE_MS=15000, FRONTDESK_LOG_LEVEL="debug",
                                   **llm.worker_env(BUDGET_MS))
    for p in PLANS:
        st = stacks[p.clock]
        p.stack = st
        p.bid, p.number = st.business(p.doc)
        llm.script_for(p.name, (p.seed_steps() if p.seed else []) + p.steps)
        p.rec = p.error = None
    setup = time.time() - t0

    at_once = threading.BoundedSemaphore(AT_ONCE)

    def play(p):
        with at_once:
            play_one(p)

    def play_one(p):
        try:
            sim = p.stack.sim
            if p.seed:
                seed = sim.call(p.number, p.caller, [{"say": s} for s in p.seed_says()])
                sim.wait_ended(seed, timeout=90)
                wait_call_logged(E, seed)
            p.call = sim.call(p.number, p.caller, [{"say": s} for s in p.says])
            p.rec = sim.wait_ended(p.call, timeout=90)
            wait_call_logged(E, p.call)
        except Exception as err:      # reported by the conversation's test
            p.error = err

    threads = [threading.Thread(target=play, args=(p,)) for p in PLANS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(400)
    _state["requests"] = llm.requests()
    _state["done"] = True
    print(f"    {len(PLANS)} conversations on {len(stacks)} clocks: set-up {setup:.1f}s, "
          f"calls {time.time() - t0 - setup:.1f}s", flush=True)


def _records(p):
    bookings = pg_rows(E, "SELECT service, to_char(starts_at AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI'), "
                          "caller_name, status FROM bookings WHERE business_id = %s", p.zone, p.bid)
    messages = pg_rows(E, "SELECT caller_name, callback_number, message FROM messages "
                          "WHERE business_id = %s", p.bid)
    cancels = pg_rows(E, "SELECT count(*) FROM booking_cancellations WHERE business_id = %s", p.bid)[0][0]
    usage = pg_rows(E, "SELECT count(*) FROM usage_events WHERE business_id = %s", p.bid)[0][0]
    return sorted(bookings), messages, cancels, usage


def _check_results(p, reqs):
    """Each tool round's results, as the model saw them in the request after it."""
    first = len(p.seed_steps()) if p.seed else 0
    for at, wants in p.results:
        msgs = reqs[first + at + 1]["body"]["messages"]
        got = [json.loads(m["content"]) for m in msgs[-len(wants):]]
        assert all(m["role"] == "tool" for m in msgs[-len(wants):]), msgs[-len(wants):]
        for g, want in zip(got, wants):
            for k, v in want.items():
                if k == "free_has":
                    assert v is None or v in g.get("free_times", []), (v, g)
                else:
                    assert g.get(k) == v, (k, v, g)


def _check(p):
    _start()
    if p.error is not None:
        raise AssertionError(f"the call did not finish: {p.error}")
    try:
        reqs = _state["llm"].requests_of(p.name, _state["requests"])
        steps = len(p.steps) + (len(p.seed_steps()) if p.seed else 0)
        assert len(reqs) == steps, f"{len(reqs)} model requests for {steps} scripted steps"
        assert all(r["valid"] for r in reqs), [r["problems"] for r in reqs if not r["valid"]]
        _check_results(p, reqs)
        lines = agent_lines(p.rec)
        assert lines[-1] == GOODBYE and p.rec["hangup_source"] == "callee", lines
        bookings, messages, cancels, usage = _records(p)
        assert bookings == sorted(p.bookings), f"bookings {bookings}, wanted {sorted(p.bookings)}"
        assert len(messages) == len(p.messages), messages
        for (name, number, text), (w_name, w_number, w_text, fragments) in zip(messages, p.messages):
            assert (name, number, text) == (w_name, w_number, w_text), (messages, p.messages)
            assert all(f.lower() in text.lower() for f in fragments), (text, fragments)
        assert cancels == (1 if p.seed else 0), f"{cancels} cancellations"
        assert usage == p.usage, f"{usage} usage events, wanted {p.usage}"
    except AssertionError as err:
        transcript = "\n".join(f"      {t['speaker']}: {t['text']}" for t in p.rec["transcript"])
        logs = "\n".join("      " + line for w in p.stack.workers for line in w.output().splitlines()
                         if p.call in line)
        raise AssertionError(f"{p.title} ({p.conv.where()}): {err}\n    transcript:\n{transcript}"
                             f"\n    the worker's log of the call:\n{logs}") from None


def _make_test(p):
    def test():
        _check(p)
    test.__name__ = "test_" + re.sub(r"\W+", "_", p.title.replace("'", "")).strip("_")[:80]
    return test


for _i, _p in enumerate(PLANS):
    _t = _make_test(_p)
    _t.__name__ = f"test_{_i:02d}_" + _t.__name__[5:]
    globals()[_t.__name__] = _t


def test_every_request_the_fake_saw_was_valid():
    _start()
    reqs = _state["requests"]
    assert reqs and all(r["valid"] for r in reqs), [r["problems"] for r in reqs if not r["valid"]]


def test_processes_stop_cleanly():
    assert _state["llm"].stop() == 0
    for st in _state["stacks"].values():
        codes = st.stop()
        assert all(c == 0 for c in codes.values()), codes
