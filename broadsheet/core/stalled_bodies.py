"""Drops connections whose request body has stopped arriving.

granian gives a request to a thread before its body is in and reads the body in that thread,
without a timeout: a client that sends a few bytes and then nothing holds the thread for as
long as it keeps the connection open, and no Python code can interrupt that read. So a
watchdog thread shuts such a connection's socket down from outside (Linux: the worker's own
sockets are listed in /proc/self/fd); the read then ends and the thread is free.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import struct
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

logger = logging.getLogger(__name__)

# struct tcp_info (linux/tcp.h): milliseconds since data last arrived on the connection.
TCP_INFO_LAST_DATA_RECV = 52


class StalledBodies:
    """Bodies being read, by client address and server port; silent ones are cut off."""

    def __init__(self, silence_seconds: float) -> None:
        self.silence = silence_seconds
        self._lock = threading.Lock()
        self._reading: dict[int, tuple[str, int, float]] = {}
        self._watchdog: threading.Thread | None = None

    @contextlib.contextmanager
    def watching(self, environ: Mapping[str, Any]) -> Iterator[None]:
        key = id(environ)
        client = environ.get("REMOTE_ADDR", ""), int(environ.get("SERVER_PORT") or 0)
        with self._lock:
            self._reading[key] = (*client, time.monotonic())
            if self._watchdog is None:
                self._watchdog = threading.Thread(
                    target=self._watch, name="stalled-bodies", daemon=True
                )
                self._watchdog.start()
        try:
            yield
        finally:
            with self._lock:
                del self._reading[key]

    def _watch(self) -> None:
        while True:
            time.sleep(max(0.2, self.silence / 4))
            now = time.monotonic()
            with self._lock:
                overdue = {
                    (address, port)
                    for address, port, since in self._reading.values()
                    if now - since >= self.silence
                }
            if overdue:
                try:
                    shut_silent_connections(overdue, self.silence)
                except OSError:
                    logger.exception("Could not look for connections with a stalled body.")


def shut_silent_connections(clients: set[tuple[str, int]], silence: float) -> int:
    """Shut down this process's TCP connections from ``clients`` (address, our port) that
    received nothing for ``silence`` seconds; return how many."""
    shut = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue  # closed since the listing, or not a socket we can look at
        with sock:
            if _is_silent_client(sock, clients, silence):
                sock.shutdown(socket.SHUT_RDWR)  # acts on the connection, not just this copy
                shut += 1
    if shut:
        logger.warning("Dropped %d connection(s) whose request body stopped arriving.", shut)
    return shut


def _is_silent_client(sock: socket.socket, clients: set[tuple[str, int]], silence: float) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
        return False
    try:
        address = sock.getpeername()[0]
        port = sock.getsockname()[1]
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    except OSError:
        return False  # a listening socket, or one already closed
    address = address.removeprefix("::ffff:")
    if (address, port) not in clients:
        return False
    (quiet_ms,) = struct.unpack_from("I", info, TCP_INFO_LAST_DATA_RECV)
    return quiet_ms >= silence * 1000
