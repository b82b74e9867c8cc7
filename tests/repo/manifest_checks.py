"""What an operator may take for granted in any rendered overlay of k8s/: each function
takes the rendered objects (kustomize_lite.render) and returns its problems, one line
each ([] when there are none), so tests can also feed it broken objects and see it fail.
"""
import re

from kustomize_lite import containers, pod_spec, pod_template, split_image

LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet"}
WEBHOOK_PATHS = {"/webhooks/telnyx", "/webhooks/stripe"}
PRIVATE_PATHS = ("/healthz", "/readyz", "/metrics")
# The dashboard's addresses, served by frontdesk-web (web/README.md, "The dashboard"):
# its files and each page's address, (path, pathType). A new top-level page adds a row
# here and in k8s/base/ingress.yaml.
DASHBOARD_PATHS = {("/", "Exact"), ("/login", "Exact"), ("/signup", "Exact"), ("/billing", "Exact"),
                   ("/assets", "Prefix"), ("/calls", "Prefix"),
                   ("/bookings", "Prefix")}


def name_of(obj):
    return f'{obj["kind"]}/{obj["metadata"]["name"]}'


def workloads(objects):
    return [o for o in objects if pod_spec(o) is not None]


def is_frontdesk(obj):
    return obj["metadata"].get("labels", {}).get("app.kubernetes.io/name") == "frontdesk"


def container_problems(objects):
    """Requests, a memory limit, probes on long-running containers, and the restricted
    security context on every container, init containers included."""
    problems = []
    for obj in workloads(objects):
        spec = pod_spec(obj)
        pod_sc = spec.get("securityContext", {})
        mains = {c["name"] for c in spec.get("containers", [])}
        for c in containers(obj):
            where = f'{name_of(obj)} container {c["name"]}'
            res = c.get("resources", {})
            for key in ("cpu", "memory"):
                if key not in res.get("requests", {}):
                    problems.append(f"{where}: no {key} request")
            if "memory" not in res.get("limits", {}):
                problems.append(f"{where}: no memory limit")
            if obj["kind"] in LONG_RUNNING and c["name"] in mains:
                for probe in ("livenessProbe", "readinessProbe"):
                    if probe not in c:
                        problems.append(f"{where}: no {probe}")
            sc = c.get("securityContext", {})
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: root filesystem is not read-only")
            if "ALL" not in sc.get("capabilities", {}).get("drop", []):
                problems.append(f"{where}: capabilities do not drop ALL")
            if sc.get("capabilities", {}).get("add"):
                problems.append(f"{where}: adds capabilities")
            if sc.get("privileged"):
                problems.append(f"{where}: privileged")
            if not sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")):
                problems.append(f"{where}: runAsNonRoot is not true")
            if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
                problems.append(f"{where}: runs as user 0")
            seccomp = sc.get("seccompProfile", pod_sc.get("seccompProfile", {})).get("type")
            if seccomp not in ("RuntimeDefault", "Localhost"):
                problems.append(f"{where}: no RuntimeDefault seccomp profile")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            problems.append(f"{name_of(obj)}: shares a host namespace")
    return problems


def secret_problems(objects):
    """No Secret in a rendered overlay carries a value: applying it must never replace
    the operator's real secrets."""
    return [f"{name_of(o)} carries {', '.join(k for k in ('data', 'stringData') if o.get(k))}"
            for o in objects if o["kind"] == "Secret" and (o.get("data") or o.get("stringData"))]


def image_problems(objects):
    """Every image names a tag (a version), never `latest` nor none."""
    problems = []
    for obj in workloads(objects):
        for c in containers(obj):
            image = c.get("image", "")
            _, tag = split_image(image)
            if "@sha256:" in image:
                continue
            if not tag or tag == "latest":
                problems.append(f'{name_of(obj)} container {c["name"]}: image {image!r} is not pinned by tag')
    return problems


def secret_refs(objects):
    """(secret, key) pairs the workloads read, key None for a whole-Secret envFrom."""
    refs = set()
    for obj in workloads(objects):
        for c in containers(obj):
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    refs.add((ref["name"], ref["key"]))
            for e in c.get("envFrom", []):
                if "secretRef" in e:
                    refs.add((e["secretRef"]["name"], None))
    return refs


