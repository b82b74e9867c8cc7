"""frontdesk-api under faults: Redis down, hung or full; slow clients; SIGTERM; bad
configuration. Each test that breaks Redis gets a Redis of its own."""
import http.client as httpclient
import os
import signal
import socket
import subprocess
import threading
import time
import uuid

import harness
from apihelp import call_payload, entries, json_body
from harness import BIN, env, http, post_webhook, private_redis, start_api, webhook

E = env()


def api_on(redis_svc, **extra):
    """An api whose Redis is redis_svc, with one business that owns a fresh number."""
    api = start_api(E, FRONTDESK_REDIS_URL=redis_svc.redis_url, **extra)
    bid = str(uuid.uuid4())
    number = harness.random_number()
    redis_svc.redis().hset("fd:numbers", number, bid)
    return api, bid, number


def call_event(number):
    return webhook("call.initiated", call_payload(number, "+15554440000", call_id="v3:" + uuid.uuid4().hex))


def wait_until(pred, timeout=10, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return False


def test_redis_stopped_gives_503_and_retries_land_exactly_once_after_it_returns():
    svc = private_redis()
    api, bid, number = api_on(svc)
    accepted = [call_event(number) for _ in range(3)]
    for body in accepted:
        assert post_webhook(E, api, body)[0] == 200
    svc.stop_redis()
    refused = [call_event(number) for _ in range(5)]
    for body in refused:
        start = time.time()
        status, _, raw = post_webhook(E, api, body)
        assert status == 503, (status, raw)
        assert time.time() - start < 2.0
        assert json_body(raw)["error"] == "unavailable"
    assert http("GET", api.url + "/readyz")[0] == 503
    svc.start_redis_again()
    assert wait_until(lambda: http("GET", api.url + "/readyz")[0] == 200), "api did not recover"
    # Telnyx retries everything that was refused, and some that were accepted
    for body in refused + accepted[:2]:
        assert post_webhook(E, api, body)[0] == 200
    got = entries(svc.redis(), bid)
    assert len(got) == 8, len(got)
    assert len({e["eid"] for e in got}) == 8
    assert api.stop() == 0


def test_hung_redis_gives_503_within_2_seconds_and_the_api_recovers():
    svc = private_redis()
    api, bid, number = api_on(svc)
    assert post_webhook(E, api, call_event(number))[0] == 200
    pid = int(svc.vars["REDIS_PID"])
    os.kill(pid, signal.SIGSTOP)
    try:
        for _ in range(3):
            start = time.time()
            status = post_webhook(E, api, call_event(number))[0]
            elapsed = time.time() - start
            assert status == 503 and elapsed < 2.0, (status, elapsed)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert wait_until(lambda: post_webhook(E, api, call_event(number))[0] == 200)
    assert api.stop() == 0


def test_redis_out_of_memory_gives_503_and_loses_nothing():
    svc = private_redis()
    api, bid, number = api_on(svc)
    r = svc.redis()
    r.config_set("maxmemory", "1")          # everything that writes is now refused
    body = call_event(number)
    status, _, raw = post_webhook(E, api, body)
    assert status == 503 and "full" in json_body(raw)["message"]
    r.config_set("maxmemory", "1gb")
    assert post_webhook(E, api, body)[0] == 200
    assert len(entries(r, bid)) == 1
    assert api.stop() == 0


def test_slow_client_is_cut_off_and_others_are_not_slowed():
    svc = private_redis()
    api, bid, number = api_on(svc, FRONTDESK_HTTP_CLIENT_TIMEOUT_S=2)
    slow = socket.create_connection(("127.0.0.1", api.port))
    slow.sendall(b"POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\n")
    closed = threading.Event()

    def trickle():
        try:
            for _ in range(40):                 # one header byte every 100 ms
                slow.sendall(b"X")
                time.sleep(0.1)
        except OSError:
            closed.set()
            return
        try:
            slow.settimeout(1)
            if slow.recv(1) == b"":
                closed.set()
        except OSError:
            closed.set()

    t = threading.Thread(target=trickle)
    t.start()
    # meanwhile others are served at once
    for _ in range(10):
        start = time.time()
        assert post_webhook(E, api, call_event(number))[0] == 200
        assert time.time() - start < 0.5
    t.join()
    slow.close()
    assert closed.is_set(), "a client trickling its headers was never cut off"
    metrics = http("GET", api.url + "/metrics")[2].decode()
    assert "frontdesk_api_slow_clients_cut_total 1" in metrics
    assert api.stop() == 0


def test_sigterm_finishes_in_flight_work_stops_accepting_and_exits_0():
    svc = private_redis()
    api, bid, number = api_on(svc)
    pid = int(svc.vars["REDIS_PID"])
    os.kill(pid, signal.SIGSTOP)            # the next webhook waits on Redis
    result = {}

    def send():
        result["status"] = post_webhook(E, api, call_event(number))[0]

    t = threading.Thread(target=send)
    t.start()
    time.sleep(0.3)
    start = time.time()
    api.p.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    refused = False
    try:
        socket.create_connection(("127.0.0.1", api.port), timeout=1).close()
    except OSError:
        refused = True
    os.kill(pid, signal.SIGCONT)
    t.join()
    assert api.stop(timeout=10) == 0
    assert time.time() - start < 10
    assert refused, "still accepting connections after SIGTERM"
    assert result["status"] in (200, 503)   # answered, not dropped


def test_sigterm_while_keep_alive_clients_send_to_a_hung_redis_exits_cleanly_at_the_drain_limit():
    """Telnyx keeps posting on its open connections while a pod stops: the drain never
    sees a moment with nothing in flight, so the api stops at its drain limit with
    webhooks still waiting on Redis; each is answered (503, Telnyx retries), none crashes
    the api on its way out."""
    svc = private_redis()
    api, bid, number = api_on(svc)
    pid = int(svc.vars["REDIS_PID"])
    os.kill(pid, signal.SIGSTOP)
    statuses, stop = [], threading.Event()

    def keep_posting():
        conn = httpclient.HTTPConnection("127.0.0.1", api.port, timeout=15)
        try:
            while not stop.is_set():
                body = call_event(number)
                conn.request("POST", "/webhooks/telnyx", body, harness.sign(E, body))
                answer = conn.getresponse()
                answer.read()
                statuses.append(answer.status)
        except (OSError, httpclient.HTTPException):
            pass
        finally:
            conn.close()

    clients = [threading.Thread(target=keep_posting) for _ in range(4)]
    try:
        for t in clients:
            t.start()
        time.sleep(0.5)
        start = time.time()
        api.p.send_signal(signal.SIGTERM)
        rc = api.stop(timeout=20)
        took = time.time() - start
    finally:
        stop.set()
        os.kill(pid, signal.SIGCONT)
        for t in clients:
            t.join()
    assert rc == 0, api.output()[-3000:]
    assert took < 15, took
    assert statuses and set(statuses) <= {503}, statuses


def test_bad_configuration_is_refused_at_start_with_status_2():
    cases = {
        "FRONTDESK_TELNYX_PUBLIC_KEY": "",
        "FRONTDESK_WEBHOOK_TOLERANCE_S": "soon",
        "FRONTDESK_LISTEN": "nowhere",
        "FRONTDESK_REDIS_URL": "mysql://x",
        "FRONTDESK_SHARDS": "0",
        "FRONTDESK_LOG_LEVEL": "chatty",
        "FRONTDESK_DATABASE_URL": "host=x",
    }
    for name, value in cases.items():
        vars_ = E.base_env()
        vars_[name] = value
        r = subprocess.run([os.path.join(BIN, "frontdesk-api")], env=vars_, capture_output=True,
                           text=True, timeout=10)
        assert r.returncode == 2, (name, r.returncode, r.stderr)
        assert name in r.stderr, (name, r.stderr)


def test_api_stays_ready_and_takes_webhooks_while_postgres_does_not_answer():
    """Intake never depends on PostgreSQL: a database outage must not take the api out of
    its Service (the workers' outbox catches up once the database is back)."""
    svc = private_redis()
    nowhere = f"postgresql://postgres@127.0.0.1:{harness.free_port()}/x"
    api, bid, number = api_on(svc, FRONTDESK_DATABASE_URL=nowhere)
    time.sleep(1.5)     # longer than any database probe would take to give up
    status, _, raw = http("GET", api.url + "/readyz")
    assert status == 200, raw
    assert json_body(raw) == {"redis": "up", "draining": False, "stripe_webhooks": "off"}
    assert post_webhook(E, api, call_event(number))[0] == 200
    assert len(entries(svc.redis(), bid)) == 1
    assert api.stop() == 0
