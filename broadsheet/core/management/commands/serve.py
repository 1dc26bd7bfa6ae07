"""``broadsheet serve``: the production server (granian, WSGI), never ``runserver``."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def granian_executable() -> str:
    beside_python = Path(sys.executable).with_name("granian")
    found = str(beside_python) if beside_python.exists() else shutil.which("granian")
    if not found:
        raise CommandError("granian is not installed; run `make run` or `pip install granian`.")
    return found


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
            help="blocking threads per worker (default BROADSHEET_THREADS, else 1)",
        )

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options) -> None:  # type: ignore[no-untyped-def]
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        command = [
            granian_executable(),
            "--interface", "wsgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", str(threads),
            "--no-ws",
            "broadsheet.wsgi:application",
        ]  # fmt: skip
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} granian worker(s)")
        sys.stdout.flush()
        os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
            "DJANGO_SETTINGS_MODULE", "broadsheet.settings"
        )
        os.execv(command[0], command)
