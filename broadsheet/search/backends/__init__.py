"""The engine chosen in settings (``SEARCH_BACKEND``), like Django's ``EMAIL_BACKEND``:
"auto" picks by database vendor. Vendor-specific SQL stays in the modules here."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from broadsheet.search.backends.base import SearchBackend

VENDORS = {"sqlite": "sqlite", "postgres": "postgresql"}


def backend_name() -> str:
    """ "sqlite" or "postgres": the configured engine, or the database's when "auto"."""
    chosen = getattr(settings, "SEARCH_BACKEND", "auto")
    if chosen != "auto":
        return chosen
    for name, vendor in VENDORS.items():
        if connection.vendor == vendor:
            return name
    raise ImproperlyConfigured(
        f"Search supports SQLite and PostgreSQL; this database is {connection.vendor}."
    )


def get_backend() -> SearchBackend:
    name = backend_name()
    if VENDORS.get(name) != connection.vendor:
        raise ImproperlyConfigured(
            f"BROADSHEET_SEARCH_BACKEND is {name!r} but the database is {connection.vendor}."
        )
    if name == "sqlite":
        from broadsheet.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend()
    from broadsheet.search.backends.postgres import PostgresBackend

    return PostgresBackend(language=settings.SEARCH_LANGUAGE)
