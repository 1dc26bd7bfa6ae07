"""A served site for the outbox's crash tests: ``broadsheet serve`` in a process group of its
own, so a test can SIGKILL granian and its workers at once, as a crash or the OOM killer does."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.test_cli import BROADSHEET, free_port, run_cli

SETUP = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from broadsheet.comments.models import DiscussionSettings
from broadsheet.content.models import Article, Author
get_user_model().objects.create_superuser("chief", "chief@example.org", "unused-pass-91")
DiscussionSettings.objects.update_or_create(pk=1, defaults={
    "moderation": "hold-all", "min_seconds_to_write": 0, "flood_seconds": 0,
    "hourly_limit_per_ip": 0})
author = Author.objects.create(display_name="Desk", slug="desk")
article = Article.objects.create(title="Refit", body="The refit.", author=author,
    status="published", published_at=timezone.now() - timezone.timedelta(days=1))
print(article.get_absolute_url())
"""


def new_site(data_dir: Path) -> str:
    """A site with one article whose comments are held for the one moderator; its path."""
    for args in (("init", "--no-demo"), ("shell", "-c", SETUP)):
        done = run_cli(*args, data_dir=data_dir)
        assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def outbox_rows(data_dir: Path) -> list[tuple[int, int]]:
    """(id, attempts) of every row of the site's outbox, read straight from its database."""
    with sqlite3.connect(data_dir / "db.sqlite3") as database:
        return database.execute("SELECT id, attempts FROM outbox_mail ORDER BY id").fetchall()


@contextmanager
def serving(data_dir: Path, **settings: str) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``broadsheet serve`` (one worker) on ``data_dir``; yields its port and process once
    it answers, and stops whatever is left of it afterwards."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(BROADSHEET_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="broadsheet.settings")
    environ.update(settings)
    server = subprocess.Popen(
        [BROADSHEET, "serve", "--port", str(port), "--workers", "1"],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5).close()
                break
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        yield port, server
    finally:
        kill(server)


def kill(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL granian and its workers: nothing gets to run an exit handler."""
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait(timeout=10)
