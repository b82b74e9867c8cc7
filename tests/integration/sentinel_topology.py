"""A Redis Sentinel deployment of real processes on this machine, for
test_redis_sentinel.py: one master redis-server, one or more replicas (--replicaof) and three
Sentinels (redis-server CONF --sentinel; Debian's redis-server binary is also the
Sentinel), all on 127.0.0.1 and free ports, in a temporary folder (a Sentinel rewrites
its configuration file). Fast failure detection: down-after 1 s. Everything is stopped
by PID.

Also a stand-in Sentinel (FakeSentinel) that names whatever server the test says: a
stale or wrong answer, which real Sentinels give only by chance during a failover."""
import os
import signal
import socket
import subprocess
import threading
import time

import redis

import harness

MASTER_NAME = "mymaster"


def _wait(pred, timeout, what):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            if pred():
                return
        except redis.exceptions.RedisError as err:
            last = err
        time.sleep(0.05)
    raise AssertionError(f"{what} within {timeout}s (last error: {last})")


class SentinelTopology:
    def __init__(self, replicas=1, sentinels=3):
        self.dir = harness._tmpdir("fd-sentinel-")
        self.procs = {}                     # name -> Popen
        self.ports = {}                     # name -> port
        master = harness.free_port()
        self._redis("redis-m", master)
        for i in range(replicas):
            port = harness.free_port()
            self._redis(f"redis-r{i}", port, "--replicaof", "127.0.0.1", str(master))
            _wait(lambda: self.client(port).info("replication").get("master_link_status") == "up",
                  10, "the replica in sync")
        self.sentinel_ports = []
        for i in range(sentinels):
            self._sentinel(f"sentinel-{i}", harness.free_port(), master)
        # a failover needs every Sentinel to know the replica and its peers (quorum, leader)
        for port in self.sentinel_ports:
            s = self.client(port)
            _wait(lambda: len(s.sentinel_slaves(MASTER_NAME)) == replicas and
                  len(s.sentinel_sentinels(MASTER_NAME)) == sentinels - 1,
                  20, f"Sentinel {port} seeing the replica and its peers")
        harness._cleanup_later(self.stop)

    def _spawn(self, name, port, argv):
        log = open(os.path.join(self.dir, name + ".log"), "wb")
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.ports[name] = port
        _wait(lambda: self.client(port).ping(), 10, f"{name} answering")

    def _redis(self, name, port, *extra):
        d = os.path.join(self.dir, name)
        os.makedirs(d, exist_ok=True)
        self._spawn(name, port, ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                 "--dir", d, "--appendonly", "yes", "--appendfsync", "always",
                                 "--maxmemory-policy", "noeviction", "--save", "", *extra])

    def _sentinel(self, name, port, master_port):
        conf = os.path.join(self.dir, name + ".conf")
        with open(conf, "w") as f:
            f.write(f"port {port}\nbind 127.0.0.1\ndir {self.dir}\n"
                    f"sentinel monitor {MASTER_NAME} 127.0.0.1 {master_port} 2\n"
                    f"sentinel down-after-milliseconds {MASTER_NAME} 1000\n"
                    f"sentinel failover-timeout {MASTER_NAME} 5000\n"
                    f"sentinel parallel-syncs {MASTER_NAME} 1\n")
        self._spawn(name, port, ["redis-server", conf, "--sentinel"])
        self.sentinel_ports.append(port)

    @staticmethod
    def client(port):
        return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)

    def sentinels_env(self):
        """What the services are given: the Sentinels and the master's name."""
        return {"FRONTDESK_REDIS_SENTINELS": ",".join(f"127.0.0.1:{p}" for p in self.sentinel_ports),
                "FRONTDESK_REDIS_MASTER": MASTER_NAME}

    def master_port(self):
        """The master's port as the first Sentinel that answers says."""
        for port in self.sentinel_ports:
            try:
                host, p = self.client(port).sentinel_get_master_addr_by_name(MASTER_NAME)
                return int(p)
            except (redis.exceptions.RedisError, TypeError):
                continue
        raise AssertionError("no Sentinel names the master")

    def master(self):
        return self.client(self.master_port())

    def name_of(self, port):
        return next(n for n, p in self.ports.items() if p == port)

    def failover(self, timeout=20):
        """SENTINEL FAILOVER, then waits until every Sentinel names the other server and
        that server says it is the master. Returns the new master's port."""
        old = self.master_port()
        self.client(self.sentinel_ports[0]).execute_command("SENTINEL", "FAILOVER", MASTER_NAME)
        self._wait_new_master(old, timeout)
        return self.master_port()

    def kill_master(self, timeout=30):
        """kill -9 of the master; waits for the Sentinels to promote the replica."""
        old = self.master_port()
        p = self.procs[self.name_of(old)]
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=10)
        self._wait_new_master(old, timeout)
        return self.master_port()

    def _wait_new_master(self, old, timeout):
        def moved():
            for port in self.sentinel_ports:
                addr = self.client(port).sentinel_get_master_addr_by_name(MASTER_NAME)
                if addr is None or int(addr[1]) == old:
                    return False
            return self.client(self.master_port()).execute_command("ROLE")[0] == b"master"
        _wait(moved, timeout, "the Sentinels naming a new master")

    def stop(self):
        for name, p in self.procs.items():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for name, p in self.procs.items():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = {}


