"""A TCP proxy in front of a Redis server that can make one command's reply come late:
the command reaches Redis and runs at once, its answer (and everything after it on that
connection) is held back. That is a reply lost to a timeout on a slow network, the case
where a client cannot tell whether what it sent was done."""
import socket
import threading
import time


class ReplyHoldingProxy:
    def __init__(self, upstream_port, upstream_host="127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.lock = threading.Lock()
        self.armed = None           # (pattern, seconds): the next command holding pattern
        self.holds = 0              # commands whose reply was held
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
        tail = b""
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            with self.lock:
                if self.armed is not None and self.armed[0] in tail + data:
                    link["hold_until"] = time.time() + self.armed[1]
                    self.armed = None
                    self.holds += 1
            tail = data[-256:]
            try:
                server.sendall(data)
            except OSError:
                break
        self._close(client, server)

    def _to_client(self, server, client, link):
        while True:
            try:
                data = server.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            wait = link["hold_until"] - time.time()
            if wait > 0:
                time.sleep(wait)
            try:
                client.sendall(data)
            except OSError:
                break
        self._close(client, server)

    @staticmethod
    def _close(*socks):
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
