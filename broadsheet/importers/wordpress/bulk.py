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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
    if value.tzinfo is not dt.UTC and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ")


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
    # Per column: the attname to read from the row, or a value fixed for every row (adapted
    # once, here, rather than once per row).
    given: list[tuple[int, str, Callable[[Any], Any] | None]] = []
    fixed: list[Any] = []
    calls: list[tuple[int, Callable[[], Any], Callable[[Any], Any] | None]] = []
    for index, (attname, _, (source, field)) in enumerate(plan):
        adapt = _adapter(field)
        if source is None:
            given.append((index, attname, adapt))
            fixed.append(None)
        elif source[0] == "call":
            calls.append((index, source[1], adapt))
            fixed.append(None)
        else:
            value = source[1]
            fixed.append(adapt(value) if adapt is not None and value is not None else value)
    plain = [(index, attname) for index, attname, adapt in given if adapt is None]
    adapted = [(index, attname, adapt) for index, attname, adapt in given if adapt is not None]
    values = []
    for row in rows:
        record = fixed.copy()
        for index, attname in plain:
            record[index] = row[attname]
        for index, attname, adapt in adapted:
            value = row[attname]
            record[index] = adapt(value) if value is not None else None
        for index, call, adapt in calls:
            value = call()
            record[index] = adapt(value) if adapt is not None and value is not None else value
        values.append(record)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _, column, _ in plan)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's own bulk path, values sent as they are, no statement per row.
            # (Errors become Django's, as through any cursor: callers catch DatabaseError.)
            with connection.wrap_database_errors:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    write = copy.write_row
                    for record in values:
                        write(record)
            return
        # SQLite (and others): one prepared statement, run once per row by the driver.
        marks = ", ".join(["%s"] * len(plan))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


@contextmanager
def import_session() -> Iterator[None]:
    """The connection tuned for one long run of bulk writes, and put back afterwards.

    SQLite: a larger page cache; durability stays as always (WAL, ``synchronous=NORMAL``:
    a power cut can lose the last commits, never damage the file — ``OFF`` measured no
    faster enough to risk that). PostgreSQL: ``synchronous_commit=off``, which may lose the
    last commits in a crash but never corrupts anything; each batch still commits, and
    running the import again is safe. Inside a caller's transaction (SQLite cannot change
    these there) nothing is changed."""
    vendor = connection.vendor if not connection.in_atomic_block else "unchanged"
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB
        elif vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
            elif vendor == "postgresql":
                cursor.execute("RESET synchronous_commit")
