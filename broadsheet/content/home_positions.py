"""Where the home page's deep pages start, remembered per process for each version of the
article list, so that ``/page/2000/`` seeks to its first article instead of stepping over the
19,990 before it.

Why: on SQLite an OFFSET walk steps over every index entry before the page (about 0.95 ms for
``/page/2000/`` at 100,000 articles, against 10 µs for a seek from a known row), which made the
deep page cost 1.7 times as much on a large site as on a small one.

Never stale, by construction: a position is used only while ``ArticleListVersion`` (set anew by
database triggers on every insert, delete and change of status, publication time or
stickiness) is the number it was found under, and only until the first scheduled article that
was still in the future then comes due. Shallow pages walk as before: their walk is short.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone

from broadsheet.content.models import Article, ArticleListVersion, Status
from broadsheet.core.sql import Columns, moment, quoted, run, stored_moment

ARTICLES = quoted(Article._meta.db_table)
VERSIONS = quoted(ArticleListVersion._meta.db_table)
ORDER_KEY = Columns(Article, "a", ["sticky", "published_at", "id"])  # the home page's order
# Written exactly as the condition of the partial index article_home_live (content/models.py):
# SQLite uses that index only when the query repeats it word for word.
MAY_BE_LIVE = f"\"a\".\"status\" IN ('{Status.PUBLISHED}', '{Status.SCHEDULED}')"
NEWEST_FIRST = ' ORDER BY "a"."sticky" DESC, "a"."published_at" DESC, "a"."id" DESC'
REMEMBER_FROM = 200  # articles into the list: shallower walks cost less than remembering


class Remembered:
    """Values found under one list version, each good until the next scheduled article that
    was still in the future when it was found comes due; at most ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: dict[tuple, tuple[Any, float]] = {}

    def get(self, key: tuple) -> Any:
        found = self.found.get(key)
        return found[0] if found is not None and time.time() < found[1] else None

    def put(self, key: tuple, value: Any, now: object) -> None:
        if len(self.found) >= self.limit:
            self.found.clear()
        self.found[key] = (value, next_publication(now))


# (list version, start) -> the home-order key of the article just before the page, as stored.
POSITIONS = Remembered(limit=5_000)
COUNTS = Remembered(limit=64)  # (list version,) -> how many articles are live


def home_page_ids(start: int, count: int) -> list[int]:
    """Ids of the home page's articles from ``start``: sticky first, then newest."""
    now = timezone.now()
    # No version row (a test's flush): no positions to trust.
    version = list_version() if start >= REMEMBER_FROM else None
    if version is None:
        return [row[0] for row in _walk('"a"."id"', now, start, count)]
    before = POSITIONS.get((version, start))
    if before is not None:
        sql = (
            f'SELECT "a"."id" FROM {ARTICLES} "a" WHERE {MAY_BE_LIVE} '
            'AND "a"."published_at" <= %s AND ("a"."sticky", "a"."published_at", "a"."id") '
            f"< (%s, %s, %s){NEWEST_FIRST} LIMIT %s"
        )
        return [row[0] for row in run(sql, [moment(now), *before, count])]
    # Walk from the article before the page, and remember it as the page's starting point.
    rows = _walk(ORDER_KEY.sql(), now, start - 1, count + 1)
    if rows:
        POSITIONS.put((version, start), tuple(rows[0]), now)
    return [row[2] for row in rows[1:]]


def live_count() -> int:
    """How many articles are live, remembered like the positions: the sitemap index needs the
    number to split the articles into 50,000-address parts, and counting 100,000 of them took
    7 ms on SQLite (more on PostgreSQL) on every request."""
    now = timezone.now()
    version = list_version()
    found = COUNTS.get((version,)) if version is not None else None
    if found is not None:
        return found
    sql = f'SELECT COUNT(*) FROM {ARTICLES} "a" WHERE {MAY_BE_LIVE} AND "a"."published_at" <= %s'
    count = run(sql, [moment(now)])[0][0]
    if version is not None:
        COUNTS.put((version,), count, now)
    return count


def _walk(select_list: str, now: object, start: int, count: int) -> list[tuple]:
    sql = (
        f'SELECT {select_list} FROM {ARTICLES} "a" WHERE {MAY_BE_LIVE} '
        f'AND "a"."published_at" <= %s{NEWEST_FIRST} LIMIT %s OFFSET %s'
    )
    return run(sql, [moment(now), count, start])


def list_version() -> int | None:
    rows = run(f'SELECT "version" FROM {VERSIONS} WHERE "id" = 1')
    return rows[0][0] if rows else None


def next_publication(now: object) -> float:
    """When the next scheduled article comes due (a time.time()), or forever."""
    sql = (
        f'SELECT MIN("a"."published_at") FROM {ARTICLES} "a" WHERE {MAY_BE_LIVE} '
        'AND "a"."published_at" > %s'
    )
    due = stored_moment(run(sql, [moment(now)])[0][0])
    return due.timestamp() if due is not None else float("inf")
