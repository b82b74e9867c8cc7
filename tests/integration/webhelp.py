"""Helpers shared by the frontdesk-web integration tests: the binary on a free port,
JSON requests from a chosen loopback address (the rate limits count per client
address, so each test can have its own), each answer checked against web/openapi.json
(openapi_check.py), and signing a business up."""
import http.client
import itertools
import json
import os
import uuid

from harness import BIN, Proc, free_port, wait_for, wait_http
from harness import http as http_request
from openapi_check import CHECK

_addresses = itertools.count(2)


def fresh_address():
    """A loopback address of its own (127.0.1.N) to send requests from."""
    n = next(_addresses)
    return f"127.0.{1 + n // 250}.{n % 250 + 1}"


def wait_ready(url, timeout):
    wait_for(lambda: http_request("GET", url)[0] == 200, timeout=timeout, what=url + " answering 200")


class Web(Proc):
    """frontdesk-web on a free port, with the run's Redis and PostgreSQL. Unless told
    the stores are meant to be out of reach, it waits for /readyz: /healthz answers as
    soon as the loop runs, before Redis is connected, and a request then is refused."""

    def __init__(self, e, ready=True, **extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        vars_ = e.base_env(FRONTDESK_WEB_LISTEN=f"127.0.0.1:{self.port}", **extra)
        super().__init__([os.path.join(BIN, "frontdesk-web")], vars_, "frontdesk-web")
        wait_http(self.url + "/healthz", timeout=30)
        if ready:
            wait_ready(self.url + "/readyz", timeout=30)

    def call(self, method, path, body=None, token=None, cookie=None, csrf=None,
             source="127.0.0.1", raw=None, headers=None):
        """One request; returns (status, headers dict with lowercase names, parsed body or None)."""
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if cookie is not None:
            h["Cookie"] = "fd_session=" + cookie
        if csrf is not None:
            h["X-CSRF-Token"] = csrf
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=(source, 0))
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            text = r.read()
            got = {k.lower(): v for k, v in r.getheaders()}
            parsed = json.loads(text) if text and "json" in got.get("content-type", "") else None
            CHECK.check(method, path, r.status, got.get("content-type"), parsed)
            return r.status, got, parsed if parsed is not None else (text.decode() or None)
        finally:
            conn.close()

    def metric(self, name, **labels):
        _, _, text = self.call("GET", "/metrics")
        want = ",".join(f'{k}="{v}"' for k, v in labels.items())
        for line in text.splitlines():
            key, _, value = line.rpartition(" ")
            if key == name or key == f"{name}{{{want}}}":
                return float(value)
        return 0.0


def new_email(tag="owner"):
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def signup(web, email=None, password="a long password 1", source=None, **fields):
    """Signs a new business up; returns the 201 body plus the email and password used."""
    email = email or new_email()
    body = {"business_name": "Biz " + uuid.uuid4().hex[:6], "email": email, "password": password}
    body.update(fields)
    status, headers, got = web.call("POST", "/api/v1/signup", body, source=source or fresh_address())
    assert status == 201, (status, got)
    got.update(email=email, password=password, cookie_header=headers.get("set-cookie", ""))
    return got


def login(web, email, password, source=None):
    """Logs in; returns (status, headers, body)."""
    return web.call("POST", "/api/v1/login", {"email": email, "password": password},
                    source=source or fresh_address())


def add_user(web, owner_token, role="staff", password="staff password 1"):
    """The owner adds a user; returns (user body, email, password)."""
    email = new_email(role)
    status, _, got = web.call("POST", "/api/v1/users",
                              {"email": email, "password": password, "role": role}, token=owner_token)
    assert status == 201, (status, got)
    return got, email, password
