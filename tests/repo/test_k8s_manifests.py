"""k8s/ renders, and every overlay holds what docs/deploy.md promises an operator:
containers with requests, limits, probes and the restricted security context; no
Secret with a value; images pinned by tag; a NetworkPolicy path to every Service port;
only the webhooks and the owner API routed from outside; migrations before the pods
that need them; the workers scaled on their backlog with max, never sum.

Rendered with kustomize_lite.py (the subset of kustomize k8s/ uses; CI has no
kubectl). Where kubectl exists, its rendering is compared with ours."""
import copy
import os
import re
import shutil
import subprocess

import yaml

import manifest_checks as mc
from kustomize_lite import KustomizeError, render, retag, strategic_merge

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
K8S = os.path.join(ROOT, "k8s")
OVERLAYS = {"dev": False, "production": True}     # overlay -> needs KEDA
DEPLOY_DOC = os.path.join(ROOT, "docs", "deploy.md")


def rendered(overlay):
    return render(os.path.join(K8S, "overlays", overlay))


def all_problems(objects, needs_keda):
    return (mc.container_problems(objects) + mc.secret_problems(objects) + mc.image_problems(objects)
            + mc.network_path_problems(objects) + mc.ingress_problems(objects)
            + mc.availability_problems(objects) + mc.release_problems(objects)
            + mc.scaling_problems(objects, needs_keda) + mc.namespace_problems(objects))


def test_every_overlay_renders_and_keeps_every_rule():
    for overlay, needs_keda in OVERLAYS.items():
        objects = rendered(overlay)
        kinds = {o["kind"] for o in objects}
        assert {"Deployment", "Service", "Ingress", "NetworkPolicy", "PodDisruptionBudget",
                "HorizontalPodAutoscaler", "ServiceAccount", "ConfigMap", "Namespace"} <= kinds, overlay
        problems = all_problems(objects, needs_keda)
        assert problems == [], f"{overlay}:\n  " + "\n  ".join(problems)


def test_every_overlay_runs_api_worker_and_web_from_one_image():
    for overlay in OVERLAYS:
        objects = rendered(overlay)
        images, commands = set(), set()
        for obj in mc.workloads(objects):
            if mc.is_frontdesk(obj):
                for c in obj["spec"]["template"]["spec"]["containers"]:
                    images.add(c["image"])
                    commands.add(c["command"][0])
        assert len(images) == 1, (overlay, images)
        assert commands == {"/usr/local/bin/frontdesk-" + b for b in ("api", "worker", "web")}, commands


def test_dev_brings_its_own_redis_and_postgres_and_production_does_not():
    def stateful(overlay):
        return {o["metadata"]["name"] for o in rendered(overlay) if o["kind"] == "StatefulSet"}
    assert stateful("dev") == {"redis", "postgres"}
    assert stateful("production") == set()
    redis = next(o for o in rendered("dev") if o["metadata"]["name"] == "redis" and o["kind"] == "StatefulSet")
    args = redis["spec"]["template"]["spec"]["containers"][0]["args"]
    settings = dict(zip(args[1::2], args[2::2]))
    assert settings["--appendonly"] == "yes" and settings["--appendfsync"] == "always"
    assert settings["--maxmemory-policy"] == "noeviction"


def test_every_secret_the_manifests_read_has_its_create_command_in_deploy_md():
    with open(DEPLOY_DOC, encoding="utf-8") as f:
        doc = f.read()
    created = {}
    for m in re.finditer(r"kubectl\b[^\n]*?create secret generic ([\w-]+)((?:\\\n|[^\n])*)", doc):
        created.setdefault(m.group(1), set()).update(re.findall(r"--from-literal=([\w-]+)=", m.group(2)))
    missing = []
    for overlay in OVERLAYS:
        for name, key in mc.secret_refs(rendered(overlay)):
            if name not in created or (key is not None and key not in created[name]):
                missing.append(f"{overlay}: {name}/{key}")
    assert not missing, "no `kubectl create secret generic` in docs/deploy.md for:\n  " + "\n  ".join(missing)


def test_monitoring_renders_a_pod_monitor_rules_and_a_dashboard():
    objects = render(os.path.join(K8S, "monitoring"))
    assert sorted(o["kind"] for o in objects) == ["ConfigMap", "PodMonitor", "PrometheusRule"]
    monitor = next(o for o in objects if o["kind"] == "PodMonitor")
    ports = {e["port"] for e in monitor["spec"]["podMetricsEndpoints"]}
    for overlay in OVERLAYS:
        for obj in mc.workloads(rendered(overlay)):
            if mc.is_frontdesk(obj):
                named = {p["name"] for c in obj["spec"]["template"]["spec"]["containers"]
                         for p in c.get("ports", [])}
                assert named & ports, f"{mc.name_of(obj)} has no port the PodMonitor scrapes"
    dashboard = next(o for o in objects if o["kind"] == "ConfigMap")
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"


