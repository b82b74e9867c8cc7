"""The alert rules, the dashboard and KEDA's queries of k8s/ speak of metrics the binaries
really export (a renamed metric must not silently blind an alert), every alert has a
runbook entry in docs/runbook.md, and the rules are valid: `promtool check rules` when
promtool is installed (Debian's prometheus package; FD_PROMTOOL names another), our own
syntax checks always (the package starts a daemon when installed, so CI goes without)."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import yaml

from kustomize_lite import render

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MONITORING = os.path.join(ROOT, "k8s", "monitoring")
RUNBOOK = os.path.join(ROOT, "docs", "runbook.md")
SOURCES = ("api", "web", "workers", "lib")
METRIC = re.compile(r"\bfrontdesk_[a-z0-9_]+")
DURATION = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
# What the issue asked to be alerted on, by the alert that covers it.
REQUIRED_ALERTS = {"FrontdeskBacklogOldestWait", "FrontdeskTenantsWaitingWithoutWorker",
                   "FrontdeskNoWorker", "FrontdeskDeadLetters", "FrontdeskOutboxGrowing",
                   "FrontdeskTelnyxErrors", "FrontdeskRedisMemoryHigh", "FrontdeskRedisDown",
                   "FrontdeskPostgresDown", "FrontdeskTurnLatencyHigh"}


def rule_groups():
    rule = next(o for o in render(MONITORING) if o["kind"] == "PrometheusRule")
    return rule["spec"]["groups"]


def alerts():
    return [r for g in rule_groups() for r in g["rules"] if "alert" in r]


def exported_metrics():
    """Every frontdesk_* family name written in the binaries' sources."""
    names = set()
    for top in SOURCES:
        for folder, _, files in os.walk(os.path.join(ROOT, top)):
            for n in files:
                if n.endswith(".c"):
                    with open(os.path.join(folder, n), encoding="utf-8") as f:
                        names.update(METRIC.findall(f.read()))
    return names


def family(name):
    return re.sub(r"_(bucket|sum|count)$", "", name)


def unknown_metrics(text, exported):
    return sorted({m for m in METRIC.findall(text) if m not in exported and family(m) not in exported})


def slug(heading):
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def syntax_problems(expr):
    problems = []
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    in_string = False
    for ch in expr:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                problems.append(f"unbalanced {ch!r}")
                break
    if stack or in_string:
        problems.append("unclosed bracket or string")
    for rng in re.findall(r"\[([^\]]*)\]", expr):
        if not DURATION.match(rng.split(":")[0]):
            problems.append(f"range [{rng}] is not a duration")
    return problems


def test_every_required_alert_exists_once_with_severity_summary_and_runbook():
    names = [a["alert"] for a in alerts()]
    assert len(names) == len(set(names)), names
    assert REQUIRED_ALERTS <= set(names), REQUIRED_ALERTS - set(names)
    with open(RUNBOOK, encoding="utf-8") as f:
        anchors = {slug(h) for h in re.findall(r"^#{2,3} (.+)$", f.read(), re.M)}
    for a in alerts():
        assert a["labels"]["severity"] in ("critical", "warning"), a["alert"]
        assert a["annotations"]["summary"] and a["annotations"]["description"], a["alert"]
        url = a["annotations"]["runbook_url"]
        assert url.split("#")[0].endswith("runbook.md"), url
        assert url.split("#")[1] in anchors, f"{a['alert']}: docs/runbook.md has no heading #{url.split('#')[1]}"
        if "for" in a:
            assert DURATION.match(a["for"]), a["for"]


def test_every_expression_is_well_formed():
    for a in alerts():
        assert syntax_problems(a["expr"]) == [], (a["alert"], syntax_problems(a["expr"]))
        for text in a["annotations"].values():
            assert text.count("{{") == text.count("}}"), (a["alert"], text)


def test_rules_dashboard_and_scaler_use_only_metrics_the_binaries_export():
    exported = exported_metrics()
    assert "frontdesk_backlog_oldest_wait_seconds" in exported     # the scan itself works
    for a in alerts():
        assert unknown_metrics(a["expr"], exported) == [], (a["alert"], unknown_metrics(a["expr"], exported))
    with open(os.path.join(MONITORING, "frontdesk-dashboard.json"), encoding="utf-8") as f:
        dashboard = json.load(f)
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert exprs
    for e in exprs:
        assert unknown_metrics(e, exported) == [] and syntax_problems(e) == [], e
    scaling = os.path.join(ROOT, "k8s", "overlays", "production", "worker-scaling.yaml")
    with open(scaling, encoding="utf-8") as f:
        scaled = yaml.safe_load(f)
    for t in scaled["spec"]["triggers"]:
        if t["type"] == "prometheus":
            q = t["metadata"]["query"]
            assert unknown_metrics(q, exported) == [] and syntax_problems(q) == [], q


def test_promtool_accepts_the_rules_where_it_is_installed():
    promtool = os.environ.get("FD_PROMTOOL") or shutil.which("promtool")
    if promtool is None:
        return      # checked above by our own means; promtool's package starts a daemon
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump({"groups": rule_groups()}, f)
    try:
        r = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    finally:
        os.unlink(f.name)


def test_the_checks_see_a_renamed_metric_and_a_broken_expression():
    exported = exported_metrics()
    assert unknown_metrics("max(frontdesk_backlog_oldest_wait_ms) > 10", exported) == [
        "frontdesk_backlog_oldest_wait_ms"]
    assert unknown_metrics("rate(frontdesk_call_turn_latency_seconds_bucket[5m])", exported) == []
    assert syntax_problems("sum(rate(x[5m])") != []
    assert syntax_problems("rate(x[5 minutes])") != []
    assert syntax_problems('sum by (a) (rate(x{b="(("}[5m]))') == []
