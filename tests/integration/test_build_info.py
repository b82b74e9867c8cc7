"""Which release runs, and metrics an operator's Prometheus can use as they are: every
binary prints the version it was built from on --version (no configuration needed, so
`kubectl exec` or `docker run IMAGE --version` works), every /metrics carries
frontdesk_build_info with that version, and every family follows the Prometheus
conventions the alert rules of k8s/monitoring/ rely on (HELP and TYPE, base units,
counters ending in _total)."""
import os
import re
import subprocess

from harness import BIN, ROOT, Sim, Worker, env, http, start_api
from webhelp import Web

E = env()
BINARIES = ("frontdesk-api", "frontdesk-worker", "frontdesk-web", "frontdesk-ctl")
VERSION = re.compile(r"^[A-Za-z0-9._+-]+$")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$")


def versions():
    """binary -> the version it prints, each run with no FRONTDESK_ variable at all."""
    bare = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    out = {}
    for name in BINARIES:
        r = subprocess.run([os.path.join(BIN, name), "--version"], env=bare, capture_output=True,
                           text=True, timeout=10)
        assert r.returncode == 0, (name, r.returncode, r.stderr)
        words = r.stdout.split()
        assert len(words) == 2 and words[0] == name, (name, r.stdout)
        out[name] = words[1]
    return out


def convention_problems(text):
    """What in one /metrics page breaks the conventions; [] when nothing does."""
    problems, helped, typed = [], set(), {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            helped.add(line.split()[2])
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            typed[name] = kind
            continue
        m = SAMPLE.match(line)
        if m is None:
            problems.append("not a sample: " + line)
            continue
        name = m.group(1)
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in typed else name
        if family not in typed or family not in helped:
            problems.append(f"{name}: no HELP and TYPE before it")
            continue
        if typed[family] == "counter" and not family.endswith("_total"):
            problems.append(f"{family}: a counter not ending in _total")
        if re.search(r"_(ms|millis|milliseconds|us|minutes|hours)$", family):
            problems.append(f"{family}: not in base units (seconds)")
    return problems


def test_every_binary_prints_the_same_version_without_configuration():
    got = versions()
    assert len(set(got.values())) == 1, got
    version = got["frontdesk-api"]
    assert VERSION.match(version), version
    if os.path.exists(os.path.join(ROOT, ".git")):     # git describe had something to say
        assert version != "unknown"


def test_api_worker_and_web_metrics_carry_build_info_and_follow_the_conventions():
    version = versions()["frontdesk-api"]
    api = start_api(E)
    sim = Sim(E, api)
    worker = Worker(E, sim)
    web = Web(E)
    pages = {
        "api": http("GET", api.url + "/metrics")[2].decode(),
        "worker": worker.metrics(),
        "web": web.call("GET", "/metrics")[2],
    }
    for binary, text in pages.items():
        assert f'frontdesk_build_info{{version="{version}",binary="{binary}"}} 1' in text, binary
        assert convention_problems(text) == [], (binary, convention_problems(text))
    assert "frontdesk_backlog_oldest_wait_seconds " in pages["worker"]
    assert "frontdesk_web_postgres_up 1" in pages["web"]      # what FrontdeskPostgresDown watches
    for p in (web, worker, sim, api):
        assert p.stop() == 0


def test_the_convention_check_sees_each_kind_of_breach():
    """The checker above can fail (a checker that finds nothing proves nothing)."""
    bad = ("# HELP a_ms x\n# TYPE a_ms gauge\na_ms 1\n"
           "# HELP b x\n# TYPE b counter\nb 2\n"
           "c_bucket{le=\"+Inf\"} 3\n")
    found = convention_problems(bad)
    assert any("a_ms" in p and "base units" in p for p in found), found
    assert any(p.startswith("b:") and "_total" in p for p in found), found
    assert any(p.startswith("c_bucket") for p in found), found
    good = "# HELP d_seconds x\n# TYPE d_seconds histogram\nd_seconds_bucket{le=\"+Inf\"} 1\nd_seconds_sum 0.1\nd_seconds_count 1\n"
    assert convention_problems(good) == []
