"""Two ``broadsheet mail send`` processes at once, on one outbox: each message goes out once,
on SQLite and (in a PostgreSQL run) on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from tests.test_cli import BROADSHEET

if TYPE_CHECKING:  # imported by pytest_plugins below, so that pytest rewrites its asserts
    from tests.comments.smtp import SmtpServer

pytest_plugins = ["tests.comments.smtp"]  # fixtures: smtp_server
MESSAGES = 60
FILL = f"""
from django.core.mail import EmailMessage
from django.utils import timezone
from broadsheet.outbox.messages import fix_identity, to_row
from broadsheet.outbox.models import Mail
rows = []
for n in range({MESSAGES}):
    message = EmailMessage(f"Notice {{n}}", "Text", "site@example.org", [f"r{{n}}@example.net"])
    fix_identity(message)
    row = to_row(message)
    row.next_attempt_at = timezone.now()
    rows.append(row)
Mail.objects.bulk_create(rows)
"""


CLAIMS = "SELECT DISTINCT claim FROM outbox_mail WHERE claim IS NOT NULL"
SESSION_DATABASE = os.environ.get("DATABASE_URL", "")
DATABASES = ["sqlite"] + (["postgresql"] if SESSION_DATABASE.startswith("postgres") else [])


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for the processes: SQLite in the data directory, or (when the run
    is on PostgreSQL) a throwaway database beside the run's own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    base = SESSION_DATABASE.rsplit("/", 1)[0]
    name = f"{SESSION_DATABASE.rsplit('/', 1)[1]}_senders"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def claims(database_url: str) -> set[str]:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as database:
            return {str(claim) for (claim,) in database.execute(CLAIMS)}
    with psycopg.connect(database_url) as database:
        return {str(claim) for (claim,) in database.execute(CLAIMS)}


def cli(*args: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BROADSHEET, *args], env=environ, capture_output=True, text=True, timeout=120, check=False
    )


def test_two_senders_at_once_send_every_message_exactly_once(
    tmp_path: Path, database_url: str, smtp_server: SmtpServer
) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environ.update(
        BROADSHEET_DATA_DIR=str(tmp_path),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
    )
    for args in (("init", "--no-demo"), ("shell", "-c", FILL)):
        done = cli(*args, environ=environ)
        assert done.returncode == 0, done.stderr
    smtp_server.clear()
    with smtp_server.answering_late():  # both are mid-send before either finishes
        senders = [
            subprocess.Popen(
                [BROADSHEET, "mail", "send"],
                env=environ,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 30
        while len(claims(database_url)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(claims(database_url)) >= 2, "the senders never held rows at the same time"
    reports = [sender.communicate(timeout=60) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], reports
    sent = [int(out.split()[1]) for out, _ in reports]  # "Sent N message(s); …"
    assert sum(sent) == MESSAGES and min(sent) > 0
    subjects = sorted(m.subject for m in smtp_server.messages)
    assert subjects == sorted(f"Notice {n}" for n in range(MESSAGES))
    assert cli("mail", "status", environ=environ).stdout.splitlines()[0] == (
        "Waiting: 0 (due now: 0)"
    )
