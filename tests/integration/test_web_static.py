"""frontdesk-web serves the owner's dashboard (web/static/, embedded at build time):
index.html for every page's address, never cached; the files under /assets/<hash>/,
cached for good, each with its Content-Type; every answer with the Content-Security-Policy
that forbids inline script and other sites, nosniff and a Referrer-Policy. Every module
the page loads, and every module those import, is served; nothing is loaded from
another site; files go gzipped to browsers that take it, and the JavaScript a browser
downloads stays under 150 KiB so compressed. The API's own paths keep their JSON errors."""
import gzip
import http.client
import re

from harness import env
from webhelp import Web

E = env()
WEB = Web(E)
CSP = "default-src 'self'; frame-ancestors 'none'"
IMPORT = re.compile(r"""(?:^|[;\n}])\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]""")


def get(path, method="GET"):
    return WEB.call(method, path)


def index():
    status, headers, body = get("/")
    assert status == 200, (status, body)
    return headers, body


def assets_prefix():
    _, body = index()
    m = re.search(r'src="(/assets/[0-9a-f]{16}/)app\.js"', body)
    assert m, body
    return m.group(1)


def test_the_home_page_is_index_html_never_cached_with_the_security_headers():
    headers, body = index()
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"].startswith(CSP), headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-cache"
    assert "<script>" not in body and "style=" not in body and "<style" not in body, body
    assert "__ASSETS__" not in body


def test_every_page_address_outside_the_api_is_the_same_page():
    _, home = index()
    for path in ("/login", "/calls", "/bookings?view=list", "/billing?checkout=success",
                 "/calls/6f1c0d52-8a3e-4c1b-9f57-2d7c1e0a9b11", "/no/such/page"):
        status, headers, body = get(path)
        assert status == 200 and body == home, (path, status)
        assert headers["cache-control"] == "no-cache"


def page_files():
    """Every file the page loads: what index.html names, and every module those import,
    each checked as it is fetched."""
    _, home = index()
    wanted = re.findall(r'(?:src|href)="(/assets/[^"]+)"', home)
    seen = set()
    while wanted:
        path = wanted.pop()
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = get(path)
        assert status == 200, (path, status, body)
        kind = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}[path.rsplit(".", 1)[1]]
        assert headers["content-type"] == kind, (path, headers)
        assert headers["cache-control"] == "public, max-age=31536000, immutable", headers
        assert headers["content-security-policy"].startswith(CSP)
        assert headers["x-content-type-options"] == "nosniff"
        if path.endswith(".js"):
            for target in IMPORT.findall(body):
                assert target.startswith("."), f"{path} imports {target}: only the page's own files"
                base = path.rsplit("/", 1)[0]
                while target.startswith("../"):
                    base, target = base.rsplit("/", 1)[0], target[3:]
                wanted.append(base + "/" + target.removeprefix("./"))
    return seen


def test_every_file_the_page_loads_is_served_cached_with_its_type():
    prefix = assets_prefix()
    seen = page_files()
    assert {prefix + n for n in ("app.js", "style.css", "vendor/uplot.css", "vendor/preact-htm.js",
                                 "vendor/uplot.js", "pages/today.js", "pages/call.js")} <= seen, seen


def raw_get(path, accept_encoding):
    """(headers with lowercase names, body bytes) as sent."""
    conn = http.client.HTTPConnection("127.0.0.1", WEB.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": accept_encoding})
        r = conn.getresponse()
        assert r.status == 200, (path, r.status)
        return {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def test_files_go_gzipped_to_who_takes_gzip_and_the_javascript_stays_small():
    files = page_files()
    assert len([f for f in files if f.endswith(".js")]) >= 10, files
    shipped = 0
    for path in ["/"] + sorted(files):
        plain_headers, plain = raw_get(path, "identity")
        assert "content-encoding" not in plain_headers and plain_headers["vary"] == "Accept-Encoding"
        headers, body = raw_get(path, "gzip, deflate, br")
        assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding", headers
        assert gzip.decompress(body) == plain, path
        assert headers["content-security-policy"].startswith(CSP)
        shipped += len(body) if path.endswith(".js") else 0
    assert shipped < 150 * 1024, f"{shipped} bytes of JavaScript, gzipped"
    print(f"    JavaScript shipped: {shipped / 1024:.1f} KiB gzipped")


def test_a_file_not_of_this_build_is_404_not_the_page():
    prefix = assets_prefix()
    for path in (prefix + "nope.js", prefix + "index.html", "/assets/0123456789abcdef/app.js", "/assets/"):
        status, headers, _ = get(path)
        assert status == 404, (path, status)
        assert headers["content-type"] == "application/problem+json"


def test_a_page_takes_only_get_and_head():
    status, headers, body = get("/", "HEAD")
    assert status == 200 and not body, (status, body)
    status, headers, _ = get("/calls", "POST")
    assert status == 405 and headers["allow"] == "GET, HEAD", (status, headers)


def test_the_api_keeps_its_json_errors():
    status, headers, body = get("/api/v1/no-such-route")
    assert status == 404 and headers["content-type"] == "application/problem+json", (status, headers)
    assert body["status"] == 404
    status, _, _ = get("/api/v1/me")
    assert status == 401
