"""A served site for the outbox's crash tests: the fault tests' served site
(``tests/faults/served.py``: ``broadsheet serve`` in a process group of its own, so a test can
SIGKILL granian and its workers at once, as a crash or the OOM killer does), with a moderator
to notify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.faults import served
from tests.faults.served import kill, serving

__all__ = ["kill", "new_site", "outbox_rows", "serving"]

SETUP = (
    """
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("chief", "chief@example.org", "unused-pass-91")
"""
    + served.SETUP
)


def new_site(data_dir: Path) -> str:
    """A site with one article whose comments are held for the one moderator; its path."""
    return served.new_site(data_dir, setup=SETUP)


def outbox_rows(data_dir: Path) -> list[tuple[int, int]]:
    """(id, attempts) of every row of the site's outbox, read straight from its database."""
    with sqlite3.connect(data_dir / "db.sqlite3") as database:
        return database.execute("SELECT id, attempts FROM outbox_mail ORDER BY id").fetchall()
