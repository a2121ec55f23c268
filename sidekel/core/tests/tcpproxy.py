"""A TCP forwarder that can be cut and restored, for the database-out-of-reach faults: the tests of
sidekel/core/tests/test_database_faults.py and bench/faults.py put it between Sidekel and PostgreSQL."""

import socket
import threading


class Proxy:
    """A TCP forwarder 127.0.0.1:<port> -> target that can be cut (every connection dropped, new ones
    refused) and restored on the same port."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()
        self.restore()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        listener, self.listener = self.listener, None
        if listener is None:
            return
        try:
            listener.shutdown(socket.SHUT_RDWR)  # stops listening and wakes the accept (close alone does neither)
        except OSError:
            pass
        listener.close()
        with self.lock:
            for s in list(self.sockets):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.close()
                except OSError:
                    pass
            with self.lock:
                self.sockets.discard(source)
                self.sockets.discard(target)
