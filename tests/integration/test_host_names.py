"""Host names in FRONTDESK_REDIS_URL and FRONTDESK_DATABASE_URL are resolved without
blocking the event loop: a name that takes seconds to resolve (a slow DNS server, played
by tests/tools/preload/slow_getaddrinfo.c) must not stall the api's other requests, at
start or on any reconnect, and the name is still used once resolved."""
import os
import threading
import time
import uuid

import harness
from apihelp import call_payload, entries
from harness import BIN, env, http, post_webhook, private_redis, start_api, webhook

E = env()
SHIM = os.path.join(BIN, "..", "tools", "slow_getaddrinfo.so")
SLOW_MS = 2500


def slow_names_env():
    """What makes *.slow.test take SLOW_MS to resolve in the started binary."""
    asan = E.base_env()["ASAN_OPTIONS"] + ":verify_asan_link_order=0"
    return {"LD_PRELOAD": os.path.abspath(SHIM), "FD_TEST_SLOW_DNS_MS": SLOW_MS, "ASAN_OPTIONS": asan}


def slowest_healthz(api, seconds):
    """The longest /healthz answer over the next seconds, asked every 50 ms."""
    worst = 0.0
    end = time.time() + seconds
    while time.time() < end:
        start = time.time()
        status = http("GET", api.url + "/healthz", timeout=10)[0]
        assert status == 200
        worst = max(worst, time.time() - start)
        time.sleep(0.05)
    return worst


def test_a_slowly_resolving_redis_name_stalls_nothing_at_start_or_on_reconnect():
    svc = private_redis()
    url = f"redis://redis.slow.test:{svc.redis_port}/0"
    api = start_api(E, FRONTDESK_REDIS_URL=url, **slow_names_env())
    worst_at_start = slowest_healthz(api, 1.0)
    # the name resolves, and the api uses it
    assert harness.wait_for(lambda: http("GET", api.url + "/readyz")[0] == 200, timeout=15,
                            what="the api ready through redis.slow.test")
    bid, number = str(uuid.uuid4()), harness.random_number()
    svc.redis().hset("fd:numbers", number, bid)
    assert post_webhook(E, api, webhook("call.initiated", call_payload(number, "+15554440000")))[0] == 200
    # every reconnect resolves the name again: the loop must keep serving meanwhile
    svc.redis().client_kill_filter(_type="normal", skipme=True)
    worst_on_reconnect = slowest_healthz(api, 1.5)
    print(f"    slowest /healthz while {SLOW_MS} ms lookups ran: {worst_at_start * 1e3:.0f} ms at start, "
          f"{worst_on_reconnect * 1e3:.0f} ms on reconnect")
    assert worst_at_start < 0.5 and worst_on_reconnect < 0.5, (worst_at_start, worst_on_reconnect)
    assert harness.wait_for(lambda: http("GET", api.url + "/readyz")[0] == 200, timeout=15,
                            what="the api ready again after the reconnect")
    assert len(entries(svc.redis(), bid)) == 1
    assert api.stop() == 0


def test_a_slowly_resolving_postgresql_name_stalls_nothing_and_is_used():
    assert "127.0.0.1" in E.database_url, E.database_url
    url = E.database_url.replace("127.0.0.1", "pg.slow.test")
    api = start_api(E, FRONTDESK_DATABASE_URL=url, **slow_names_env())
    worst = slowest_healthz(api, 1.5)
    print(f"    slowest /healthz while the PostgreSQL name took {SLOW_MS} ms: {worst * 1e3:.0f} ms")
    assert worst < 0.5, worst
    # /readyz needs PostgreSQL: reached through the name once it resolved
    assert harness.wait_for(lambda: http("GET", api.url + "/readyz")[0] == 200, timeout=15,
                            what="the api ready through pg.slow.test")
    assert api.stop() == 0


def test_a_name_that_does_not_resolve_is_retried_and_the_api_stays_up():
    api = start_api(E, FRONTDESK_REDIS_URL="redis://no-such-host.invalid:6379/0")
    time.sleep(1.0)
    assert http("GET", api.url + "/healthz")[0] == 200
    assert http("GET", api.url + "/readyz")[0] == 503
    assert api.p.poll() is None
    assert api.stop() == 0
    assert "redis connect failed" in api.output(), api.output()[-2000:]
