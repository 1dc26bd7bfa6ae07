"""A throwaway site: its own data directory, on SQLite or in a PostgreSQL database created for it
next to the one a URL names, and dropped with it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BIN = Path(sys.executable).parent
BROADSHEET = BIN / "broadsheet"
PREPARE = Path(__file__).with_name("prepare_site.py")


def postgres_answers(url: str) -> str | None:
    """None when PostgreSQL at ``url`` accepts a connection, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


def _libpq(url: str) -> str:
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme in {"postgres", "pgsql"} else parts.scheme
    return urlunsplit(parts._replace(scheme=scheme))


class Site:
    """``broadsheet`` commands against one throwaway site; ``destroy()`` removes it."""

    def __init__(self, label: str, database_url: str | None = None) -> None:
        self.work = Path(tempfile.mkdtemp(prefix=f"broadsheet-{label}-"))
        self.data_dir = self.work / "site"
        self.database_name: str | None = None
        self._admin_url: str | None = None
        environ = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith("BROADSHEET_")
        }
        environ.update(
            BROADSHEET_DATA_DIR=str(self.data_dir),
            BROADSHEET_LOG_LEVEL="warning",
            # Mail to moderators about held comments is built but goes nowhere.
            BROADSHEET_EMAIL_URL="dummy://",
            DJANGO_SETTINGS_MODULE="broadsheet.settings",
        )
        if database_url:
            import psycopg

            self.database_name = f"broadsheet_{label.replace('-', '_')}_{os.getpid()}"
            self._admin_url = _libpq(database_url)
            with psycopg.connect(self._admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database_name}"')
                connection.execute(f'CREATE DATABASE "{self.database_name}"')
            parts = urlsplit(database_url)
            environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.database_name}"))
        self.environ = environ

    @property
    def database(self) -> str:
        return "postgresql" if self.database_name else "sqlite"

    def run(self, *args: str, quiet: bool = True) -> str:
        done = subprocess.run(
            [str(BROADSHEET), *args], env=self.environ, capture_output=True, text=True
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise SystemExit(f"broadsheet {' '.join(args)} failed ({done.returncode})")
        return done.stdout

    def build(self, articles: int, comments: int) -> float:
        """``init --no-demo`` then ``demo generate``; returns the seconds generate took."""
        self.run("init", "--no-demo")
        started = time.perf_counter()
        self.run("demo", "generate", "--articles", str(articles), "--comments", str(comments))
        return time.perf_counter() - started

    def helper(self, *args: str) -> dict[str, Any]:
        """Run prepare_site.py (Django, this site's settings) and return its JSON answer."""
        done = subprocess.run(
            [sys.executable, str(PREPARE), *args], env=self.environ, capture_output=True, text=True
        )
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-5000:])
            raise SystemExit(f"prepare_site.py {' '.join(args)} failed")
        return json.loads(done.stdout)

    def destroy(self) -> None:
        if self.database_name and self._admin_url:
            import psycopg

            with psycopg.connect(self._admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        shutil.rmtree(self.work, ignore_errors=True)


def page_paths(info: dict[str, Any]) -> dict[str, str]:
    """Each page kind's address on a site ``prepare_site.py prepare`` described (``info``)."""
    return {
        "home": "/",
        "article": info["hot_article"]["url"],
        "category": info["category_url"],
        "deep": f"/page/{min(2000, info['last_page'])}/",
        "feed": "/feed/",
        "atom": "/feed/atom/",
        "sitemap": "/sitemap.xml",
        "search": info["search_url"],
    }
