"""No secret in any log or error: every binary is run with passwords and keys that must
never appear on its stderr, whether the configuration is refused (malformed URLs,
over-long keys) or the services run and fail to reach Redis or PostgreSQL with them."""
import os
import subprocess
import time
import uuid

from harness import BIN, env, free_port

E = env()
SECRET = "Zq9pSECRET" + uuid.uuid4().hex[:12]


def run_refused(binary, args=(), **env_vars):
    """Runs binary with env_vars on top of the run's environment; returns (status, stderr)."""
    port = free_port()      # were it to start after all, nobody else's port is taken
    vars_ = E.base_env(**{"FRONTDESK_TELNYX_API_KEY": "test-key", "FRONTDESK_LISTEN": f"127.0.0.1:{port}",
                          "FRONTDESK_WEB_LISTEN": f"127.0.0.1:{port}",
                          "FRONTDESK_WORKER_LISTEN": f"127.0.0.1:{port}", **env_vars})
    r = subprocess.run([os.path.join(BIN, binary), *args], env=vars_, capture_output=True,
                       text=True, timeout=10)
    return r.returncode, r.stderr


def assert_hidden(text, what):
    # the whole secret, and any 10 characters of it, would be a leak
    for i in range(0, len(SECRET) - 9):
        assert SECRET[i:i + 10] not in text, f"{what}: secret on stderr:\n{text}"


def test_malformed_redis_urls_are_refused_without_their_password():
    urls = [f"redis://:{SECRET}@127.0.0.1:notaport/0",
            f"redis://:{SECRET}",
            f"redis://:{SECRET}@127.0.0.1:6379/99",
            f"redis://:{SECRET * 30}@127.0.0.1:6379/0",     # password too long
            f"redis:/:{SECRET}@127.0.0.1:6379/0"]
    for binary, args in (("frontdesk-api", ()), ("frontdesk-worker", ()), ("frontdesk-web", ()),
                         ("frontdesk-ctl", ("status",))):
        for url in urls:
            status, err = run_refused(binary, args, FRONTDESK_REDIS_URL=url)
            assert status == 2, (binary, url, status, err)
            assert "FRONTDESK_REDIS_URL" in err, err
            assert_hidden(err, f"{binary} {url}")


def test_malformed_database_urls_are_refused_without_their_password():
    for url in (f"postgresql://frontdesk:{SECRET}%zz@127.0.0.1:5432/frontdesk",
                f"postgresql://frontdesk:{SECRET}@127.0.0.1:5432/frontdesk?notanoption=1",
                f"postgresql://frontdesk:{SECRET}@[::1/frontdesk"):
        for binary in ("frontdesk-api", "frontdesk-worker", "frontdesk-web"):
            status, err = run_refused(binary, FRONTDESK_DATABASE_URL=url)
            assert status == 2, (binary, url, status, err)
            assert "FRONTDESK_DATABASE_URL" in err, err
            assert_hidden(err, f"{binary} {url}")


def test_over_long_or_broken_keys_and_credentialed_urls_are_refused_without_them():
    cases = [
        {"FRONTDESK_TELNYX_API_KEY": SECRET * 40},
        {"FRONTDESK_LLM_URL": "https://llm.invalid/v1", "FRONTDESK_LLM_MODEL": "m",
         "FRONTDESK_LLM_API_KEY": SECRET * 40},
        {"FRONTDESK_LLM_URL": "https://llm.invalid/v1", "FRONTDESK_LLM_MODEL": "m",
         "FRONTDESK_LLM_API_KEY": SECRET + "\nX"},
        {"FRONTDESK_LLM_URL": f"htps://user:{SECRET}@llm.invalid/v1", "FRONTDESK_LLM_MODEL": "m",
         "FRONTDESK_LLM_API_KEY": "k" * 20},
        {"FRONTDESK_TELNYX_API_URL": f"ftp://user:{SECRET}@telnyx.invalid/v2"},
        {"FRONTDESK_TELNYX_API_URL": ("https://telnyx.invalid/" + SECRET) * 20},
    ]
    for extra in cases:
        status, err = run_refused("frontdesk-worker", **extra)
        assert status == 2, (extra, status, err)
        assert "configuration error: FRONTDESK_" in err, err
        assert_hidden(err, f"worker {list(extra)}")


def run_for_a_while(binary, seconds=2.5, **env_vars):
    """Starts binary, lets it try its connections, stops it; returns its stderr."""
    port = free_port()
    vars_ = E.base_env(FRONTDESK_LISTEN=f"127.0.0.1:{port}", FRONTDESK_WEB_LISTEN=f"127.0.0.1:{port}",
                       FRONTDESK_WORKER_LISTEN=f"127.0.0.1:{port}", FRONTDESK_LOG_LEVEL="debug",
                       FRONTDESK_TELNYX_API_URL=f"http://127.0.0.1:{free_port()}/v2",
                       FRONTDESK_TELNYX_API_KEY=SECRET + "-telnyx",
                       FRONTDESK_LLM_URL=f"http://127.0.0.1:{free_port()}/v1",
                       FRONTDESK_LLM_API_KEY=SECRET + "-llm", FRONTDESK_LLM_MODEL="m", **env_vars)
    p = subprocess.Popen([os.path.join(BIN, binary)], env=vars_, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    time.sleep(seconds)
    p.terminate()
    out, _ = p.communicate(timeout=20)
    return out.decode(errors="replace")


def test_services_that_cannot_reach_redis_or_postgresql_never_log_the_passwords():
    redis_port = E.services.redis_port
    closed = free_port()
    for binary in ("frontdesk-api", "frontdesk-worker", "frontdesk-web"):
        # Redis answers, but refuses the password (it has none); PostgreSQL is not there
        out = run_for_a_while(
            binary,
            FRONTDESK_REDIS_URL=f"redis://:{SECRET}@127.0.0.1:{redis_port}/0",
            FRONTDESK_DATABASE_URL=f"postgresql://frontdesk:{SECRET}@127.0.0.1:{closed}/frontdesk")
        assert "redis" in out.lower(), out      # it did try, and said so
        assert_hidden(out, binary)
    # a URL libpq parses but cannot use: its message quotes what it could not use
    out = run_for_a_while("frontdesk-worker", FRONTDESK_REDIS_URL=E.redis_url,
                          FRONTDESK_DATABASE_URL=f"postgresql://frontdesk:{SECRET}@127.0.0.1:notaport/frontdesk")
    assert "postgres" in out.lower(), out
    assert_hidden(out, "frontdesk-worker, a port libpq cannot use")
