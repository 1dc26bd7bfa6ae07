"""The servers under test, run as child processes in their own session so that stopping one
stops its workers too, and a private nginx serving fixed bytes as the physical reference."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from lib.sites import BIN, BROADSHEET

READY_PATH = "/robots.txt"  # small, on every site, and answered by the whole Django stack


@dataclass(frozen=True)
class ServerSpec:
    name: str
    description: str
    argv: Callable[[int], list[str]]  # port -> command line


def granian(workers: int, threads: int, name: str = "granian") -> ServerSpec:
    return ServerSpec(
        name,
        f"broadsheet serve: granian WSGI, {workers} workers, {threads} blocking threads",
        lambda port: [
            str(BROADSHEET), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--threads", str(threads),
        ],
    )  # fmt: skip


def gunicorn(name: str, workers: int, worker_class: str = "sync", threads: int = 1) -> ServerSpec:
    extra = ["--threads", str(threads)] if worker_class == "gthread" else []
    shape = f"{workers} workers" + (f" x {threads} threads" if extra else "")
    return ServerSpec(
        name,
        f"gunicorn {worker_class}, {shape}",
        lambda port: [
            str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", worker_class, *extra, "--log-level", "warning",
            "broadsheet.wsgi:application",
        ],
    )  # fmt: skip


def production_servers(workers: int, threads: int) -> tuple[list[ServerSpec], list[str]]:
    """The servers to compare, and a message for each one that cannot run here."""
    cores = os.cpu_count() or 1
    specs = [granian(workers, threads)]
    for more in (1, 2, 4):  # other threads per worker than broadsheet serve's default
        if more != threads:
            specs.append(granian(workers, more, name=f"granian-{workers}x{more}"))
    skipped = []
    if importlib.util.find_spec("gunicorn"):
        specs += [
            gunicorn(f"gunicorn-sync-{workers}", workers),
            gunicorn(f"gunicorn-sync-{2 * cores + 1}", 2 * cores + 1),
            gunicorn(f"gunicorn-gthread-{workers}x4", workers, "gthread", 4),
        ]
    else:
        skipped.append("gunicorn: not importable (.venv/bin/pip install gunicorn)")
    if not importlib.util.find_spec("uvicorn"):
        skipped.append("uvicorn: not importable (.venv/bin/pip install uvicorn)")
    elif not importlib.util.find_spec("broadsheet.asgi"):
        skipped.append(
            "uvicorn: broadsheet has no ASGI module (broadsheet/asgi.py), and uvicorn's WSGI "
            "adapter is not meant for production"
        )
    else:
        specs.append(
            ServerSpec(
                f"uvicorn-{workers}",
                f"uvicorn ASGI, {workers} workers",
                lambda port: [
                    str(BIN / "uvicorn"),
                    "broadsheet.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
            )  # fmt: skip
        )
    return specs, skipped


class RunningServer:
    """A server child process; ``with`` waits until ``ready_path`` answers and stops it after."""

    def __init__(
        self,
        argv: list[str],
        environ: dict[str, str],
        port: int,
        log: Path,
        ready_path: str = READY_PATH,
    ) -> None:
        self.argv, self.environ, self.port, self.log = argv, environ, port, log
        self.ready_path = ready_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RunningServer:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so stop() reaches the workers; not its own session:
                # Linux's autogroup scheduler shares the CPU between sessions, not threads, and
                # a server in a session of its own got half the machine while wrk's session
                # held the other half (the cached article 21,000 req/s instead of 29,000 with
                # the same server in wrk's session; nginx, which needs less, was unaffected).
                process_group=0,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        tail = self.log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(self.argv[:3])} did not start:\n{tail}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # process_group=0: the group id is the child's pid
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=5)
        try:  # workers that outlived their master
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass


NGINX_CONF = """\
daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path {prefix}/tmp;
    proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp;
    scgi_temp_path {prefix}/tmp;
    types {{ }}
    default_type "{content_type}";
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
    }}
}}
"""


def nginx_serving(body: bytes, content_type: str, port: int) -> tuple[RunningServer, Path]:
    """A private nginx (its own prefix, config and port, in the foreground) that serves ``body``
    at ``/page.html`` with ``content_type``; returns the server and its directory to remove."""
    prefix = Path(tempfile.mkdtemp(prefix="broadsheet-nginx-"))
    prefix.chmod(0o755)  # nginx's workers run as nobody when started by root
    (prefix / "www").mkdir()
    (prefix / "tmp").mkdir()
    (prefix / "www" / "page.html").write_bytes(body)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, content_type=content_type))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    argv = [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    server = RunningServer(argv, dict(os.environ), port, prefix / "stdout.log", "/page.html")
    return server, prefix
