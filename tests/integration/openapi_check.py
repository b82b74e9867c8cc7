"""Every answer of the owner API checked against web/openapi.json, with the project's own
OpenAPI checker (tests/schemas/openapi_subset.py): the status must be one the operation
lists (or its "default"), and the body must match that response's schema for its
Content-Type. A path under /api/ that the document does not have fails, unless the
service said so itself (404 or 405). webhelp.Web.call checks every answer it gets, so
every frontdesk-web test holds the service to the document."""
import os
import re
import sys

from harness import ROOT

sys.path.insert(0, os.path.join(ROOT, "tests", "schemas"))

from openapi_subset import OpenApiSubset  # noqa: E402

OPENAPI = os.path.join(ROOT, "web", "openapi.json")


class OpenApiCheck:
    def __init__(self, path=OPENAPI):
        self.spec = OpenApiSubset(path)
        self.templates = []     # (regex, method, path template)
        for method, template, _ in self.spec.operations.values():
            pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$"
            self.templates.append((re.compile(pattern), method, template))
        self.checked = set()    # (METHOD, template, status) seen, for coverage checks

    def operation(self, method, path):
        """The path template of the operation that serves method and path, or None."""
        for regex, m, template in self.templates:
            if m == method.lower() and regex.match(path):
                return template
        return None

    def check(self, method, path, status, content_type, body):
        """Raises AssertionError when the answer is not what the document says. path may
        carry a query; body is the parsed JSON (None when there was none)."""
        path = path.split("?", 1)[0]
        if not path.startswith("/api/"):
            return
        template = self.operation(method, path)
        if template is None:
            assert status in (404, 405), f"{method} {path}: no such operation in web/openapi.json"
            return
        _, _, op = self.spec.operations[self.spec.aliases[f"{method.lower()} {template}"]]
        key = str(status) if str(status) in op["responses"] else "default"
        assert key in op["responses"], f"{method} {template}: status {status} is not documented"
        self.checked.add((method.upper(), template, status))
        if body is None:
            return
        media = (content_type or "").split(";")[0].strip()
        errors = self.spec.errors(f"{method.lower()} {template}", body, key, media)
        assert errors == [], (f"{method} {path} -> {status}: the answer does not match "
                              f"web/openapi.json:\n" + "\n".join(errors) + f"\n{str(body)[:2000]}")


CHECK = OpenApiCheck()