def selector_matches(selector, labels):
    """A LabelSelector (matchLabels and matchExpressions) against a set of labels."""
    for k, v in selector.get("matchLabels", {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions", []):
        op, key, values = expr["operator"], expr["key"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def pod_labels(obj):
    return pod_template(obj).get("metadata", {}).get("labels", {}) if pod_template(obj) else {}


def container_port(obj, target):
    """The container port a Service's targetPort names (a number or a port's name)."""
    for c in pod_spec(obj).get("containers", []):
        for p in c.get("ports", []):
            if target in (p.get("name"), p.get("containerPort")):
                return p
    return None


def network_path_problems(objects):
    """Every port of every Service reaches its pods through some NetworkPolicy: with the
    namespace's default deny, a port no policy opens is a Service that silently fails."""
    problems = []
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    if not any(p["spec"].get("podSelector") == {} and "Ingress" in p["spec"].get("policyTypes", [])
               and not p["spec"].get("ingress") for p in policies):
        problems.append("no default-deny NetworkPolicy (podSelector {}, Ingress, no rule)")
    for svc in (o for o in objects if o["kind"] == "Service"):
        selector = {"matchLabels": svc["spec"].get("selector", {})}
        pods = [w for w in workloads(objects) if selector_matches(selector, pod_labels(w))
                and w["metadata"].get("namespace") == svc["metadata"].get("namespace")]
        if not pods:
            problems.append(f"{name_of(svc)}: selects no workload")
            continue
        for port in svc["spec"].get("ports", []):
            target = port.get("targetPort", port["port"])
            for w in pods:
                cport = container_port(w, target)
                if cport is None:
                    problems.append(f"{name_of(svc)} port {port['port']}: {name_of(w)} has no port {target!r}")
                    continue
                names = {cport.get("name"), cport["containerPort"]}
                if not any(policy_opens(p, pod_labels(w), names) for p in policies
                           if p["metadata"].get("namespace") == svc["metadata"].get("namespace")):
                    problems.append(f"{name_of(svc)} port {port['port']}: no NetworkPolicy lets "
                                    f"anything reach {name_of(w)} on {target!r}")
    return problems


def policy_opens(policy, labels, port_names):
    spec = policy["spec"]
    if "Ingress" not in spec.get("policyTypes", ["Ingress"]):
        return False
    if not selector_matches(spec.get("podSelector", {}), labels):
        return False
    for rule in spec.get("ingress", []):
        ports = rule.get("ports")
        if not ports or any(p.get("port") in port_names for p in ports):
            return True
    return False


def path_reaches(rule_path, path_type, path):
    if path_type == "Exact":
        return rule_path == path
    prefix = rule_path.rstrip("/")
    return prefix == "" or path == prefix or path.startswith(prefix + "/")


def ingress_problems(objects):
    """Only the webhooks (to the api) and the owner API and dashboard (to web, every
    address of the dashboard) are routed, over TLS from cert-manager; the probes and
    /metrics of every pod stay inside."""
    problems = []
    ingresses = [o for o in objects if o["kind"] == "Ingress"]
    if not ingresses:
        return ["no Ingress"]
    for ing in ingresses:
        annotations = ing["metadata"].get("annotations", {})
        if not any(k.startswith("cert-manager.io/") for k in annotations):
            problems.append(f"{name_of(ing)}: no cert-manager annotation")
        tls_hosts = {h for t in ing["spec"].get("tls", []) for h in t.get("hosts", [])}
        for rule in ing["spec"].get("rules", []):
            if rule.get("host") not in tls_hosts:
                problems.append(f"{name_of(ing)}: host {rule.get('host')} without TLS")
            for p in rule.get("http", {}).get("paths", []):
                path, kind = p["path"], p.get("pathType", "Prefix")
                service = p["backend"]["service"]["name"]
                for private in PRIVATE_PATHS:
                    if path_reaches(path, kind, private):
                        problems.append(f"{name_of(ing)}: {path} ({kind}) exposes {private}")
                if service == "frontdesk-api" and not (kind == "Exact" and path in WEBHOOK_PATHS):
                    problems.append(f"{name_of(ing)}: {path} ({kind}) routes more than a webhook to the api")
                if service == "frontdesk-web" and not (path.startswith("/api/")
                                                       or (path, kind) in DASHBOARD_PATHS):
                    problems.append(f"{name_of(ing)}: {path} routes more than the owner API "
                                    f"and the dashboard to web")
        routed = {(p["path"], p.get("pathType", "Prefix")) for rule in ing["spec"].get("rules", [])
                  for p in rule.get("http", {}).get("paths", [])
                  if p["backend"]["service"]["name"] == "frontdesk-web"}
        for path, kind in sorted(DASHBOARD_PATHS - routed):
            problems.append(f"{name_of(ing)}: the dashboard's {path} ({kind}) is not routed to web")
    return problems


def availability_problems(objects):
    """Each frontdesk Deployment: a PodDisruptionBudget, spread over zones and nodes, a
    ServiceAccount of its own with no token, the app.kubernetes.io labels."""
    problems = []
    pdbs = [o for o in objects if o["kind"] == "PodDisruptionBudget"]
    accounts = {o["metadata"]["name"]: o for o in objects if o["kind"] == "ServiceAccount"}
    for obj in workloads(objects):
        spec, labels = pod_spec(obj), pod_labels(obj)
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{name_of(obj)}: the pod mounts a service account token")
        if not is_frontdesk(obj):
            continue
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/component", "app.kubernetes.io/part-of"):
            if key not in labels or key not in obj["metadata"].get("labels", {}):
                problems.append(f"{name_of(obj)}: no {key} label on it and its pods")
        if obj["kind"] in LONG_RUNNING:
            if not any(selector_matches(p["spec"]["selector"], labels) for p in pdbs):
                problems.append(f"{name_of(obj)}: no PodDisruptionBudget")
            keys = {t["topologyKey"] for t in spec.get("topologySpreadConstraints", [])}
            if not {"topology.kubernetes.io/zone", "kubernetes.io/hostname"} <= keys:
                problems.append(f"{name_of(obj)}: not spread over zones and nodes")
        sa = accounts.get(spec.get("serviceAccountName", "default"))
        if sa is None:
            problems.append(f"{name_of(obj)}: no ServiceAccount of its own")
        elif sa.get("automountServiceAccountToken") is not False:
            problems.append(f"ServiceAccount/{sa['metadata']['name']}: mounts its token")
    for o in objects:
        if o["kind"] != "Namespace" and "app.kubernetes.io/part-of" not in o["metadata"].get("labels", {}):
            problems.append(f"{name_of(o)}: no app.kubernetes.io/part-of label")
    return problems


def release_problems(objects):
    """Migrations before the pods that use PostgreSQL start (an init container running
    frontdesk-ctl migrate, with the owner's URL); the api never waits on PostgreSQL."""
    problems = []
    for obj in workloads(objects):
        if not is_frontdesk(obj):
            continue
        component = pod_labels(obj).get("app.kubernetes.io/component")
        inits = pod_spec(obj).get("initContainers", [])
        migrates = [c for c in inits if c.get("command", [])[-2:] == ["/usr/local/bin/frontdesk-ctl", "migrate"]]
        if component in ("worker", "web") and not migrates:
            problems.append(f"{name_of(obj)}: starts without applying migrations first")
        if component == "api" and inits:
            problems.append(f"{name_of(obj)}: the api waits on an init container (intake must not)")
        for c in migrates:
            refs = [e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", [])
                    if e["name"] == "FRONTDESK_DATABASE_URL" and "valueFrom" in e]
            if refs != ["frontdesk-database-owner"]:
                problems.append(f"{name_of(obj)}: migrate does not use the owner's URL")
        if obj["kind"] == "Deployment":
            rolling = obj["spec"].get("strategy", {}).get("rollingUpdate", {})
            if rolling.get("maxUnavailable") != 0:
                problems.append(f"{name_of(obj)}: a rollout may take old pods away before new ones serve")
    return problems


def scaling_problems(objects, needs_keda):
    """The api and web scale on CPU; in production the workers on their backlog with
    KEDA: global backlog gauges aggregated with max (never sum), a floor of 2, and a
    calm scale-down (leases move when a worker leaves)."""
    problems = []
    hpas = {o["spec"]["scaleTargetRef"]["name"]: o for o in objects if o["kind"] == "HorizontalPodAutoscaler"}
    for name in ("frontdesk-api", "frontdesk-web"):
        if name not in hpas:
            problems.append(f"Deployment/{name}: no HorizontalPodAutoscaler")
    scaled = [o for o in objects if o["kind"] == "ScaledObject"]
    if not needs_keda:
        return problems
    workers = [s for s in scaled if s["spec"]["scaleTargetRef"]["name"] == "frontdesk-worker"]
    if len(workers) != 1:
        return problems + ["Deployment/frontdesk-worker: not one ScaledObject"]
    spec = workers[0]["spec"]
    if spec.get("minReplicaCount", 0) < 2:
        problems.append("ScaledObject/frontdesk-worker: floor below 2")
    if not spec.get("maxReplicaCount"):
        problems.append("ScaledObject/frontdesk-worker: no ceiling")
    down = spec.get("advanced", {}).get("horizontalPodAutoscalerConfig", {}).get("behavior", {}).get("scaleDown", {})
    if down.get("stabilizationWindowSeconds", 0) < 120:
        problems.append("ScaledObject/frontdesk-worker: scale-down stabilisation under 2 minutes")
    queries = [t["metadata"]["query"] for t in spec.get("triggers", []) if t["type"] == "prometheus"]
    if not any("frontdesk_backlog_" in q for q in queries):
        problems.append("ScaledObject/frontdesk-worker: does not scale on the backlog")
    for q in queries:
        for m in re.finditer(r"(\w+)\s*(?:by\s*\([^)]*\)\s*)?\(\s*(frontdesk_backlog_\w+)", q):
            if m.group(1) != "max":
                problems.append(f"ScaledObject/frontdesk-worker: {m.group(2)} aggregated with "
                                f"{m.group(1)}, not max (every worker exports the same backlog)")
    return problems


def namespace_problems(objects):
    namespaces = [o for o in objects if o["kind"] == "Namespace"]
    problems = []
    for ns in namespaces:
        if ns["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") != "restricted":
            problems.append(f"{name_of(ns)}: Pod Security 'restricted' is not enforced")
    used = {o["metadata"].get("namespace") for o in objects if o["kind"] != "Namespace"}
    if len(used) != 1 or None in used:
        problems.append(f"objects spread over namespaces {sorted(map(str, used))}")
    elif namespaces and used != {namespaces[0]["metadata"]["name"]}:
        problems.append("the objects are not in the overlay's Namespace")
    return problems
