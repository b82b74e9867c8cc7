"""Helpers for the model-mode tests (test_model_mode.py, test_model_mode_scripts.py): the
project's fake OpenAI-compatible server (tests/fake_llm/fake_openai.py) as a process of
the test, scripted per business, and the FRONTDESK_LLM_* a worker needs to use it."""
import json
import os

import harness
from harness import Proc, free_port, http, wait_http

FAKE = os.path.join(harness.ROOT, "tests", "fake_llm", "fake_openai.py")
KEY, MODEL = "sk-model-mode-test", "fake-model-mm"


class FakeModel(Proc):
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = ["/usr/bin/python3", FAKE, "--listen", f"127.0.0.1:{self.port}", "--key", KEY,
                "--model", MODEL]
        super().__init__(argv, dict(os.environ), "fake-openai")
        wait_http(self.url + "/_fake/requests")

    def worker_env(self, budget_ms):
        """The FRONTDESK_LLM_* of a worker that asks this fake, with a turn budget."""
        return {"FRONTDESK_LLM_URL": self.url + "/v1", "FRONTDESK_LLM_API_KEY": KEY,
                "FRONTDESK_LLM_MODEL": MODEL, "FRONTDESK_LLM_BUDGET_MS": budget_ms}

    def script_for(self, business_name, steps):
        """The steps the fake answers with to requests whose system prompt names the
        business (tests/fake_llm/fake_openai.py's header has the step format)."""
        status, _, raw = http("POST", self.url + "/_fake/script",
                              json.dumps({"match": business_name, "steps": steps}).encode(),
                              {"Content-Type": "application/json"})
        assert status == 200, raw

    def requests(self):
        status, _, raw = http("GET", self.url + "/_fake/requests")
        assert status == 200, raw
        return json.loads(raw)["requests"]

    def requests_of(self, name, reqs=None):
        """The recorded requests whose system prompt is business name's (of reqs when
        given, an earlier answer of requests())."""
        out = []
        for r in self.requests() if reqs is None else reqs:
            body = r.get("body") or {}
            msgs = body.get("messages") or [{}]
            if f"receptionist of {name}." in (msgs[0].get("content") or ""):
                out.append(r)
        return out
