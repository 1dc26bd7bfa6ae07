"""Many readers commenting at once, through the production server on the default SQLite.

32 posters, each with its own cookies, post 20 comments apiece into ``broadsheet serve`` (granian,
two worker processes). Every post must be stored exactly once and answered with a redirect:
SQLite's single writer may make posts queue, never fail with "database is locked".
"""

from __future__ import annotations

import http.cookiejar
import os
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin

import pytest

from tests.html import parse_html, read_form
from tests.test_cli import BROADSHEET, free_port, run_cli

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite pass"
)

POSTERS = 32
COMMENTS_EACH = 20
REQUEST_TIMEOUT = 15  # seconds for any one request
POSTING_TIME = 60  # seconds for all the posts; about 20 on two cores
SERVER_START_TIMEOUT = 30

# Open the floodgates: no moderation queue, no flood or hourly limits, no minimum writing time.
CONFIGURE_DISCUSSION = """\
from broadsheet.comments.models import DiscussionSettings
DiscussionSettings.objects.update_or_create(pk=1, defaults={
    "moderation": DiscussionSettings.Moderation.APPROVE_ALL,
    "flood_seconds": 0,
    "hourly_limit_per_ip": 0,
    "min_seconds_to_write": 0,
})
"""


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    database: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


@dataclass(frozen=True)
class Outcome:
    """What the server answered to one post (``status`` None: no answer at all)."""

    poster: int
    index: int
    status: int | None
    body: str = ""

    def __str__(self) -> str:
        return f"poster {self.poster} comment {self.index}: {self.status}\n{self.body[:2000]}"


def comment_text(poster: int, index: int) -> str:
    return f"Poster {poster:02d} writes comment {index:02d} about the Baltic manoeuvres."


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand 3xx responses back as they are: the 303 after a post is what is being checked."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A freshly initialised site served by ``broadsheet serve --workers 2``."""
    data_dir = tmp_path / "site"
    for step in (("init",), ("shell", "-c", CONFIGURE_DISCUSSION)):
        result = run_cli(*step, data_dir=data_dir)
        assert result.returncode == 0, result.stderr
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(data_dir),
        BROADSHEET_EMAIL_URL="dummy://",
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
    )
    log = tmp_path / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [BROADSHEET, "serve", "--port", str(port), "--workers", "2"],
            env=environ,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    running = Server(f"http://127.0.0.1:{port}", log, data_dir / "db.sqlite3")
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(running.url + "/", timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                assert process.poll() is None, f"the server stopped:\n{running.log_tail()}"
                assert time.monotonic() < deadline, f"no answer:\n{running.log_tail()}"
                time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def first_article_url(server: Server) -> str:
    with urllib.request.urlopen(server.url + "/", timeout=REQUEST_TIMEOUT) as response:
        home = parse_html(response.read())
    link = home.find_all(class_="entry-title")[0].find_all("a")[0]
    return urljoin(server.url + "/", link.attrs["href"] or "")


def post_comments(article_url: str, poster: int, deadline: float) -> list[Outcome]:
    """One reader: load the article with their own cookies, then post COMMENTS_EACH comments
    through the form as rendered, following no redirects. Nothing is sent after ``deadline``
    (a ``time.monotonic()`` value), so a stuck server cannot hold the test for long."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
    )
    with opener.open(article_url, timeout=REQUEST_TIMEOUT) as response:
        page = response.read()
    action = parse_html(page).find("form", id="commentform").attrs["action"] or ""
    form = read_form(page, "commentform")
    outcomes = []
    for index in range(COMMENTS_EACH):
        time_left = deadline - time.monotonic()
        if time_left <= 0:
            outcomes.append(Outcome(poster, index, None, "not sent: out of time"))
            continue
        data = form.data(
            comment=comment_text(poster, index),
            author=f"Poster {poster:02d}",
            email=f"poster{poster:02d}@example.org",
        )
        request = urllib.request.Request(
            urljoin(article_url, action), data=urlencode(data, doseq=True).encode(), method="POST"
        )
        try:
            with opener.open(request, timeout=min(REQUEST_TIMEOUT, time_left)) as response:
                outcomes.append(Outcome(poster, index, response.status, response.read().decode()))
        except urllib.error.HTTPError as answer:
            body = "" if answer.code == 303 else answer.read().decode(errors="replace")
            outcomes.append(Outcome(poster, index, answer.code, body))
        except OSError as error:  # a timeout or a dropped connection: no answer
            outcomes.append(Outcome(poster, index, None, repr(error)))
    return outcomes


def test_concurrent_posters_on_sqlite_each_get_a_redirect_and_every_comment_is_stored_once(
    server: Server,
) -> None:
    article_url = first_article_url(server)
    started = time.monotonic()

    with ThreadPoolExecutor(max_workers=POSTERS) as pool:
        posters = [
            pool.submit(post_comments, article_url, poster, started + POSTING_TIME)
            for poster in range(POSTERS)
        ]
    elapsed = time.monotonic() - started

    outcomes = [outcome for poster in posters for outcome in poster.result()]
    assert len(outcomes) == POSTERS * COMMENTS_EACH
    failed = [outcome for outcome in outcomes if outcome.status != 303]
    report = (
        f"statuses {dict(Counter(outcome.status for outcome in outcomes))} in {elapsed:.1f} s; "
        "first failures:\n"
        + "\n".join(map(str, failed[:3]))
        + f"\nend of the server log:\n{server.log_tail()}"
    )
    # A 500 page does not say why: the traceback is in the server's log.
    assert not any("database is locked" in outcome.body for outcome in failed), report
    assert "database is locked" not in server.log_text(), report
    assert failed == [], report

    with closing(sqlite3.connect(server.database)) as database:
        stored = Counter(body for (body,) in database.execute("SELECT body FROM comments_comment"))
    expected = Counter(
        comment_text(poster, index) for poster in range(POSTERS) for index in range(COMMENTS_EACH)
    )
    assert sum(stored.values()) == POSTERS * COMMENTS_EACH
    assert stored == expected
