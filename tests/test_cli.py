"""The ``broadsheet`` command, run for real: as a subprocess on a fresh data directory, and
in-process against the test database."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from broadsheet.content.models import Article, Status
from broadsheet.core.management.commands.serve import BODY_WAITING_THREADS
from tests.factories import ArticleFactory
from tests.html import parse_html

BROADSHEET = str(Path(sys.executable).with_name("broadsheet"))


def run_cli(*args: str, data_dir: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(BROADSHEET_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="broadsheet.settings")
    return subprocess.run(
        [BROADSHEET, *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_help_lists_the_commands_an_operator_needs(tmp_path: Path) -> None:
    result = run_cli("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("init", "serve", "createadmin", "articles list", "migrate", "check", "shell"):
        assert command in result.stdout


@pytest.fixture(scope="module")
def initialised_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    data_dir = tmp_path_factory.mktemp("site")
    first = run_cli("init", data_dir=data_dir)
    second = run_cli("init", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    return data_dir, first.stdout, second.stdout


def test_init_creates_wal_sqlite_and_a_private_secret_key(initialised_site) -> None:
    data_dir, _, _ = initialised_site
    with sqlite3.connect(data_dir / "db.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        titles = [row[0] for row in db.execute("SELECT title FROM content_article")]
    assert "Theresa May and Vladimir Putin discuss security cooperation" in titles
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50


def test_init_prints_the_admin_password_once_and_it_works(initialised_site) -> None:
    data_dir, first, second = initialised_site
    password_lines = [line for line in first.splitlines() if line.strip().startswith("password:")]
    assert len(password_lines) == 1
    assert "password" not in second
    password = password_lines[0].split(":", 1)[1].strip()
    check = run_cli(
        "shell",
        "-c",
        "from django.contrib.auth import authenticate; "
        f"print(authenticate(username='admin', password={password!r}) is not None)",
        data_dir=data_dir,
    )
    assert check.stdout.strip().splitlines()[-1] == "True", check.stderr


def test_second_init_keeps_the_data_and_adds_nothing(initialised_site) -> None:
    data_dir, _, _ = initialised_site
    with sqlite3.connect(data_dir / "db.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM content_article").fetchone()[0] == 7
        assert db.execute("SELECT COUNT(*) FROM auth_user WHERE is_superuser").fetchone()[0] == 1


def test_serve_runs_the_production_server_with_the_demo_blog(initialised_site) -> None:
    data_dir, _, _ = initialised_site
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_THREADS="3",
    )
    server = subprocess.Popen(
        [BROADSHEET, "serve", "--port", str(port), "--workers", "1"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body, server_header = "", ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body, server_header = (
                        response.read().decode(),
                        response.headers.get("server", ""),
                    )
                break
            except OSError:
                time.sleep(0.1)
        assert "The Military Army Blog" in body
        assert "Theresa May and Vladimir Putin discuss security cooperation" in body
        assert "granian" in server_header.lower()
        # serve became granian (exec), with BROADSHEET_THREADS threads a worker running
        # Django and the threads kept for requests whose body is still arriving.
        argv = Path(f"/proc/{server.pid}/cmdline").read_bytes().decode().split("\0")
        assert argv[argv.index("--blocking-threads") + 1] == str(3 + BODY_WAITING_THREADS)
        # Dead workers are replaced; silent clients are dropped.
        assert "--respawn-failed-workers" in argv
        assert "--http1-header-read-timeout" in argv
        # With no BROADSHEET_SITE_URL, links name the address the server listens on.
        head = parse_html(body).find("head")
        canonical = head.find("link", rel="canonical").attrs["href"]
        og_url = head.find("meta", property="og:url").attrs["content"]
        assert canonical == og_url == f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def deploy_check_ids(data_dir: Path, **variables: str) -> set[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_SECRET_KEY="k" * 60,
        **variables,
    )
    result = subprocess.run(
        [BROADSHEET, "check", "--deploy"], env=environ, capture_output=True, text=True, check=False
    )
    return set(re.findall(r"\(([a-z_.]+\.[EW]\d+)\)", result.stdout + result.stderr))


def test_an_https_site_gets_hsts_and_the_https_redirect_by_default(tmp_path: Path) -> None:
    ids = deploy_check_ids(tmp_path, BROADSHEET_SITE_URL="https://news.example.org")
    assert {"security.W004", "security.W008"} & ids == set()
    behind_proxy = deploy_check_ids(
        tmp_path, BROADSHEET_SITE_URL="https://news.example.org", BROADSHEET_BEHIND_PROXY="true"
    )
    assert {"security.W004", "security.W008"} & behind_proxy == set()
    # Each can be turned off (a proxy that redirects itself), and check --deploy says so.
    turned_off = deploy_check_ids(
        tmp_path,
        BROADSHEET_SITE_URL="https://news.example.org",
        BROADSHEET_HSTS_SECONDS="0",
        BROADSHEET_SSL_REDIRECT="off",
    )
    assert {"security.W004", "security.W008"} <= turned_off


def test_init_no_demo_starts_an_empty_site(tmp_path: Path) -> None:
    result = run_cli("init", "--no-demo", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM content_article").fetchone()[0] == 0


def test_a_bad_environment_value_stops_with_a_clear_message(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ.update(
        BROADSHEET_DATA_DIR=str(tmp_path),
        BROADSHEET_DEBUG="maybe",
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
    )
    result = subprocess.run(
        [BROADSHEET, "check"], env=environ, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "broadsheet: configuration error: BROADSHEET_DEBUG must be one of "
        "true/false/1/0/yes/no/on/off, not 'maybe'"
    )


@pytest.mark.django_db
def test_articles_list_prints_one_line_per_article_with_id_first() -> None:
    article = ArticleFactory(title="Frigates ordered")
    ArticleFactory(title="A draft", status=Status.DRAFT, published_at=None)
    output = StringIO()
    call_command("articles", "list", "--status", "published", stdout=output)
    lines = output.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].split("\t")[0] == str(article.pk)
    assert lines[0].endswith("Frigates ordered")


@pytest.mark.django_db
def test_articles_publish_and_unpublish_change_status() -> None:
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)
    call_command("articles", "publish", str(draft.pk), stdout=StringIO())
    assert Article.objects.get(pk=draft.pk).is_live
    call_command("articles", "unpublish", str(draft.pk), stdout=StringIO())
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    with pytest.raises(CommandError, match="No article with id 999999"):
        call_command("articles", "publish", "999999", stdout=StringIO())


@pytest.mark.django_db
def test_createadmin_prints_a_working_password_and_refuses_duplicates() -> None:
    output = StringIO()
    call_command("createadmin", "chief", stdout=output)
    password = next(
        line.split(":", 1)[1].strip()
        for line in output.getvalue().splitlines()
        if "password:" in line
    )
    user = authenticate(username="chief", password=password)
    assert user is not None and user.is_superuser
    assert user.groups.filter(name="Administrator").exists()
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", "chief", stdout=StringIO())
