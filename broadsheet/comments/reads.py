"""The comment section's reads, in SQL written once (see ``core/sql.py`` for why): the approved
counts with the versions of a page of comments, a page of threads with all their replies, and a
visitor's own held comments. Rows come back as ``cards.CardRow``; the email is read only when
Gravatar (which publishes its hash) is on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from broadsheet.comments.cards import CARD_FIELDS, CardRow
from broadsheet.comments.models import Comment
from broadsheet.core.sql import Columns, Read, quoted, run, run_together

COMMENTS = quoted(Comment._meta.db_table)
APPROVED = Comment.Status.APPROVED
CARD = Columns(Comment, "c", ["id", *CARD_FIELDS[1:]])
CARD_WITH_EMAIL = Columns(Comment, "c", ["id", *CARD_FIELDS[1:], "author_email"])
# (id, updated_at as text) per comment, in page order. As text because the pair is only ever
# compared: PostgreSQL's driver parsed 100 timestamps into datetimes for every article page
# (0.5 ms of its 2.7 ms of CPU, cProfile on the benchmark's site), SQLite's text needs nothing.
VERSION = '"c"."id", CAST("c"."updated_at" AS TEXT)'
# A page's versions: "id:updated_at" per comment, in page order, joined by commas — made by the
# database (``_versions_sql``) or, from a page's rows, by ``versions_text``; the same text both
# ways, so one is found under the other.
Versions = str


def _card_columns() -> Columns[Comment]:
    return CARD_WITH_EMAIL if settings.GRAVATAR_ENABLED else CARD


def _card_rows(columns: Columns[Comment], rows: list[tuple]) -> list[CardRow]:
    return [CardRow(*values) for values in columns.values_of(rows)]


# (comments, threads) approved on an article; parameters: article, status.
COUNTS = (
    'SELECT COUNT(*) AS "total", COUNT(CASE WHEN "thread_id" IS NULL THEN 1 END) AS "threads" '
    f'FROM {COMMENTS} WHERE "article_id" = %s AND "status" = %s'
)


def _roots_sql(newest_first: bool) -> str:
    """The ``roots`` CTE: threads ``start`` to ``start + size`` in the section's order;
    parameters: article, status, size, start."""
    way = "DESC" if newest_first else "ASC"
    return (
        f'"roots" AS (SELECT "id" FROM {COMMENTS} WHERE "article_id" = %s '
        'AND "status" = %s AND "thread_id" IS NULL '
        f'ORDER BY "created_at" {way}, "id" {way} LIMIT %s OFFSET %s)'
    )


# A comment of the window: a root or a reply in one; parameters: article, status.
IN_WINDOW = (
    '"c"."article_id" = %s AND "c"."status" = %s AND ("c"."id" IN (SELECT "id" FROM "roots") '
    'OR "c"."thread_id" IN (SELECT "id" FROM "roots"))'
)
PAGE_ORDER = ' ORDER BY "c"."created_at", "c"."id"'


def _threads_window_sql(select_list: str, newest_first: bool) -> str:
    """Threads ``start`` to ``start + size`` (in the section's order) and every reply in them,
    oldest first; parameters: article, status, size, start, article, status."""
    return (
        f"WITH {_roots_sql(newest_first)} "
        f'SELECT {select_list} FROM {COMMENTS} "c" WHERE {IN_WINDOW}{PAGE_ORDER}'
    )


def _counted_window_sql(select_list: str, newest_first: bool) -> str:
    """The approved counts, then ``select_list`` for each comment of the window (threads
    ``start`` to ``start + size`` and their replies, oldest first): one row of counts and
    NULLs when the window is empty. Parameters: ``_counted_params``."""
    return (
        f'WITH {_roots_sql(newest_first)}, "counts" AS ({COUNTS}) '
        f'SELECT "counts"."total", "counts"."threads", {select_list} FROM "counts" '
        f'LEFT JOIN {COMMENTS} "c" ON {IN_WINDOW}{PAGE_ORDER}'
    )


def _counted_params(article_id: int, start: int, size: int) -> list:
    return [article_id, APPROVED, size, start, article_id, APPROVED, article_id, APPROVED]


def summary_read(article_id: int, *, start: int, size: int, newest_first: bool) -> Read:
    """(comments, threads) approved on the article, and the versions of every comment
    ``threads_page`` would return for the window, as one row: for ``summary_of``, run alone
    (``counts_and_versions``) or with another read of the page (``core.sql.run_together``).
    Every write to a comment sets ``updated_at``, so the versions change whenever anything on
    the page of comments does. One row, not a row per comment: the versions are only ever
    compared, and a hundred rows cost the client more to take in than the text."""
    sql = (
        f'WITH {_roots_sql(newest_first)}, "counts" AS ({COUNTS}) '
        f'SELECT "counts"."total", "counts"."threads", {_versions_sql()} FROM "counts"'
    )
    return Read(sql, _counted_params(article_id, start, size), 3)


def summary_of(read: Read) -> tuple[int, int, Versions]:
    """(comments, threads, versions) from a run ``summary_read``."""
    total, threads, versions = read.rows[0]
    return total, threads, versions or ""


def counts_and_versions(
    article_id: int, *, start: int, size: int, newest_first: bool
) -> tuple[int, int, Versions]:
    """``summary_read`` run on its own."""
    read = summary_read(article_id, start=start, size=size, newest_first=newest_first)
    run_together(read, None)
    return summary_of(read)


def versions_text(pairs: Iterable[Sequence]) -> Versions:
    """``_versions_sql``'s text from (id, updated_at as text) pairs in page order."""
    return ",".join(f"{pk}:{updated}" for pk, updated in pairs)


@lru_cache(maxsize=1)
def _versions_sql() -> str:
    """The window's versions as one text (see ``Versions``): the window's comments, in page
    order, aggregated. PostgreSQL orders inside the aggregate; SQLite (before 3.44) cannot,
    and concatenates in the order of the subquery it reads."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor  # one database a process
    pair = '"c"."id" || \':\' || CAST("c"."updated_at" AS TEXT)'
    window = f'FROM {COMMENTS} "c" WHERE {IN_WINDOW}'
    if vendor == "postgresql":
        return f"(SELECT string_agg({pair}, ','{PAGE_ORDER}) {window})"
    return f'(SELECT group_concat("v", \',\') FROM (SELECT {pair} AS "v" {window}{PAGE_ORDER}))'


def counts_and_threads(
    article_id: int, *, start: int, size: int, newest_first: bool
) -> tuple[int, int, list[CardRow]]:
    """(comments, threads) approved on the article, and ``threads_page``'s rows, in one
    statement (for a visitor with held comments of their own, whose list is never stored)."""
    columns = _card_columns()
    sql = _counted_window_sql(columns.sql(), newest_first)
    rows = run(sql, _counted_params(article_id, start, size))
    in_window = [row[2:] for row in rows if row[2] is not None]
    return rows[0][0], rows[0][1], _card_rows(columns, in_window)


def threads_page(
    article_id: int, *, start: int, size: int, newest_first: bool
) -> tuple[list[CardRow], Versions]:
    """Threads ``start`` to ``start + size`` (in the section's order) and every reply in them,
    oldest first, in one query whatever the number of comments; with the same rows' versions
    (as ``counts_and_versions`` reads them), read in the same statement so that the two
    always agree."""
    columns = _card_columns()
    sql = _threads_window_sql(f"{columns.sql()}, {VERSION}", newest_first)
    rows = run(sql, [article_id, APPROVED, size, start, article_id, APPROVED])
    width = len(columns)
    return _card_rows(columns, rows), versions_text(row[width:] for row in rows)


def own_held(article_id: int, ids: list[int]) -> list[CardRow]:
    """The visitor's own comments on the article that are still held for moderation."""
    columns = _card_columns()
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f'SELECT {columns.sql()} FROM {COMMENTS} "c" WHERE "c"."article_id" = %s '
        f'AND "c"."status" = %s AND "c"."id" IN ({marks}) ORDER BY "c"."created_at", "c"."id"'
    )
    return _card_rows(columns, run(sql, [article_id, Comment.Status.PENDING, *ids]))
