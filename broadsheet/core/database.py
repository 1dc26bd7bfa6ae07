"""Database housekeeping that differs by engine."""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """Let the query planner see the data's real shape after bulk changes.

    Without statistics SQLite may pick a less selective index (comments by status rather than
    by article), which costs little on a small site and a great deal on a large one."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor in {"sqlite", "postgresql"} else "SELECT 1")
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Fold the write-ahead log back into the database file: after a million inserted
            # rows it held most of the data, and every read looked there first (the same site
            # answered its home page in 9.0 ms instead of 5.1 until it was checkpointed).
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
