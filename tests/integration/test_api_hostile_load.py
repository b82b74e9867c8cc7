"""frontdesk-api under hostile load: many clients sending large bodies slowly, too many
connections, bodies over the limit. The api must stay within a small pod's memory and
keep answering real (signed, small) webhooks meanwhile."""
import os
import selectors
import socket
import statistics
import subprocess
import threading
import time
import uuid

import harness
from apihelp import call_payload, entries
from harness import BIN, env, http, post_webhook, start_api, webhook

E = env()
MIB = 1024 * 1024

# The sanitizer keeps freed memory in quarantine (256 MiB by default) to catch use
# after free, and the flood frees a connection's memory thousands of times a second;
# bounded here (2 MiB, and free memory handed back to the system as malloc would) so
# the RSS measured is what the api itself holds. The release build, measured the same
# way, peaks at about half of what the sanitizer build does.
SMALL_QUARANTINE = ("detect_leaks=1:abort_on_error=0:quarantine_size_mb=2:malloc_context_size=5:"
                    "allocator_release_to_os_interval_ms=100")


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for pid {pid}")


def reset_peak_rss(pid):
    """Lets VmHWM measure from now on (Linux: writing 5 to clear_refs resets it)."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


class SlowFlood:
    """n clients on one thread, each posting a 1 MiB body a piece at a time; a client the
    api cuts off connects again and starts over, until stop(). Half announce the length
    (Content-Length: 1 MiB), half send it chunked, so both of evhttp's body readers are
    attacked."""

    def __init__(self, port, n, piece=16 * 1024, every_s=0.2):
        self.port, self.n, self.piece, self.every_s = port, n, piece, every_s
        self.sel = selectors.DefaultSelector()
        self.stopping = threading.Event()
        self.connects = 0
        self.cut = 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def head(self, i):
        ts = str(int(time.time()))
        common = (f"POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\ntelnyx-timestamp: {ts}\r\n"
                  "telnyx-signature-ed25519: " + "A" * 86 + "==\r\nContent-Type: application/json\r\n")
        if i % 2 == 0:
            return (common + f"Content-Length: {MIB}\r\n\r\n").encode()
        return (common + "Transfer-Encoding: chunked\r\n\r\n").encode()

    def piece_of(self, i):
        if i % 2 == 0:
            return b"x" * self.piece
        return b"%x\r\n" % self.piece + b"x" * self.piece + b"\r\n"

    def open(self, i):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        self.connects += 1
        self.sel.register(s, selectors.EVENT_READ, {"i": i, "sent": 0, "head": False})
        return s

    def run(self):
        socks = [self.open(i) for i in range(self.n)]
        next_send = time.time()
        while not self.stopping.is_set():
            for key, _ in self.sel.select(timeout=0.01):   # the api closed (413, cut, shed)
                try:
                    data = key.fileobj.recv(65536)
                except OSError:
                    data = b""
                if data:
                    continue
                i = key.data["i"]
                self.sel.unregister(key.fileobj)
                key.fileobj.close()
                self.cut += 1
                socks[i] = self.open(i)
            if time.time() < next_send:
                continue
            next_send += self.every_s
            for s in socks:
                try:
                    d = self.sel.get_key(s).data
                except (KeyError, ValueError):
                    continue
                try:
                    if not d["head"]:
                        s.send(self.head(d["i"]))
                        d["head"] = True
                    elif d["sent"] < MIB:
                        s.send(self.piece_of(d["i"]))
                        d["sent"] += self.piece
                except (BlockingIOError, InterruptedError):
                    pass                    # its buffers are full: the api is not reading it
                except OSError:
                    pass                    # the select above sees it closed
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join()


def test_500_slow_1mib_clients_leave_rss_under_64mib_and_real_webhooks_answered_promptly():
    api = start_api(E, ASAN_OPTIONS=SMALL_QUARANTINE)
    bid, number = str(uuid.uuid4()), harness.random_number()
    E.redis().hset("fd:numbers", number, bid)
    # warm up: the first webhook loads the script and fills the number cache
    assert post_webhook(E, api, webhook("call.initiated", call_payload(number, "+15554440000")))[0] == 200
    baseline_kib = rss_kib(api.p.pid)
    reset_peak_rss(api.p.pid)

    flood = SlowFlood(api.port, 500)
    flood.start()
    latencies, statuses = [], []
    end = time.time() + 8
    while time.time() < end:
        body = webhook("call.initiated", call_payload(number, "+15554440000", call_id="v3:" + uuid.uuid4().hex))
        start = time.time()
        statuses.append(post_webhook(E, api, body)[0])
        latencies.append(time.time() - start)
        time.sleep(0.1)
    peak_kib = rss_kib(api.p.pid, "VmHWM")
    flood.stop()

    metrics = http("GET", api.url + "/metrics")[2].decode()
    print(f"    api RSS baseline {baseline_kib / 1024:.1f} MiB, peak under attack {peak_kib / 1024:.1f} MiB; "
          f"{flood.connects} attacking connections, {flood.cut} closed by the api; "
          f"webhooks: {len(latencies)}, median {statistics.median(latencies) * 1e3:.0f} ms, "
          f"max {max(latencies) * 1e3:.0f} ms")
    assert flood.connects >= 500
    assert all(s == 200 for s in statuses), statuses
    assert len(entries(E.redis(), bid)) == len(statuses) + 1
    assert peak_kib < 64 * 1024, f"peak RSS {peak_kib / 1024:.1f} MiB"
    # 100 ms is the goal on a quiet machine; the sanitizer build on shared cores with the
    # attacker in the same box is slower, so the median holds it and every one is bounded.
    assert statistics.median(latencies) < 0.1, latencies
    assert max(latencies) < 1.0, latencies
    shed = int(next(line.split()[1] for line in metrics.splitlines()
                    if line.startswith("frontdesk_api_connections_shed_total ")))
    assert shed > 0, "the pending-bytes cap never acted: the flood did not reach it"
    assert api.stop() == 0


def test_a_body_over_the_limit_is_refused_with_413_and_one_under_it_accepted():
    api = start_api(E, FRONTDESK_API_MAX_BODY_BYTES=4096)
    bid, number = str(uuid.uuid4()), harness.random_number()
    E.redis().hset("fd:numbers", number, bid)
    small = webhook("call.initiated", call_payload(number, "+15554440000", pad="p" * 2000))
    large = webhook("call.initiated", call_payload(number, "+15554440000", pad="p" * 5000))
    assert post_webhook(E, api, small)[0] == 200
    assert post_webhook(E, api, large)[0] == 413
    assert len(entries(E.redis(), bid)) == 1
    assert api.stop() == 0


def test_default_body_limit_is_64_kib():
    api = start_api(E)
    bid, number = str(uuid.uuid4()), harness.random_number()
    E.redis().hset("fd:numbers", number, bid)
    under = webhook("call.initiated", call_payload(number, "+15554440000", pad="p" * 60000))
    over = webhook("call.initiated", call_payload(number, "+15554440000", pad="p" * 70000))
    assert post_webhook(E, api, under)[0] == 200
    assert post_webhook(E, api, over)[0] == 413
    assert api.stop() == 0


def test_connections_past_the_cap_are_closed_at_once_and_the_api_serves_again_after():
    api = start_api(E, FRONTDESK_API_MAX_CONNECTIONS=20)
    idle = [socket.create_connection(("127.0.0.1", api.port)) for _ in range(20)]
    time.sleep(0.2)
    extra = socket.create_connection(("127.0.0.1", api.port))
    extra.settimeout(2)
    start = time.time()
    try:
        got = extra.recv(1)
    except ConnectionResetError:
        got = b""
    assert got == b"" and time.time() - start < 1.0, "a connection past the cap was kept open"
    extra.close()
    for s in idle:
        s.close()
    time.sleep(0.2)
    metrics = http("GET", api.url + "/metrics")[2].decode()
    assert "frontdesk_api_connections_refused_total 1\n" in metrics, metrics
    assert api.stop() == 0


def test_a_wrong_limit_stops_the_api_with_a_message_naming_the_variable():
    for name, value in (("FRONTDESK_API_MAX_BODY_BYTES", "lots"),
                        ("FRONTDESK_API_MAX_CONNECTIONS", "0"),
                        ("FRONTDESK_API_MAX_PENDING_BYTES", "1024")):
        port = harness.free_port()      # were it to start after all, nobody else's port is taken
        r = subprocess.run([os.path.join(BIN, "frontdesk-api")],
                           env=E.base_env(**{name: value, "FRONTDESK_LISTEN": f"127.0.0.1:{port}"}),
                           capture_output=True, text=True, timeout=20)
        assert r.returncode == 2, (name, r.returncode, r.stderr)
        assert name in r.stderr, r.stderr
