"""web/openapi.json describes the owner API as web/routes.c serves it: one operation per
route and no other, public routes (sign-up, login) without security and every other
route with it, owner-only routes answering 403, and every $ref pointing at a component
that exists. The integration tests (tests/integration/openapi_check.py) check each
answer they receive against the same document."""
import json
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROUTE = re.compile(r'\{\s*WEB_(GET|POST|PUT|PATCH|DELETE)\s*,\s*"([^"]+)"\s*,\s*WEB_(\w+)\s*,')


def routes():
    """{(method, path): access} of the route table."""
    with open(os.path.join(ROOT, "web", "routes.c"), encoding="utf-8") as f:
        return {(m.lower(), p): a for m, p, a in ROUTE.findall(f.read())}


def document():
    with open(os.path.join(ROOT, "web", "openapi.json"), encoding="utf-8") as f:
        return json.load(f)


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, op


def test_every_route_has_an_operation_and_every_operation_a_route():
    table = routes()
    documented = {(m, p) for m, p, _ in operations(document())}
    assert len(table) >= 8, "the route table was not read"
    assert sorted(set(table) - documented) == [], "routes missing from web/openapi.json"
    assert sorted(documented - set(table)) == [], "operations of no route in web/routes.c"


def test_security_and_403_follow_who_may_call_each_route():
    table = routes()
    doc = document()
    assert doc["openapi"].startswith("3.1")
    for method, path, op in operations(doc):
        access = table[(method, path)]
        is_public = op.get("security") == []
        assert is_public == (access == "PUBLIC"), (method, path, access)
        if access == "OWNER":
            assert "403" in op["responses"], (method, path)
        assert op.get("operationId"), (method, path)


def test_every_ref_names_a_component_that_exists():
    doc = document()
    missing = []

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                _, _, section, name = ref.split("/", 3)
                if name not in doc["components"].get(section, {}):
                    missing.append(ref)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)
    assert missing == []


def test_path_parameters_are_declared_for_each_brace_of_the_path():
    doc = document()
    components = doc["components"]["parameters"]
    for method, path, op in operations(doc):
        declared = set()
        for p in op.get("parameters", []):
            if "$ref" in p:
                p = components[p["$ref"].rsplit("/", 1)[1]]
            if p["in"] == "path":
                declared.add(p["name"])
        assert declared == set(re.findall(r"\{(\w+)\}", path)), (method, path)
