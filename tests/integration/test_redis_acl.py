"""Managed Redis gives each application an ACL user: every service authenticates as the
user named in FRONTDESK_REDIS_URL (redis://USER:PASSWORD@HOST), on a Redis whose
default user is switched off, so nothing works unless the user is really used."""
import json
import time
import uuid

import redis

import harness
from apihelp import call_payload, entries
from harness import Sim, Worker, ctl, env, http, post_webhook, private_redis, start_api, webhook

E = env()


def acl_redis():
    """A private Redis where only the user frontdesk (password pa55) may do anything."""
    svc = private_redis()
    admin = svc.redis()
    admin.acl_setuser("frontdesk", enabled=True, passwords=["+pa55"], keys=["*"], channels=["*"],
                      commands=["+@all"])
    admin.acl_setuser("default", enabled=False)
    as_user = redis.Redis(host="127.0.0.1", port=svc.redis_port, username="frontdesk", password="pa55")
    return svc, as_user, f"redis://frontdesk:pa55@127.0.0.1:{svc.redis_port}/0"


def test_api_worker_and_ctl_authenticate_as_the_acl_user_of_the_url():
    svc, r, url = acl_redis()
    bid, number = str(uuid.uuid4()), harness.random_number()
    r.hset("fd:numbers", number, bid)
    api = start_api(E, FRONTDESK_REDIS_URL=url)
    assert harness.wait_for(lambda: http("GET", api.url + "/readyz")[0] == 200, timeout=10,
                            what="api ready on the ACL user")
    body = webhook("call.initiated", call_payload(number, "+15554440000", call_id="v3:" + uuid.uuid4().hex))
    assert post_webhook(E, api, body)[0] == 200
    assert len(entries(r, bid)) == 1
    sim = Sim(E, api)
    worker = Worker(E, sim, FRONTDESK_REDIS_URL=url)
    health = lambda: json.loads(http("GET", f"http://127.0.0.1:{worker.metrics_port}/healthz")[2])
    assert harness.wait_for(lambda: health()["redis"] == "up", timeout=10, what="worker on the ACL user")
    status = ctl(E, "status", extra_env={"FRONTDESK_REDIS_URL": url})
    assert status.returncode == 0, status.stderr
    for p in (worker, sim, api):
        assert p.stop() == 0


def test_a_wrong_acl_password_keeps_the_api_out_of_service():
    svc, r, url = acl_redis()
    api = start_api(E, FRONTDESK_REDIS_URL=url.replace(":pa55@", ":wrong@"))
    time.sleep(1.5)     # several connection attempts, each refused at AUTH
    status, _, raw = http("GET", api.url + "/readyz")
    assert status == 503 and json.loads(raw)["redis"] == "down", raw
    assert api.stop() == 0
