"""Fast multi-row inserts for the import's big tables (articles, revisions, comments, links).

``bulk_create`` builds a model instance and compiles every value through several layers per
row; for hundreds of thousands of rows that is most of an import's time. ``insert_rows`` takes
plain dicts, fills every other column from the model's own field defaults (so a field added
later with a default needs no change here), adapts only the values that need it (dates, JSON,
IP addresses) and hands the rows to the database's bulk path: ``COPY`` on PostgreSQL, one
prepared statement through ``executemany`` on SQLite. Used inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

_ADAPTED = {
    "DateTimeField",
    "DateField",
    "JSONField",
    "GenericIPAddressField",
    "DecimalField",
    "TimeField",
    "UUIDField",
    "DurationField",
    "BinaryField",
}


def _column_plan(model: type[models.Model], given: Sequence[str]) -> list[tuple[str, str, Any]]:
    """(attname, column, how to get the value) for every concrete column of ``model``."""
    plan: list[tuple[str, str, Any]] = []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.attname in given:
            source: Any = None
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            source = ("constant", now)
        elif field.primary_key:
            continue
        elif field.has_default() and callable(field.default):
            source = ("call", field.default)
        else:
            source = ("constant", field.get_default())
        plan.append((field.attname, field.column, (source, field)))
    return plan


def _sqlite_datetime(value: dt.datetime) -> str:
    # What Django's SQLite backend stores for an aware datetime: naive UTC, ISO with a space.
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def _json_text(value: object) -> str:
    return "{}" if value == {} else json.dumps(value)


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind not in _ADAPTED:
        return None
    if connection.vendor == "postgresql":
        # COPY reads text: JSON as its text, dates and addresses as the driver writes them.
        return _json_text if kind == "JSONField" else None
    if connection.vendor == "sqlite" and kind == "DateTimeField":
        return _sqlite_datetime
    if connection.vendor == "sqlite" and kind == "DateField":
        return dt.date.isoformat
    if connection.vendor == "sqlite" and kind == "GenericIPAddressField":
        return None  # stored as given
    if connection.vendor == "sqlite" and kind == "JSONField":
        return _json_text
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT every row (a dict of attnames → Python values) into ``model``'s table."""
    if not rows:
        return
    plan = _column_plan(model, list(rows[0].keys()))
    adapters = [_adapter(field) for _, _, (_, field) in plan]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _, column, _ in plan)
    table = quote(model._meta.db_table)
    marks = ", ".join(["%s"] * len(plan))
    values = []
    for row in rows:
        record = []
        for (attname, _, (source, _)), adapt in zip(plan, adapters, strict=True):
            if source is None:
                value = row[attname]
            elif source[0] == "call":
                value = source[1]()
            else:
                value = source[1]
            record.append(adapt(value) if adapt is not None and value is not None else value)
        values.append(record)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's own bulk path, values sent as they are, no statement per row.
            # (Errors become Django's, as through any cursor: callers catch DatabaseError.)
            with connection.wrap_database_errors:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for record in values:
                        copy.write_row(record)
            return
        # SQLite (and others): one prepared statement, run once per row by the driver.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
