"""Hot public reads as SQL written once, loaded into ordinary model instances.

Why: on an article with 100 comments, building and compiling the ORM's ten queries cost more
than everything else on the page together (cProfile: about 60 % of 17 ms a request, the
database itself well under 1 ms). A statement here is plain SQL that SQLite and PostgreSQL both
read (double-quoted names, ``%s`` parameters); its rows go through Django's own converters for
each column, so the instances are exactly what the ORM would have built (aware datetimes,
booleans, dates) and templates and model methods work on them unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

Model = TypeVar("Model", bound=models.Model)


def quoted(name: str) -> str:
    return f'"{name}"'


def run(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Every row of one statement."""
    cursor = _kept_cursor()
    cursor.execute(sql, params)
    return cursor.fetchall()


@dataclass(eq=False)
class Read:
    """One SELECT for ``run_together``: its SQL, parameters and number of columns; after the
    run, its rows (as ``run`` would have returned them) in ``rows``."""

    sql: str
    params: Sequence[Any]
    width: int
    rows: list[tuple] = field(default_factory=list)


def run_together(first: Read, second: Read | None) -> None:
    """Run two independent reads as one statement and leave each one's rows in its ``rows``.

    Why: on PostgreSQL a statement costs about 90 µs of CPU whatever it does (58 µs in the
    worker, 33 in the server for a one-row lookup, timed in a loop on the bench's site), and
    the article page's reads after the article itself need only the article. Each read keeps
    its own columns in the combined rows, NULL in the other's, so the two need not agree on
    types; the first column says whose row it is. Rows come back in no promised order: a read
    that needs one aggregates. Two and no more: PostgreSQL types a UNION's NULL columns pair
    by pair, and a third read's columns would meet NULL against NULL and be taken for text."""
    if second is None:
        first.rows = run(first.sql, first.params)
        return
    before, after = ", NULL" * first.width, ", NULL" * second.width
    sql = (
        f'SELECT 0, "r0".*{after} FROM ({first.sql}) "r0" '
        f'UNION ALL SELECT 1{before}, "r1".* FROM ({second.sql}) "r1"'
    )
    first.rows, second.rows = [], []
    split = 1 + first.width
    for row in run(sql, [*first.params, *second.params]):
        if row[0] == 0:
            first.rows.append(row[1:split])
        else:
            second.rows.append(row[split:])


def _kept_cursor() -> Any:
    """This thread's cursor on its connection, kept from one statement to the next.

    Why: making and closing a cursor for each statement cost 20 µs of client CPU on
    PostgreSQL, a third of a simple query's (timed in a loop on the benchmark's site); the
    article page runs six. A new one is made when the connection is another (closed, reopened)
    or starts or stops logging queries (Django's query capture wraps its cursors)."""
    database = connections[DEFAULT_DB_ALIAS]  # this thread's, as ``connection`` finds it
    kept = database.__dict__.get("_kept_cursor")
    if kept is not None and kept[0] is database.connection and kept[1] == database.queries_logged:
        return kept[2]
    cursor = database.cursor()
    if database.vendor == "postgresql":
        _load_times_in_c(database, cursor)
    database._kept_cursor = (database.connection, database.queries_logged, cursor)
    return cursor


def _load_times_in_c(database: Any, cursor: Any) -> None:
    """Read ``timestamptz`` values on this cursor with psycopg's own loader (C, in its binary
    package) rather than the one Django registers, a subclass of psycopg's pure-Python loader
    that parses each value with a regular expression: 3.7 µs a value against 0.2, and an
    article page reads seventeen, a list page thirty. Only where the two give the very same
    datetimes: Django's loader pins the connection's time zone onto the value, psycopg's
    converts to the session's, and Django sets the session's to the connection's, which for
    UTC is the same ``datetime.timezone.utc``. (Django's loader cannot simply be replaced on
    the connection: it reads the loader's ``timezone``, which psycopg's C class lacks.)"""
    if database.timezone is not dt.UTC or database.timezone_name != "UTC":
        return
    import psycopg
    from psycopg.pq import Format

    psycopg_cursor = getattr(cursor, "cursor", cursor)  # through Django's wrapper
    timestamptz = psycopg.adapters.types["timestamptz"].oid
    own = psycopg.adapters.get_loader(timestamptz, Format.TEXT)
    if own is not None:
        psycopg_cursor.adapters.register_loader(timestamptz, own)


