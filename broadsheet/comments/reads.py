"""The comment section's reads, in SQL written once (see ``core/sql.py`` for why): the
approved counts, a page of threads with all their replies, and a visitor's own held
comments. Rows come back as ``cards.CardRow``; the email is read only when Gravatar (which
publishes its hash) is on."""

from __future__ import annotations

from django.conf import settings

from broadsheet.comments.cards import CARD_FIELDS, CardRow
from broadsheet.comments.models import Comment
from broadsheet.core.sql import Columns, quoted, run

COMMENTS = quoted(Comment._meta.db_table)
APPROVED = Comment.Status.APPROVED
CARD = Columns(Comment, "c", ["id", *CARD_FIELDS[1:]])
CARD_WITH_EMAIL = Columns(Comment, "c", ["id", *CARD_FIELDS[1:], "author_email"])
# (id, updated_at as text) per comment, in page order. As text because the pair is only ever
# compared: PostgreSQL's driver parsed 100 timestamps into datetimes for every article page
# (0.5 ms of its 2.7 ms of CPU, cProfile on the benchmark's site), SQLite's text needs nothing.
VERSION = '"c"."id", CAST("c"."updated_at" AS TEXT)'
Versions = tuple[tuple, ...]


def approved_counts(article_id: int) -> tuple[int, int]:
    """(comments, threads) approved on the article."""
    sql = (
        'SELECT COUNT(*), COUNT(CASE WHEN "thread_id" IS NULL THEN 1 END) '
        f'FROM {COMMENTS} WHERE "article_id" = %s AND "status" = %s'
    )
    total, threads = run(sql, [article_id, APPROVED])[0]
    return total, threads


def _card_columns() -> Columns[Comment]:
    return CARD_WITH_EMAIL if settings.GRAVATAR_ENABLED else CARD


def _card_rows(columns: Columns[Comment], rows: list[tuple]) -> list[CardRow]:
    return [CardRow(*values) for values in columns.values_of(rows)]


def _threads_window_sql(select_list: str, newest_first: bool) -> str:
    """Threads ``start`` to ``start + size`` (in the section's order) and every reply in them,
    oldest first; parameters: article, status, size, start, article, status."""
    way = "DESC" if newest_first else "ASC"
    return (
        f'WITH "roots" AS (SELECT "id" FROM {COMMENTS} WHERE "article_id" = %s '
        'AND "status" = %s AND "thread_id" IS NULL '
        f'ORDER BY "created_at" {way}, "id" {way} LIMIT %s OFFSET %s) '
        f'SELECT {select_list} FROM {COMMENTS} "c" WHERE "c"."article_id" = %s '
        'AND "c"."status" = %s AND ("c"."id" IN (SELECT "id" FROM "roots") '
        'OR "c"."thread_id" IN (SELECT "id" FROM "roots")) ORDER BY "c"."created_at", "c"."id"'
    )


def page_versions(article_id: int, *, start: int, size: int, newest_first: bool) -> Versions:
    """``(id, updated_at)`` of every comment ``threads_page`` would return, the time as text,
    read from the ``comment_listing`` index alone: every write to a comment sets
    ``updated_at``, so this changes whenever anything on the page of comments does."""
    sql = _threads_window_sql(VERSION, newest_first)
    return tuple(run(sql, [article_id, APPROVED, size, start, article_id, APPROVED]))


def threads_page(
    article_id: int, *, start: int, size: int, newest_first: bool
) -> tuple[list[CardRow], Versions]:
    """Threads ``start`` to ``start + size`` (in the section's order) and every reply in them,
    oldest first, in one query whatever the number of comments; with the same rows'
    ``page_versions``, read in the same statement so that the two always agree."""
    columns = _card_columns()
    sql = _threads_window_sql(f"{columns.sql()}, {VERSION}", newest_first)
    rows = run(sql, [article_id, APPROVED, size, start, article_id, APPROVED])
    width = len(columns)
    return _card_rows(columns, rows), tuple(tuple(row[width:]) for row in rows)


def own_held(article_id: int, ids: list[int]) -> list[CardRow]:
    """The visitor's own comments on the article that are still held for moderation."""
    columns = _card_columns()
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f'SELECT {columns.sql()} FROM {COMMENTS} "c" WHERE "c"."article_id" = %s '
        f'AND "c"."status" = %s AND "c"."id" IN ({marks}) ORDER BY "c"."created_at", "c"."id"'
    )
    return _card_rows(columns, run(sql, [article_id, Comment.Status.PENDING, *ids]))
