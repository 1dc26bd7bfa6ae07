"""The sender's look for due mail while the database cannot be opened: one warning when it
goes, one line when it is back, not a traceback on every look. A real site in a process of
its own, whose database file is replaced by a directory SQLite cannot open."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import run_cli

LOOKS = """
from pathlib import Path
from django.conf import settings
from django.db import connections
from broadsheet.outbox import sender

database = Path(settings.DATABASES["default"]["NAME"])
away = database.with_name("away.sqlite3")

def looks(count):
    for _ in range(count):
        sender._look()
        connections.close_all()  # as the sender's thread does after each turn

looks(1)
print("DOWN", flush=True)
database.rename(away)
database.mkdir()
looks(3)
print("UP", flush=True)
database.rmdir()
away.rename(database)
looks(2)
"""


def test_an_unreachable_database_is_logged_once_and_its_return_once(tmp_path: Path) -> None:
    done = run_cli("init", "--no-demo", data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run_cli("shell", "-c", LOOKS, data_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["DOWN", "UP"]
    logged = [line for line in done.stderr.splitlines() if "broadsheet.outbox" in line]
    assert [line.split()[2:4] for line in logged] == [
        ["WARNING", "broadsheet.outbox.sender:"],
        ["INFO", "broadsheet.outbox.sender:"],
    ], done.stderr
    assert "unable to open database file" in logged[0]
    assert "Traceback" not in done.stderr
