"""SQLite FTS5: an external-content index over ``search_searchdocument``.

The migration creates the virtual table (Porter stemming over the ``unicode61`` tokenizer
with diacritics removed, so "Café" finds "cafe" and any script's words are found) and the
triggers that keep it in step with the table, so writing rows is all indexing takes.
Ranking is BM25 with the title weighted ten times the body.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.backends.utils import CursorWrapper

from broadsheet.search.backends.base import SearchBackend
from broadsheet.search.highlight import END, START
from broadsheet.search.query import SearchQuery

SNIPPET_TOKENS = 32

# The newest matches that are visible now, newest first; FTS5 walks its index backwards and
# stops at the limit, so a word found in every document costs no more than a rare one.
NEWEST_MATCHES = """
SELECT rowid FROM search_searchdocument_fts
WHERE search_searchdocument_fts MATCH %s
  AND rowid NOT IN (SELECT id FROM search_searchdocument WHERE published_at > %s)
ORDER BY rowid DESC
LIMIT %s
"""

# One page of those matches by rank. The page is chosen first (MATERIALIZED) so that
# highlight() and snippet(), which read each document's text, run for its rows only; CROSS
# JOIN keeps the page as the outer loop (SQLite's hint), so the index is then read by rowid
# instead of being scanned for every match.
RANKED_PAGE = """
WITH page AS MATERIALIZED (
    SELECT rowid AS id, rank FROM search_searchdocument_fts
    WHERE search_searchdocument_fts MATCH %s
      AND rowid >= %s
      AND rowid NOT IN (SELECT id FROM search_searchdocument WHERE published_at > %s)
    ORDER BY rank, rowid DESC
    LIMIT %s OFFSET %s
)
SELECT d.kind, d.object_id, d.url, d.published_at, -page.rank,
       highlight(search_searchdocument_fts, 0, %s, %s),
       snippet(search_searchdocument_fts, 1, %s, %s, %s, %s)
FROM page
CROSS JOIN search_searchdocument_fts
CROSS JOIN search_searchdocument AS d
WHERE search_searchdocument_fts MATCH %s
  AND search_searchdocument_fts.rowid = page.id
  AND d.id = page.id
ORDER BY page.rank, page.id DESC
"""


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH text for ``query``: every term a quoted string, so that nothing in it
    is read as syntax (FTS5 splits it into words with the table's own tokenizer, so
    "e-mail" becomes a phrase); all included terms required; exclusions with NOT."""
    if not query.is_searchable:
        raise ValueError("a query of exclusions alone cannot be searched")
    included = " AND ".join(_quoted(term.text) for term in query.included)
    excluded = "".join(f" NOT {_quoted(term.text)}" for term in query.excluded)
    return f"({included}){excluded}"


class SQLiteBackend(SearchBackend):
    name = "sqlite"

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchdocument_fts(search_searchdocument_fts) "
                "VALUES ('optimize')"
            )

    def newest_matches(
        self, cursor: CursorWrapper, query: SearchQuery, *, now: dt.datetime, limit: int
    ) -> list[int]:
        now_value = connection.ops.adapt_datetimefield_value(now)
        cursor.execute(NEWEST_MATCHES, [fts5_expression(query), now_value, limit])
        return [row[0] for row in cursor.fetchall()]

    def ranked_page(
        self,
        cursor: CursorWrapper,
        query: SearchQuery,
        *,
        now: dt.datetime,
        candidates: list[int],
        offset: int,
        limit: int,
    ) -> list[tuple]:
        # The candidates are the newest matches: every visible match from the oldest on.
        match = fts5_expression(query)
        now_value = connection.ops.adapt_datetimefield_value(now)
        cursor.execute(
            RANKED_PAGE,
            [match, min(candidates), now_value, limit, offset]
            + [START, END, START, END, "…", SNIPPET_TOKENS, match],
        )
        return cursor.fetchall()
