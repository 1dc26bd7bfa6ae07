"""The database away at start-up or lost while serving: the server starts anyway, every
page is the designed 503 with Retry-After (never a traceback or the 500 page), and the site
recovers by itself once the database is back."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.faults.proxy import CuttableProxy
from tests.faults.served import Answer, fetch, new_site, serving
from tests.html import parse_html
from tests.test_cli import free_port

SESSION_DATABASE = os.environ.get("DATABASE_URL", "")


def assert_unavailable_page(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:300]
    assert int(answer.headers["Retry-After"]) > 0
    heading = parse_html(answer.body).find("h1")
    assert heading is not None and heading.text.strip() == "We will be back in a moment"
    assert b"Traceback" not in answer.body and b"Server error" not in answer.body


def wait_for(condition: Callable[[], bool], timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def pages(article: str) -> list[str]:
    return ["/", article, "/feed/", "/category/news/", "/comments/feed/", "/sitemap.xml"]


def test_an_sqlite_database_that_cannot_be_opened_gives_503_until_it_can(tmp_path: Path) -> None:
    article = new_site(tmp_path)
    away = tmp_path / "away"  # the database's folder is missing: "unable to open database file"
    url = f"sqlite:///{away / 'db.sqlite3'}"
    with serving(tmp_path, DATABASE_URL=url, BROADSHEET_PAGE_CACHE="off") as (port, _):
        for path in pages(article):
            assert_unavailable_page(fetch(port, path))
        away.mkdir()
        shutil.copy(tmp_path / "db.sqlite3", away / "db.sqlite3")
        assert wait_for(lambda: fetch(port, article).status == 200)


if SESSION_DATABASE.startswith("postgres"):

    @pytest.fixture
    def postgresql_url() -> Iterator[str]:
        """A throwaway database beside the run's own."""
        base, own = SESSION_DATABASE.rsplit("/", 1)
        name = f"{own}_faults"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{base}/{name}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def test_postgresql_away_at_start_and_lost_while_serving_gives_503_then_recovers(
        tmp_path: Path, postgresql_url: str
    ) -> None:
        article = new_site(tmp_path, DATABASE_URL=postgresql_url)
        real = urlsplit(postgresql_url)
        proxy = CuttableProxy((real.hostname or "127.0.0.1", real.port or 5432), free_port())
        through_proxy = real._replace(netloc=f"{real.username}@127.0.0.1:{proxy.port}").geturl()
        with serving(tmp_path, DATABASE_URL=through_proxy, BROADSHEET_PAGE_CACHE="off") as (
            port,
            _,
        ):
            # Nothing listens at the database's address: the server started all the same.
            for path in pages(article):
                assert_unavailable_page(fetch(port, path))
            proxy.restore()
            assert wait_for(lambda: fetch(port, article).status == 200)
            # The database goes away while the worker holds a connection to it.
            proxy.cut()
            for path in pages(article):
                assert_unavailable_page(fetch(port, path))
            proxy.restore()
            assert wait_for(lambda: fetch(port, article).status == 200)
            # A database host that takes connections and never answers: 503 in seconds.
            proxy.stall()
            answer = fetch(port, article, timeout=30)
            assert_unavailable_page(answer)
            assert answer.seconds < 15
            proxy.cut()
            proxy.restore()
            assert wait_for(lambda: fetch(port, article).status == 200)
            assert fetch(port, "/").status == 200
        proxy.cut()
