"""The worker's /metrics and /healthz listener holds what a client sends to small bounds:
GET only, small headers, no body, a fixed time per request, few connections. Whatever
reaches the port must not take the worker's memory or descriptors, and the scraper is
still served."""
import socket
import time

from harness import Sim, Worker, env, http, start_api

E = env()
API = start_api(E)
SIM = Sim(E, API)
WORKER = Worker(E, SIM)
URL = f"http://127.0.0.1:{WORKER.metrics_port}"


def raw_request(data, timeout=5):
    """Sends data on a new connection; returns what the worker answered before closing."""
    s = socket.create_connection(("127.0.0.1", WORKER.metrics_port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass            # it answered and closed before taking it all: read the answer
        got = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            got += chunk
            if b"\r\n\r\n" in got:
                break
        return got
    finally:
        s.close()


def status_of(answer):
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None


def test_headers_over_8_kib_are_refused():
    answer = raw_request(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 20000 + b"\r\n\r\n")
    assert status_of(answer) in (None, 400, 413, 431), answer[:200]
    assert http("GET", URL + "/healthz")[0] == 200


def test_a_request_body_is_refused():
    answer = raw_request(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100000)
    assert status_of(answer) in (405, 413, 501), answer[:200]


def test_only_get_is_served():
    status, _, _ = http("DELETE", URL + "/metrics")
    assert status in (405, 501), status
    assert http("GET", URL + "/metrics")[0] == 200


def test_a_client_trickling_its_headers_is_cut_off():
    s = socket.create_connection(("127.0.0.1", WORKER.metrics_port))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    start = time.time()
    closed_after = None
    try:
        while time.time() - start < 15:
            s.sendall(b"X")
            s.settimeout(0.2)
            try:
                if s.recv(1) == b"":
                    closed_after = time.time() - start
                    break
            except socket.timeout:
                pass
    except OSError:
        closed_after = time.time() - start
    s.close()
    assert closed_after is not None and closed_after < 8, closed_after


def test_connections_past_64_are_closed_and_the_scraper_is_served_once_they_go():
    idle = [socket.create_connection(("127.0.0.1", WORKER.metrics_port)) for _ in range(64)]
    time.sleep(0.2)
    extra = socket.create_connection(("127.0.0.1", WORKER.metrics_port))
    extra.settimeout(2)
    try:
        got = extra.recv(1)
    except (ConnectionResetError, socket.timeout) as err:
        got = err
    extra.close()
    assert got == b"", f"a connection past the cap was kept: {got!r}"
    for s in idle:
        s.close()
    time.sleep(0.2)
    assert http("GET", URL + "/metrics")[0] == 200
