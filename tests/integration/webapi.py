"""The owner API under test: frontdesk-web started like the other binaries (harness.Proc,
stopped by PID, its log checked for sanitizer reports), and a client that checks every
answer it receives against web/openapi.json with the project's own OpenAPI checker
(tests/schemas/openapi_subset.py): the status must be one the operation lists (or its
"default"), the body must match that response's schema for its Content-Type, and a
path or method the document does not have fails the test."""
import json
import os
import re
import sys
import urllib.parse
import uuid

import harness
from harness import BIN, ROOT, Proc, free_port, http, wait_http

sys.path.insert(0, os.path.join(ROOT, "tests", "schemas"))

from openapi_subset import OpenApiSubset  # noqa: E402

OPENAPI = os.path.join(ROOT, "web", "openapi.json")


class Web(Proc):
    """frontdesk-web on a free port, on the given Redis and PostgreSQL (default: the
    run's)."""

    def __init__(self, e, **extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        vars_ = e.base_env(FRONTDESK_WEB_LISTEN=f"127.0.0.1:{self.port}", **extra)
        super().__init__([os.path.join(BIN, "frontdesk-web")], vars_, "frontdesk-web")
        wait_http(self.url + "/healthz")


class OpenApiCheck:
    """Answers checked against web/openapi.json."""

    def __init__(self, path=OPENAPI):
        self.spec = OpenApiSubset(path)
        self.templates = []     # (regex, method, path template)
        for method, template, _ in self.spec.operations.values():
            pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
            self.templates.append((re.compile(pattern), method, template))
        self.checked = set()    # (method, template, status) seen, for coverage checks

    def operation(self, method, path):
        """The path template of the operation that serves method and path."""
        for regex, m, template in self.templates:
            if m == method.lower() and regex.match(path):
                return template
        raise AssertionError(f"{method} {path}: no such operation in web/openapi.json")

    def check(self, method, path, status, headers, raw):
        template = self.operation(method, path)
        _, _, op = self.spec.operations[self.spec.aliases[f"{method.lower()} {template}"]]
        key = str(status) if str(status) in op["responses"] else "default"
        assert key in op["responses"], f"{method} {template}: status {status} is not documented"
        self.checked.add((method.upper(), template, status))
        if not raw:
            return None
        content_type = headers.get("Content-Type", "").split(";")[0].strip()
        body = json.loads(raw)
        errors = self.spec.errors(f"{method.lower()} {template}", body, key, content_type)
        assert errors == [], f"{method} {path} -> {status}: the answer does not match web/openapi.json:\n" \
            + "\n".join(errors) + "\n" + raw.decode()[:2000]
        return body


CHECK = OpenApiCheck()


class Client:
    """One signed-in user (or none) of a Web; every answer is checked by CHECK."""

    def __init__(self, web, token=None, csrf=None):
        self.web = web
        self.token = token
        self.csrf = csrf

    def request(self, method, path, body=None, query=None, raw_body=None, headers=None):
        """(status, parsed JSON body or None). query: a dict or a list of pairs."""
        url = self.web.url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        hdrs = dict(headers or {})
        if self.token:
            hdrs["Authorization"] = "Bearer " + self.token
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        status, got_headers, raw = http(method, url, data, hdrs)
        return status, CHECK.check(method, path, status, got_headers, raw)

    def get(self, path, **query):
        return self.request("GET", path, query=query or None)

    def get_ok(self, path, **query):
        status, body = self.get(path, **query)
        assert status == 200, (path, query, status, body)
        return body

    def post(self, path, body=None):
        return self.request("POST", path, body=body)

    def put(self, path, body):
        return self.request("PUT", path, body=body)

    def all_pages(self, path, limit, **query):
        """Every item of a list, page by page; also the pages' sizes."""
        items, sizes, cursor = [], [], None
        while True:
            q = dict(query, limit=limit)
            if cursor:
                q["cursor"] = cursor
            page = self.get_ok(path, **q)
            items += page["items"]
            sizes.append(len(page["items"]))
            cursor = page["next_cursor"]
            if cursor is None:
                return items, sizes
            assert len(sizes) < 1000, "a list that never ends"


def sign_up(web, business_name, email=None, password="correct horse battery staple", **extra):
    """A new business and its owner through POST /api/v1/signup; returns (client, body)."""
    email = email or f"owner-{uuid.uuid4().hex[:10]}@example.com"
    status, body = Client(web).post("/api/v1/signup", dict(business_name=business_name, email=email,
                                                              password=password, **extra))
    assert status == 201, (status, body)
    return Client(web, body["token"], body["csrf_token"]), body


def add_user(owner, role, password="another long password"):
    """A user of the owner's business, signed in; returns its client."""
    email = f"{role}-{uuid.uuid4().hex[:10]}@example.com"
    status, body = owner.post("/api/v1/users", {"email": email, "password": password, "role": role})
    assert status == 201, (status, body)
    status, body = Client(owner.web).post("/api/v1/login", {"email": email, "password": password})
    assert status == 200, (status, body)
    return Client(owner.web, body["token"], body["csrf_token"])
