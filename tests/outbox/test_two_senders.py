"""Two ``broadsheet mail send`` processes at once, on one outbox: each message goes out once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.test_cli import BROADSHEET, run_cli

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


def claims(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / "db.sqlite3") as database:
        rows = database.execute("SELECT DISTINCT claim FROM outbox_mail WHERE claim IS NOT NULL")
        return {claim for (claim,) in rows}


def test_two_senders_at_once_send_every_message_exactly_once(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    for args in (("init", "--no-demo"), ("shell", "-c", FILL)):
        done = run_cli(*args, data_dir=tmp_path)
        assert done.returncode == 0, done.stderr
    smtp_server.clear()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
        BROADSHEET_EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
    )
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
        while len(claims(tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(claims(tmp_path)) >= 2, "the senders never held rows at the same time"
    reports = [sender.communicate(timeout=60) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], reports
    sent = [int(out.split()[1]) for out, _ in reports]  # "Sent N message(s); …"
    assert sum(sent) == MESSAGES and min(sent) > 0
    subjects = sorted(m.subject for m in smtp_server.messages)
    assert subjects == sorted(f"Notice {n}" for n in range(MESSAGES))
    assert run_cli("mail", "status", data_dir=tmp_path).stdout.splitlines()[0] == (
        "Waiting: 0 (due now: 0)"
    )