def moment(value: dt.datetime) -> Any:
    """A datetime parameter as this database stores them (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def _sqlite_moment(value: Any, expression: Any, connection: Any) -> dt.datetime | None:
    """SQLite's text (read without its declared type, so not parsed once already by Django's
    Python-level decoder) as an aware UTC datetime: ``fromisoformat`` is C, and Django keeps
    SQLite's times in UTC when ``USE_TZ`` is on."""
    return None if value is None else dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def stored_moment(value: Any) -> dt.datetime | None:
    """A time read without its column's converters (an aggregate's, say) as an aware
    datetime: SQLite gives its stored text, PostgreSQL already an aware datetime."""
    return _sqlite_moment(value, None, None) if isinstance(value, str) else value


def loaded_instance(model: type[Model], fields: Any, db: str = DEFAULT_DB_ALIAS) -> Model:
    """An instance of ``model`` holding ``fields`` (a dict, or (attname, value) pairs) as
    loading its row would, without ``Model.__init__`` (see ``Columns.load_all``)."""
    instance = model.__new__(model)
    state = ModelState()
    state.adding, state.db = False, db
    instance.__dict__.update(fields, _state=state)
    return instance


class Columns(Generic[Model]):
    """Some of a model's fields as a SELECT list, and rows of them back as instances.

    ``Columns(Article, "a", ["id", "title"]).sql()`` is ``"a"."id", "a"."title"``;
    ``load(row)`` turns the first ``len(self)`` values of a row into an ``Article`` (the other
    fields deferred, loaded on access like ``.only()``)."""

    def __init__(self, model: type[Model], alias: str, names: Iterable[str] | None = None) -> None:
        meta = model._meta
        fields = (
            [meta.get_field(name) for name in names]
            if names is not None
            else list(meta.concrete_fields)
        )
        self.model = model
        self.fields = fields
        self.attnames = [field.attname for field in fields]
        self._names = [f"{quoted(alias)}.{quoted(field.column)}" for field in fields]
        self._columns = [field.get_col(alias) for field in fields]
        self._this_database: tuple[str, list[tuple[int, list, Any]]] | None = None

    def __len__(self) -> int:
        return len(self.fields)

    def _for_this_database(self) -> tuple[str, list[tuple[int, list, Any]]]:
        """The SELECT list and (position, converters, column) for the columns this database
        needs converted, worked out once. A process has one database (``DATABASES`` is read
        once): asking ``connection.vendor`` on every call went through Django's context-local
        lookup, a few µs each, dozens of times a page."""
        if self._this_database is None:
            vendor = connections[DEFAULT_DB_ALIAS].vendor
            names, found = list(self._names), []
            times_utc = settings.USE_TZ and not connection.settings_dict.get("TIME_ZONE")
            for position, (field, column) in enumerate(
                zip(self.fields, self._columns, strict=True)
            ):
                if (
                    vendor == "sqlite"
                    and times_utc
                    and field.get_internal_type() == "DateTimeField"
                ):
                    names[position] = f"+{names[position]}"  # no declared type: plain text
                    found.append((position, [_sqlite_moment], column))
                    continue
                functions = connection.ops.get_db_converters(column) + field.get_db_converters(
                    connection
                )
                if functions:
                    found.append((position, functions, column))
            self._this_database = (", ".join(names), found)
        return self._this_database

    def sql(self) -> str:
        return self._for_this_database()[0]

    def values(self, row: Sequence[Any], start: int = 0) -> list[Any]:
        return self.values_of([row], start)[0]

    def values_of(self, rows: Iterable[Sequence[Any]], start: int = 0) -> list[list[Any]]:
        """Each row's values for these columns, converted (the connection looked up once:
        Django finds it through a context-local lookup that cost more than a conversion)."""
        end = start + len(self.fields)
        converters = self._for_this_database()[1]
        if not converters:
            return [list(row[start:end]) for row in rows]
        real = connections[DEFAULT_DB_ALIAS]
        found = []
        for row in rows:
            values = list(row[start:end])
            for position, functions, column in converters:
                value = values[position]
                for function in functions:
                    value = function(value, column, real)
                values[position] = value
            found.append(values)
        return found

    def load(self, row: Sequence[Any], start: int = 0) -> Model:
        return self.load_all([row], start)[0]

    def load_all(self, rows: Iterable[Sequence[Any]], start: int = 0) -> list[Model]:
        """Each row as an instance, as ``Model.from_db`` builds it (the fields not selected
        deferred), but with the values put straight into the new instance's ``__dict__``.

        Why: ``Model.__init__`` walks every field with ``setattr`` and sends two signals; it
        was two thirds of loading a list page's thirty instances. On a new instance this is
        what it does, unless something listens to the model's init signals (then it runs)."""
        model, attnames = self.model, self.attnames
        all_values = self.values_of(rows, start)
        if pre_init.has_listeners(model) or post_init.has_listeners(model):
            return [model.from_db(DEFAULT_DB_ALIAS, attnames, values) for values in all_values]
        return [loaded_instance(model, zip(attnames, values, strict=True)) for values in all_values]
