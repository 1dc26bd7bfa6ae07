"""``broadsheet serve``: the production server (granian, WSGI), never ``runserver``."""

from __future__ import annotations

import ipaddress
import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Threads a worker keeps, beyond those that run Django, for requests whose body is still on
# its way: granian hands a request to a thread before its body has arrived, and that thread
# waits for it (broadsheet/core/request_body.py keeps them out of Django's turn).
BODY_WAITING_THREADS = 32


def granian_executable() -> str:
    beside_python = Path(sys.executable).with_name("granian")
    found = str(beside_python) if beside_python.exists() else shutil.which("granian")
    if not found:
        raise CommandError("granian is not installed; run `make run` or `pip install granian`.")
    return found


def derived_site_url(host: str, port: int) -> str:
    """The address the server is reached at, for links, when BROADSHEET_SITE_URL is unset."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:  # 0.0.0.0 or ::, every interface: name the machine itself
        return f"http://127.0.0.1:{port}"
    return f"http://[{host}]:{port}" if address.version == 6 else f"http://{host}:{port}"


def granian_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    timeout = settings.SERVE_CLIENT_TIMEOUT
    return [
        granian_executable(),
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads + BODY_WAITING_THREADS),
        # Headers must arrive, and a kept-alive connection send its next request, in time.
        "--http1-header-read-timeout", str(timeout * 1000),
        # A worker that dies (killed, out of memory) is replaced; the others serve meanwhile.
        "--respawn-failed-workers",
        "--respawn-interval", "1",
        "--workers-kill-timeout", "10",
        "--no-ws",
        "broadsheet.wsgi:application",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve the site with granian (production WSGI server)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.SERVE_WORKERS,
            help="worker processes (default BROADSHEET_WORKERS, else 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SERVE_THREADS,
            help="threads per worker running Django (default BROADSHEET_THREADS, else 1)",
        )

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options) -> None:  # type: ignore[no-untyped-def]
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        command = granian_command(host, port, workers, threads)
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} granian worker(s)")
        sys.stdout.flush()
        # The workers read their settings anew: hand them what this command decided.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
        os.environ["BROADSHEET_THREADS"] = str(threads)
        if not settings.SITE_URL_CONFIGURED:
            os.environ["BROADSHEET_SITE_URL"] = derived_site_url(host, port)
        os.execv(command[0], command)
