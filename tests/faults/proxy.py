"""A TCP proxy a test can cut: the database's address for a served site, so that "the
database went away" is a closed port and every open connection reset, as a network fault."""

from __future__ import annotations

import socket
import threading


class CuttableProxy:
    """Forwards 127.0.0.1:port to ``target``; ``cut()`` closes everything, ``restore()``
    listens on the same port again, ``stall()`` takes connections and never answers them
    (a database host that hangs)."""

    def __init__(self, target: tuple[str, int], port: int) -> None:
        self.target = target
        self.port = port
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._stalled = False

    def stall(self) -> None:
        self.cut()
        self._stalled = True
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self._stalled = False
        with self._lock:
            doomed = [self._listener, *self._sockets] if self._listener else [*self._sockets]
            self._listener = None
            self._sockets.clear()
        for sock in doomed:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                if self._stalled:
                    with self._lock:
                        self._sockets.add(client)
                    continue
                upstream = socket.create_connection(self.target)
            except OSError:
                return  # cut
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