def test_the_renderer_agrees_with_kubectl_where_kubectl_exists():
    """CI has no kubectl; a developer's machine may, and then both must agree exactly."""
    if shutil.which("kubectl") is None:
        return
    for folder in [os.path.join(K8S, "overlays", o) for o in OVERLAYS] + [os.path.join(K8S, "monitoring")]:
        out = subprocess.run(["kubectl", "kustomize", folder], capture_output=True, text=True, check=True)
        theirs = sorted((yaml.safe_dump(o, sort_keys=True) for o in yaml.safe_load_all(out.stdout) if o))
        ours = sorted(yaml.safe_dump(o, sort_keys=True) for o in render(folder))
        assert ours == theirs, folder


def test_the_renderer_merges_patches_retags_and_refuses_what_it_does_not_know():
    base = {"spec": {"containers": [{"name": "a", "image": "x", "env": [{"name": "E", "value": "1"}]},
                                    {"name": "b", "image": "y"}], "tls": [{"hosts": ["h"]}]}}
    patch = {"spec": {"containers": [{"name": "a", "env": [{"name": "F", "value": "2"}]}],
                      "tls": [{"hosts": ["k"]}]}}
    merged = strategic_merge(base, patch)
    assert [c["name"] for c in merged["spec"]["containers"]] == ["a", "b"]
    assert merged["spec"]["containers"][0]["env"] == [{"name": "E", "value": "1"}, {"name": "F", "value": "2"}]
    assert merged["spec"]["tls"] == [{"hosts": ["k"]}]
    assert retag("frontdesk", {"name": "frontdesk", "newName": "r.io:5000/fd", "newTag": "1.2"}) == "r.io:5000/fd:1.2"
    assert retag("r.io:5000/other:3", {"name": "frontdesk", "newTag": "1.2"}) == "r.io:5000/other:3"
    tmp = os.path.join(ROOT, "build", "k8s-renderer-check")
    os.makedirs(tmp, exist_ok=True)
    with open(os.path.join(tmp, "kustomization.yaml"), "w") as f:
        f.write("resources: []\nreplicas:\n  - {name: x, count: 2}\n")
    try:
        render(tmp)
        raise AssertionError("an unknown kustomize field was accepted")
    except KustomizeError as err:
        assert "replicas" in str(err)
    finally:
        shutil.rmtree(tmp)


def test_each_check_sees_the_breach_it_is_for():
    """Break a good rendering one way at a time: the matching check must say so."""
    good = rendered("production")

    def broken(kind, name, change):
        objects = copy.deepcopy(good)
        change(next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name))
        return objects

    def api_container(o):
        return o["spec"]["template"]["spec"]["containers"][0]

    cases = [
        (mc.container_problems, broken("Deployment", "frontdesk-api",
                                       lambda o: api_container(o)["resources"].pop("limits")), "memory limit"),
        (mc.container_problems, broken("Deployment", "frontdesk-api",
                                       lambda o: api_container(o).pop("readinessProbe")), "readinessProbe"),
        (mc.container_problems, broken("Deployment", "frontdesk-worker",
                                       lambda o: o["spec"]["template"]["spec"]["initContainers"][0]
                                       ["securityContext"]["capabilities"].update(drop=[])), "drop ALL"),
        (mc.image_problems, broken("Deployment", "frontdesk-web",
                                   lambda o: o["spec"]["template"]["spec"]["containers"][0]
                                   .update(image="registry.example.com/frontdesk:latest")), "not pinned"),
        (mc.network_path_problems, broken("NetworkPolicy", "frontdesk-web",
                                          lambda o: o["spec"]["ingress"][0].update(ports=[{"port": 9999}])),
         "no NetworkPolicy"),
        (mc.ingress_problems, broken("Ingress", "frontdesk",
                                     lambda o: o["spec"]["rules"][0]["http"]["paths"][0]
                                     .update(path="/", pathType="Prefix")), "exposes /metrics"),
        (mc.ingress_problems, broken("Ingress", "frontdesk",
                                     lambda o: o["spec"]["rules"][0]["http"]["paths"].pop()),
         "is not routed to web"),
        (mc.availability_problems, broken("ServiceAccount", "frontdesk-api",
                                          lambda o: o.pop("automountServiceAccountToken")), "mounts its token"),
        (mc.release_problems, broken("Deployment", "frontdesk-web",
                                     lambda o: o["spec"]["template"]["spec"].pop("initContainers")),
         "without applying migrations"),
        (lambda objs: mc.scaling_problems(objs, True),
         broken("ScaledObject", "frontdesk-worker",
                lambda o: o["spec"]["triggers"][1]["metadata"].update(
                    query="sum(frontdesk_backlog_oldest_wait_seconds)")), "not max"),
    ]
    for check, objects, expected in cases:
        found = check(objects)
        assert any(expected in p for p in found), (expected, found)
    with_secret = copy.deepcopy(good) + [{"apiVersion": "v1", "kind": "Secret",
                                          "metadata": {"name": "s", "namespace": "frontdesk"},
                                          "stringData": {"url": "redis://:pw@r"}}]
    assert mc.secret_problems(with_secret) == ["Secret/s carries stringData"]
