"""Model mode's client (lib/llm/llm_client.c) against the project's fake OpenAI-compatible
server (tests/fake_llm/fake_openai.py), through the driver build/san/tools/llm_turn:
replies and tool calls come back parsed, a slow answer ends as a timeout within the
budget with the request cancelled, every broken answer ends as a fallback, and every
request the client sends passes the fake's checks and carries only its own business's
prompt."""
import json
import os
import subprocess
import tempfile

from harness import (BIN, ROOT, Proc, assert_no_sanitizer_report, free_port, http, wait_http)

DRIVER = os.path.join(os.path.dirname(BIN), "tools", "llm_turn")
FAKE = os.path.join(ROOT, "tests", "fake_llm", "fake_openai.py")
DENTAL = os.path.join(ROOT, "docs", "examples", "dental-clinic.json")
SALON = os.path.join(ROOT, "docs", "examples", "hair-salon.json")
KEY, MODEL = "sk-test-123", "fake-model-1"
NOW = "Tuesday 2026-03-03 10:15"
SECRET_WORDS = "my neighbour Zebedee Quartermaine"     # caller text that must never be logged


class Fake(Proc):
    def __init__(self, script=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = ["/usr/bin/python3", FAKE, "--listen", f"127.0.0.1:{self.port}", "--key", KEY,
                "--model", MODEL, "--script", json.dumps(script or [])]
        super().__init__(argv, dict(os.environ), "fake-openai")
        wait_http(self.url + "/_fake/requests")

    def requests(self):
        status, _, raw = http("GET", self.url + "/_fake/requests")
        assert status == 200, raw
        return json.loads(raw)["requests"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def turn(fake_url, config=DENTAL, say=SECRET_WORDS, messages=None, budget_ms=2500, linger_ms=0,
         key=KEY, model=MODEL):
    argv = [DRIVER, "--config", config, "--url", fake_url + "/v1", "--key", key, "--model", model,
            "--now", NOW, "--budget-ms", str(budget_ms), "--linger-ms", str(linger_ms)]
    tmp = None
    if messages is not None:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(messages, tmp)
        tmp.close()
        argv += ["--messages", tmp.name]
    else:
        argv += ["--say", say]
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired as err:
        raise AssertionError(f"llm_turn did not end within 15 s: {err.stderr!r}") from None
    finally:
        if tmp:
            os.unlink(tmp.name)
    assert_no_sanitizer_report(r.stderr, "llm_turn")
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert SECRET_WORDS not in r.stderr, "caller text in the logs: " + r.stderr
    out = json.loads(r.stdout)
    out["stderr"] = r.stderr
    return out


def _only_valid(fake, n):
    reqs = fake.requests()
    assert len(reqs) == n, reqs
    bad = [r["problems"] for r in reqs if not r["valid"]]
    assert not bad, bad
    return reqs


def _system_prompt(req):
    msgs = req["body"]["messages"]
    assert msgs[0]["role"] == "system"
    return msgs[0]["content"]


def test_a_plain_reply_comes_back_as_text():
    with Fake([{"reply": "We open at eight in the morning."}]) as fake:
        out = turn(fake.url)
        assert out["outcome"] == "reply", out
        assert out["reply"] == "We open at eight in the morning."
        assert out["tool_calls"] == []
        assert out["prompt_tokens"] > 0 and out["completion_tokens"] == 12
        req = _only_valid(fake, 1)[0]
        body = req["body"]
        assert body["model"] == MODEL and body["tool_choice"] == "auto"
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        assert body["messages"][1]["content"] == SECRET_WORDS
        assert "We open at eight" not in out["stderr"]


def test_the_request_carries_the_dental_clinic_prompt_and_nothing_of_the_salon():
    with Fake([{"reply": "Hello."}, {"reply": "Hi."}]) as fake:
        turn(fake.url, config=DENTAL)
        turn(fake.url, config=SALON)
        dental, salon = (_system_prompt(r) for r in _only_valid(fake, 2))
        for fact in ("Bright Smile Dental", "Cleaning", "120.00 USD", "Whitening", "350.00 USD",
                     "Monday: 08:00-12:00, 13:00-17:00", "America/New_York", NOW):
            assert fact in dental, fact
        for fact in ("Studio Nine", "haircut", "65.00", "Beard trim", "America/Chicago", "Lake Street"):
            assert fact not in dental, fact
        for fact in ("Bright Smile", "Cleaning", "120.00", "Delta Dental", "America/New_York"):
            assert fact not in salon, fact
        tools = fake.requests()[0]["body"]["tools"]
        service_enum = tools[1]["function"]["parameters"]["properties"]["service"]["enum"]
        assert service_enum == ["Cleaning", "X-rays", "Whitening", "Filling", "Emergency visit"]


def test_a_book_tool_call_comes_back_with_its_arguments_parsed():
    args = {"service": "Cleaning", "day": "2026-03-05", "time": "10:30", "caller_name": " Ann Lee "}
    with Fake([{"tool_calls": [{"id": "call_abc", "name": "book", "arguments": args}]}]) as fake:
        out = turn(fake.url)
        assert out["outcome"] == "tool_calls", out
        assert out["tool_calls"] == [{"tool": "book", "id": "call_abc", "service": "Cleaning",
                                      "day": "2026-03-05", "time": "10:30", "caller_name": "Ann Lee"}]
        assert "Ann Lee" not in out["stderr"]
        _only_valid(fake, 1)


def test_two_tool_calls_and_the_words_said_with_them_come_back_together():
    step = {"reply": "Let me check that for you.", "tool_calls": [
        {"name": "check_availability", "arguments": {"service": "Whitening", "day": "2026-03-06"}},
        {"name": "take_message", "arguments": {"caller_name": "Bo", "callback_number": "+12015550123",
                                               "message": "Please call me back.\nThanks."}}]}
    with Fake([step]) as fake:
        out = turn(fake.url)
        assert out["outcome"] == "tool_calls", out
        assert out["reply"] == "Let me check that for you."
        calls = out["tool_calls"]
        assert [c["tool"] for c in calls] == ["check_availability", "take_message"]
        assert calls[0]["service"] == "Whitening" and calls[0]["day"] == "2026-03-06"
        assert "time" not in calls[0]
        assert calls[1]["callback_number"] == "+12015550123"
        assert calls[1]["message"] == "Please call me back.\nThanks."
        assert calls[0]["id"] != calls[1]["id"]
        _only_valid(fake, 1)


def test_a_slow_answer_ends_as_a_timeout_within_the_budget_and_the_request_is_cancelled():
    budget = 600
    with Fake([{"delay_ms": 5000, "reply": "Too late."}]) as fake:
        out = turn(fake.url, budget_ms=budget, linger_ms=1500)
        assert out["outcome"] == "timeout", out
        # libevent times with a coarse monotonic clock: the timer may fire a few ms early.
        assert budget - 10 <= out["elapsed_ms"] <= budget + 150, out["elapsed_ms"]
        assert out["reply"] is None and out["tool_calls"] == []
        req = _only_valid(fake, 1)[0]
        # The client hung up at the budget's end, while the driver lingered on: the
        # request was cancelled, not merely dropped at exit.
        closed = req["client_closed_ms"]
        assert closed is not None and closed <= budget + 300, req
        assert 'frontdesk_llm_turns_total{outcome="timeout"} 1' in out["metrics"]
        assert "frontdesk_llm_fallbacks_total 1" in out["metrics"]
        assert '"outcome":"timeout"' in out["stderr"]          # logged as a fallback


def test_a_reply_just_inside_the_budget_is_used():
    with Fake([{"delay_ms": 200, "reply": "Just in time."}]) as fake:
        out = turn(fake.url, budget_ms=1500)
        assert out["outcome"] == "reply" and out["reply"] == "Just in time.", out
        assert fake.requests()[0]["client_closed_ms"] is None


def test_every_broken_answer_ends_as_a_fallback():
    expected = {"not-json": ("invalid", "not JSON"), "no-choices": ("invalid", "no choices"),
                "no-content": ("invalid", "neither content nor tool calls"),
                "bad-arguments": ("invalid", "book: arguments are not JSON"),
                "unknown-tool": ("invalid", "unknown tool"),
                "http-500": ("http_error", "HTTP status 500")}
    with Fake([{"broken": k} for k in expected]) as fake:
        for kind, (outcome, why) in expected.items():
            out = turn(fake.url)
            assert out["outcome"] == outcome, (kind, out)
            assert why in out["why"], (kind, out["why"])
            assert out["reply"] is None and out["tool_calls"] == [], (kind, out)
        _only_valid(fake, len(expected))


def test_tool_calls_with_bad_arguments_are_refused():
    long_name = "x" * 101
    cases = [
        ({"service": "Cleaning", "day": "2026-03-05", "caller_name": "Ann"}, "book: time is missing"),
        ({"service": "Cleaning", "day": "2026-03-05", "time": 1030, "caller_name": "Ann"},
         "book: time is not a string"),
        ({"service": "Cleaning", "day": "2026-02-30", "time": "10:30", "caller_name": "Ann"},
         "book: day is not a date YYYY-MM-DD"),
        ({"service": "Cleaning", "day": "2026-03-05", "time": "25:00", "caller_name": "Ann"},
         "book: time is not a time HH:MM"),
        ({"service": "Cleaning", "day": "2026-03-05", "time": "10:30", "caller_name": long_name},
         "book: caller_name is too long"),
        ({"service": "  ", "day": "2026-03-05", "time": "10:30", "caller_name": "Ann"},
         "book: service is empty"),
        ("[1, 2]", "book: arguments are not a JSON object"),
    ]
    script = [{"tool_calls": [{"name": "book", "arguments": a if isinstance(a, dict) else a}]}
              for a, _ in cases]
    script.append({"tool_calls": [{"name": "take_message", "arguments": {
        "caller_name": "Bo", "callback_number": "201-555-0123", "message": "hi"}}]})
    script.append({"tool_calls": [{"name": "end_call", "arguments": {}},
                                  {"name": "transfer", "arguments": {}}]})
    script.append({"tool_calls": [{"name": "end_call", "arguments": ""}] * 5})
    whys = [w for _, w in cases] + ["take_message: callback_number is not an E.164 number",
                                    "transfer: reason is missing", "5 tool calls, more than 4"]
    with Fake(script) as fake:
        for why in whys:
            out = turn(fake.url)
            assert out["outcome"] == "invalid", (why, out)
            assert out["why"] == why, (why, out["why"])
            assert long_name not in out["stderr"]
        _only_valid(fake, len(whys))


def test_a_tool_without_arguments_may_send_an_empty_string():
    with Fake([{"tool_calls": [{"name": "end_call", "arguments": ""},
                               {"name": "cancel_booking", "arguments": "{}"}]}]) as fake:
        out = turn(fake.url)
        assert out["outcome"] == "tool_calls", out
        assert [c["tool"] for c in out["tool_calls"]] == ["end_call", "cancel_booking"]


def test_tool_results_are_fed_back_as_a_conversation_the_fake_accepts():
    history = [
        {"role": "user", "text": "I'd like a cleaning on Thursday at ten thirty, I'm Ann Lee."},
        {"role": "assistant", "text": None, "tool_calls": [
            {"id": "call_7", "name": "book", "arguments": {
                "service": "Cleaning", "day": "2026-03-05", "time": "10:30", "caller_name": "Ann Lee"}}]},
        {"role": "tool", "tool_call_id": "call_7",
         "text": json.dumps({"booked": True, "start": "2026-03-05T10:30"})},
    ]
    with Fake([{"reply": "You're booked for Thursday at 10:30."}]) as fake:
        out = turn(fake.url, messages=history)
        assert out["outcome"] == "reply", out
        msgs = _only_valid(fake, 1)[0]["body"]["messages"]
        assert [m["role"] for m in msgs] == ["system", "user", "assistant", "tool"]
        call = msgs[2]["tool_calls"][0]
        assert call["id"] == "call_7" and call["type"] == "function"
        assert call["function"]["name"] == "book"
        assert json.loads(call["function"]["arguments"]) == {
            "service": "Cleaning", "day": "2026-03-05", "time": "10:30", "caller_name": "Ann Lee"}
        assert msgs[2]["content"] is None
        assert msgs[3] == {"role": "tool", "tool_call_id": "call_7",
                           "content": history[2]["text"]}


def test_the_fake_refuses_a_wrong_key_and_the_client_reports_an_http_error():
    with Fake([{"reply": "never sent"}]) as fake:
        out = turn(fake.url, key="sk-wrong")
        assert out["outcome"] == "http_error" and out["status"] == 400, out
        reqs = fake.requests()
        assert len(reqs) == 1 and reqs[0]["valid"] is False
        assert "Authorization is not the Bearer key" in reqs[0]["problems"]


def test_an_unreachable_server_is_an_http_error_well_inside_the_budget():
    port = free_port()      # nothing listens there
    out = turn(f"http://127.0.0.1:{port}", budget_ms=2500)
    assert out["outcome"] == "http_error" and out["status"] == 0, out
    assert out["elapsed_ms"] < 1000, out


def test_the_fake_checker_catches_a_malformed_request():
    """The fake itself: a request without tools or with a bad role is refused."""
    with Fake([]) as fake:
        body = {"model": MODEL, "tool_choice": "auto", "tools": [],
                "messages": [{"role": "system", "content": "x"}, {"role": "caller", "content": "y"}]}
        status, _, raw = http("POST", fake.url + "/v1/chat/completions", json.dumps(body),
                              {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
        assert status == 400, raw
        problems = fake.requests()[0]["problems"]
        assert any("not the six receptionist tools" in p for p in problems), problems
        assert any("role 'caller'" in p for p in problems), problems
