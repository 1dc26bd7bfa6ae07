"""System checks: the configured engine must fit the database and be usable there."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connection

from broadsheet.search.backends import VENDORS

# MATERIALIZED common table expressions (3.35) keep snippets to one page of results.
MINIMUM_SQLITE = (3, 35, 0)


@register()
def search_backend_fits_database(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    chosen = settings.SEARCH_BACKEND
    if chosen == "auto" and connection.vendor not in VENDORS.values():
        return [
            Error(f"Search needs SQLite or PostgreSQL, not {connection.vendor}.", id="search.E001")
        ]
    if chosen != "auto" and VENDORS[chosen] != connection.vendor:
        return [
            Error(
                f"BROADSHEET_SEARCH_BACKEND is {chosen!r} but the database is {connection.vendor}.",
                hint="Leave it at 'auto' to follow the database.",
                id="search.E002",
            )
        ]
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < MINIMUM_SQLITE:
        return [
            Error(
                f"Search needs SQLite {'.'.join(map(str, MINIMUM_SQLITE))} or later with FTS5; "
                f"this Python has SQLite {sqlite3.sqlite_version}.",
                id="search.E003",
            )
        ]
    return []


@register(Tags.database)
def search_language_exists(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``check --database default``: the PostgreSQL text search configuration exists.

    Only when asked for the database (as Django's own database checks): every other command,
    ``serve`` first, must start while the database is away."""
    if "default" not in (kwargs.get("databases") or ()) or connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [settings.SEARCH_LANGUAGE])
        if cursor.fetchone():
            return []
    return [
        Error(
            f"BROADSHEET_SEARCH_LANGUAGE is {settings.SEARCH_LANGUAGE!r}, which is not a "
            "PostgreSQL text search configuration.",
            hint="SELECT cfgname FROM pg_ts_config lists them (english, simple, german…).",
            id="search.E004",
        )
    ]
