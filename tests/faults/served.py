"""Real servers for the fault tests: ``broadsheet serve`` in a process group of its own, a
site set up by the real CLI, and requests that report what a visitor would see."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.html import parse_html, read_form
from tests.test_cli import BROADSHEET, free_port

# One article whose comments are taken at once (no delay, flood or hourly limits), so a test
# can post as fast as it likes; prints the article's path.
SETUP = """
from django.utils import timezone
from broadsheet.comments.models import DiscussionSettings
from broadsheet.content.models import Article, Author
DiscussionSettings.objects.update_or_create(pk=1, defaults={
    "moderation": "hold-all", "min_seconds_to_write": 0, "flood_seconds": 0,
    "hourly_limit_per_ip": 0})
author = Author.objects.create(display_name="Desk", slug="desk")
article = Article.objects.create(title="Refit", body="The refit.", author=author,
    status="published", published_at=timezone.now() - timezone.timedelta(days=1))
print(article.get_absolute_url())
"""


def site_environ(data_dir: Path, **settings: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_EMAIL_URL="dummy://",
    )
    environ.update(settings)
    return environ


def cli(*args: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BROADSHEET, *args], env=environ, capture_output=True, text=True, timeout=120, check=False
    )


def new_site(data_dir: Path, setup: str = SETUP, **settings: str) -> str:
    """An initialised site with one commentable article (``setup`` run in its shell); the
    article's path, the last line ``setup`` prints."""
    environ = site_environ(data_dir, **settings)
    for args in (("init", "--no-demo"), ("shell", "-c", setup)):
        done = cli(*args, environ=environ)
        assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float


def fetch(port: int, path: str = "/", timeout: float = 5, **kwargs: object) -> Answer:
    """One request on a new connection, as a visitor's browser makes it; redirects not followed."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(kwargs.pop("method", "GET"), path, **kwargs)  # type: ignore[arg-type]
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return Answer(response.status, response.headers, body, time.monotonic() - started)


def post_comment(port: int, path: str, **fields: str) -> tuple[int, str]:
    """Post through the article's form as a browser does: the status and the Location."""
    page = fetch(port, path, timeout=10)
    form = read_form(page.body, "commentform")
    action = parse_html(page.body).find("form", id="commentform").attrs["action"] or ""
    body = urllib.parse.urlencode(form.data(**fields), doseq=True)
    answer = fetch(
        port,
        urllib.parse.urljoin(path, action),
        timeout=10,
        method="POST",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    return answer.status, answer.headers.get("Location", "")


@contextmanager
def serving(
    data_dir: Path, *, workers: int = 1, log: Path | None = None, **settings: str
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``broadsheet serve`` on ``data_dir``; yields its port and process once it answers
    anything at all (a 503 too), and stops whatever is left of it afterwards."""
    port = free_port()
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [BROADSHEET, "serve", "--port", str(port), "--workers", str(workers)],
        env=site_environ(data_dir, **settings),
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert server.poll() is None, f"broadsheet serve exited with {server.returncode}"
            try:
                fetch(port, "/robots.txt", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        yield port, server
    finally:
        kill(server)
        if log:
            output.close()  # type: ignore[union-attr]


def kill(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL granian and its workers: nothing gets to run an exit handler."""
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait(timeout=10)


def workers_of(server: subprocess.Popen[bytes]) -> list[int]:
    """The process ids of granian's workers (``serve`` became granian, the same process)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]
