"""Which errors mean the database cannot be reached right now, and how long visitors should
wait: such a request is answered 503 with Retry-After, never the 500 page."""

from __future__ import annotations

import sqlite3

import psycopg
from django.db import InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 30

# Django's wrappers, and the drivers' own classes for reads that go to a driver's cursor.
UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    sqlite3.OperationalError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def database_unavailable(error: BaseException | None) -> bool:
    """True when ``error``, or an error it was raised from or while handling, says the
    database is down, unreachable, locked or unreadable (not a bug in a query)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
