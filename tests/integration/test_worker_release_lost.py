"""A release whose reply never comes: the worker gives an idle business up, and the
connection drops as its release script is sent, so Redis never runs it. The lease still
names the worker, which is alive and no longer acts on the business; until the release
is sent again, nobody may take the business and its next caller would ring unanswered.
The worker sends it again once Redis is back (workers/ownership.c), and the next call is
answered. Real Redis (behind a proxy that drops the connection), PostgreSQL, api and
worker; the Telnyx simulator plays the calls."""
import hashlib
import os
import time

import workerhelp as wh
from harness import env, private_redis, wait_for
from redis_proxy import RedisFaultProxy

E = env()
HERE = os.path.dirname(os.path.abspath(__file__))
IDLE_RELEASE_MS = 1000


def release_script_sha():
    """What the worker's EVALSHA of lua/worker_release.lua carries (ops/embed-lua.sh)."""
    with open(os.path.join(HERE, "..", "..", "lua", "worker_release.lua"), "rb") as f:
        return hashlib.sha1(f.read()).hexdigest().encode()


def test_a_release_lost_with_its_connection_is_sent_again_and_the_next_call_is_answered():
    svc = private_redis()
    proxy = RedisFaultProxy(wh.redis_url_port(svc.redis_url))
    try:
        with wh.Stack(E, redis_url=svc.redis_url) as st:
            worker = st.worker("releaser", FRONTDESK_REDIS_URL=proxy.url(),
                               FRONTDESK_IDLE_RELEASE_MS=IDLE_RELEASE_MS)
            bid, number = wh.create_tenant_at(E, redis_url=st.redis_url)
            st.tenants.append(bid)
            r = st.redis()
            first = st.sim.call(number, "+15558790201", [{"say": "What are your hours?"}, {"say": "bye"}])
            st.sim.wait_ended(first, timeout=30)
            wait_for(lambda: wh.stream_done(r, bid), timeout=20, what="the first call handled")
            # the business idles and is released: that release never reaches Redis
            proxy.cut_connection_at(release_script_sha(), 1)
            wait_for(lambda: proxy.cuts == 1, timeout=20, what="the idle release sent and cut")
            second = st.sim.call(number, "+15558790202", [{"say": "What are your hours?"}, {"say": "bye"}])
            rec = st.sim.wait_ended(second, timeout=30)
            said = " ".join(t["text"] for t in rec["transcript"] if t["speaker"] == "agent").lower()
            assert rec.get("answered_at") and "bye" in said, rec
            assert "tenant released: idle" in worker.output()
    finally:
        proxy.stop()
