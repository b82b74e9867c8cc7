"""A TCP proxy in front of a Redis server that can fail one command of a client's in three
ways. Held: the command reaches Redis and runs at once, its answer (and everything after
it on that connection) is held back; that is a reply lost to a timeout on a slow network,
the case where a client cannot tell whether what it sent was done. Cut: the connection
drops as the command is sent and Redis never runs it, as when a connection is killed.
Delayed: the command (and everything after it on that connection) reaches Redis only
after a while, as on a stalled network: its client waits with the command not yet run."""
import socket
import threading
import time


class RedisFaultProxy:
    def __init__(self, upstream_port, upstream_host="127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.Lock()
        self.armed = None           # (pattern, seconds): the next command holding pattern
        self.holds = 0              # commands whose reply was held
        self.cut_armed = None       # [pattern, times]: the next commands holding it drop their connection
        self.delay_armed = None     # (pattern, seconds): the next command holding it waits on its way in
        self.delays = 0
        self.cuts = 0               # connections dropped so far
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def hold_reply_of(self, pattern, seconds):
        """The next command whose bytes hold pattern runs at once; its connection gets
        no reply for seconds from then."""
        with self.lock:
            self.armed = (pattern, seconds)

    def cut_connection_at(self, pattern, times=1):
        """The next `times` commands whose bytes hold pattern never reach Redis whole:
        their connection is closed instead."""
        with self.lock:
            self.cut_armed = [pattern, times]

    def delay_command_of(self, pattern, seconds):
        """The next command whose bytes hold pattern reaches Redis seconds later."""
        with self.lock:
            self.delay_armed = (pattern, seconds)

    def stop(self):
        self.stopping = True
        for s in [self.listener] + self.sockets:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self):
        while not self.stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            link = {"hold_until": 0.0}
            threading.Thread(target=self._to_server, args=(client, server, link), daemon=True).start()
            threading.Thread(target=self._to_client, args=(server, client, link), daemon=True).start()

    def _to_server(self, client, server, link):
        tail = [b""]

        def look(data):     # arms the hold, or cuts, when the command holding the pattern passes
            seen = tail[0] + data
            tail[0] = data[-256:]
            with self.lock:
                if self.cut_armed is not None and self.cut_armed[0] in seen:
                    self.cut_armed[1] -= 1
                    if self.cut_armed[1] == 0:
                        self.cut_armed = None
                    self.cuts += 1
                    return False
                if self.armed is not None and self.armed[0] in seen:
                    link["hold_until"] = time.time() + self.armed[1]
                    self.armed = None
                    self.holds += 1
                delay, self.delay_armed = (self.delay_armed[1], None) \
                    if self.delay_armed is not None and self.delay_armed[0] in seen else (0, self.delay_armed)
                self.delays += delay > 0
            if delay > 0:
                time.sleep(delay)
            return True
        self._pump(client, server, look)

    def _to_client(self, server, client, link):
        def hold(_data):
            wait = link["hold_until"] - time.time()
            if wait > 0:
                time.sleep(wait)
            return True
        self._pump(server, client, hold)

    def _pump(self, src, dst, before_send):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            if not before_send(data):
                break
            try:
                dst.sendall(data)
            except OSError:
                break
        self._close(src, dst)

    @staticmethod
    def _close(*socks):
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
