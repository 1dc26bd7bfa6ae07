"""``broadsheet serve`` for real, for the tests that need a served site: granian, its worker
processes and threads, on a free port of 127.0.0.1, and requests with any Host header."""

from __future__ import annotations

import http.client
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.test_cli import BROADSHEET, free_port


def fetch(port: int, path: str) -> tuple[str, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.headers.get("X-Cache", ""), response.read().decode()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


def ask(port: int, path: str, **headers: str) -> Answer:
    """GET ``path`` with exactly these headers (``Host`` too, when given), on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        names = {name.replace("_", "-"): value for name, value in headers.items()}
        connection.request("GET", path, headers=names)
        response = connection.getresponse()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


@contextmanager
def serving(
    data_dir: Path, port: int = 0, *, workers: int = 2, threads: int = 1, **settings: str
) -> Iterator[int]:
    """``broadsheet serve`` on ``data_dir``; yields its port once it answers."""
    port = port or free_port()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(BROADSHEET_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="broadsheet.settings")
    environ.update(settings)
    command = [BROADSHEET, "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(
        [*command, "--threads", str(threads)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                ask(port, "/robots.txt")  # any answer, a redirect to https too, means it is up
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