class _Listener:
    """A loopback TCP listener on a free port; every connection it accepts goes to
    on_connection(conn) on the accepting thread. Closed by close() or at the run's end."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.is_closed = False
        threading.Thread(target=self._accept, daemon=True).start()
        harness._cleanup_later(self.close)

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.on_connection(conn)

    def on_connection(self, conn):
        raise NotImplementedError

    def close(self):
        if not self.is_closed:
            self.is_closed = True
            self.sock.close()


class FakeSentinel(_Listener):
    """Answers SENTINEL get-master-addr-by-name (any name) with self.address, a
    (host, port) the test sets; every other command gets +OK. With a password, as a
    Sentinel with requirepass: NOAUTH until AUTH gives it. A thread serves each
    connection until the client hangs up."""

    def __init__(self, address, password=None):
        self.address = address
        self.password = password
        self.asked = 0
        super().__init__()

    def on_connection(self, conn):
        threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_command(f):
        head = f.readline()
        if not head.startswith(b"*"):
            return None
        args = []
        for _ in range(int(head[1:])):
            n = int(f.readline()[1:])
            args.append(f.read(n + 2)[:n].decode())
        return args

    def _serve(self, conn):
        is_authed = self.password is None
        with conn, conn.makefile("rb") as f:
            while True:
                args = self._read_command(f)
                if args is None:
                    return
                if args[0].lower() == "auth":
                    is_authed = is_authed or args[-1] == self.password
                    reply = "+OK\r\n" if is_authed else "-WRONGPASS invalid password\r\n"
                elif not is_authed:
                    reply = "-NOAUTH Authentication required.\r\n"
                elif [a.lower() for a in args[:2]] == ["sentinel", "get-master-addr-by-name"]:
                    self.asked += 1
                    host, port = self.address[0], str(self.address[1])
                    reply = f"*2\r\n${len(host)}\r\n{host}\r\n${len(port)}\r\n{port}\r\n"
                else:
                    reply = "+OK\r\n"
                conn.sendall(reply.encode())


class PlainRedis:
    """A redis-server of its own (no persistence), optionally a replica of another."""

    def __init__(self, *extra):
        self.port = harness.free_port()
        self.dir = harness._tmpdir("fd-plain-redis-")
        log = open(os.path.join(self.dir, "redis.log"), "wb")
        self.p = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                   "--dir", self.dir, "--save", "", *extra],
                                  stdout=log, stderr=subprocess.STDOUT)
        log.close()
        _wait(lambda: self.client().ping(), 10, "redis-server answering")
        harness._cleanup_later(self.stop)

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            self.p.wait(timeout=10)


class SilentSentinel(_Listener):
    """A Sentinel that accepts connections and never answers (a hung process), counting
    the connections it was offered."""

    def __init__(self):
        self.accepted = []
        super().__init__()

    def on_connection(self, conn):
        self.accepted.append(conn)

    def close(self):
        super().close()
        for c in self.accepted:
            c.close()
