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

import datetime as dt
import time
from dataclasses import dataclass

from django.utils import timezone

from broadsheet.content.models import Article, ArticleListVersion
from broadsheet.core.sql import Columns, moment, quoted, run

ARTICLES = quoted(Article._meta.db_table)
VERSIONS = quoted(ArticleListVersion._meta.db_table)
ORDER_KEY = Columns(Article, "a", ["sticky", "published_at", "id"])  # the home page's order
# Written exactly as the partial index article_home_live's condition (see reads.py).
MAY_BE_LIVE = "\"a\".\"status\" IN ('published', 'scheduled')"
NEWEST_FIRST = ' ORDER BY "a"."sticky" DESC, "a"."published_at" DESC, "a"."id" DESC'
REMEMBER_FROM = 200  # articles into the list: shallower walks cost less than remembering
MAX_POSITIONS = 5_000


@dataclass(frozen=True, slots=True)
class Position:
    """The home-order key of the article just before a page, as the database stores it."""

    key: tuple
    good_until: float  # time.time() of the next scheduled publication at the time it was found


POSITIONS: dict[tuple[int, int], Position] = {}
COUNTS: dict[int, tuple[int, float]] = {}  # list version -> (live articles, good until)


def home_page_ids(start: int, count: int) -> list[int]:
    """Ids of the home page's articles from ``start``: sticky first, then newest."""
    now = timezone.now()
    if start < REMEMBER_FROM:
        return [row[0] for row in _walk('"a"."id"', now, start, count)]
    version = list_version()
    if version is None:  # the row is gone (a test's flush): no positions to trust
        return [row[0] for row in _walk('"a"."id"', now, start, count)]
    found = POSITIONS.get((version, start))
    if found is not None and time.time() < found.good_until:
        sql = (
            f'SELECT "a"."id" FROM {ARTICLES} "a" WHERE {MAY_BE_LIVE} '
            'AND "a"."published_at" <= %s AND ("a"."sticky", "a"."published_at", "a"."id") '
            f"< (%s, %s, %s){NEWEST_FIRST} LIMIT %s"
        )
        return [row[0] for row in run(sql, [moment(now), *found.key, count])]
    # Walk from the article before the page, and remember it as the page's starting point.
    rows = _walk(ORDER_KEY.sql(), now, start - 1, count + 1)
    if rows:
        if len(POSITIONS) >= MAX_POSITIONS:
            POSITIONS.clear()
        POSITIONS[(version, start)] = Position(tuple(rows[0]), next_publication(now))
    return [row[2] for row in rows[1:]]


def live_count() -> int:
    """How many articles are live, remembered like the positions: the sitemap index needs the
    number to split the articles into 50,000-address parts, and counting 100,000 of them took
    7 ms on SQLite (more on PostgreSQL) on every request."""
    now = timezone.now()
    version = list_version()
    found = COUNTS.get(version) if version is not None else None
    if found is not None and time.time() < found[1]:
        return found[0]
    sql = f'SELECT COUNT(*) FROM {ARTICLES} "a" WHERE {MAY_BE_LIVE} AND "a"."published_at" <= %s'
    count = run(sql, [moment(now)])[0][0]
    if version is not None:
        if len(COUNTS) >= 64:
            COUNTS.clear()
        COUNTS[version] = (count, next_publication(now))
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
    due = run(sql, [moment(now)])[0][0]
    if due is None:
        return float("inf")
    if isinstance(due, str):  # SQLite gives an aggregate's time as its stored text, in UTC
        due = dt.datetime.fromisoformat(due).replace(tzinfo=dt.UTC)
    return due.timestamp()
