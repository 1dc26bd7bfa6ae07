"""PostgreSQL full-text search: a ``vector`` tsvector column (title weight A, body weight B)
with a GIN index, both added by the migration. The backend computes the vector as it writes
each row, in the text search configuration named by ``SEARCH_LANGUAGE``, so a change of
language takes ``broadsheet search reindex`` and no migration. Ranking is ``ts_rank``, which
weighs a title match (A = 1.0) above a body match (B = 0.4).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.db import connection
from django.db.backends.utils import CursorWrapper

from broadsheet.search.backends.base import SearchBackend
from broadsheet.search.documents import Document
from broadsheet.search.highlight import END, START
from broadsheet.search.query import SearchQuery

TITLE_HEADLINE = f"HighlightAll=true, StartSel={START}, StopSel={END}"
BODY_HEADLINE = f"MaxWords=32, MinWords=16, ShortWord=3, StartSel={START}, StopSel={END}"

UPSERT = """
INSERT INTO search_searchdocument (kind, object_id, title, body, url, published_at, vector)
SELECT d.kind, d.object_id, d.title, d.body, d.url, d.published_at,
       setweight(to_tsvector(%s::regconfig, d.title), 'A')
       || setweight(to_tsvector(%s::regconfig, d.body), 'B')
FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::timestamptz[])
     AS d(kind, object_id, title, body, url, published_at)
ON CONFLICT (kind, object_id) DO UPDATE SET
    title = EXCLUDED.title, body = EXCLUDED.body, url = EXCLUDED.url,
    published_at = EXCLUDED.published_at, vector = EXCLUDED.vector
"""

# The newest matches that are visible now. A query that is all stop words or exclusions
# ("the", "-war") has no indexable part (querytree is '' or 'T') and matches nothing,
# rather than everything. {order} is "d.id" to walk the primary key backwards, testing each
# row, or "d.id + 0" to hide that order so the GIN index finds all matches, then sort them.
NEWEST_MATCHES = """
SELECT d.id
FROM search_searchdocument AS d, websearch_to_tsquery(%s::regconfig, %s) AS query
WHERE d.vector @@ query
  AND querytree(query) NOT IN ('', 'T')
  AND (d.published_at IS NULL OR d.published_at <= %s)
ORDER BY {order} DESC
LIMIT %s
"""
ESTIMATED_MATCHES = """
EXPLAIN (FORMAT JSON)
SELECT 1 FROM search_searchdocument WHERE vector @@ websearch_to_tsquery(%s::regconfig, %s)
"""
ESTIMATED_DOCUMENTS = "SELECT reltuples FROM pg_class WHERE oid = 'search_searchdocument'::regclass"

# One page of the candidates by rank; ts_headline, which re-reads each text, runs for the
# page's rows only.
RANKED_PAGE = """
WITH query AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query),
page AS MATERIALIZED (
    SELECT d.id, ts_rank(d.vector, query.query) AS rank
    FROM search_searchdocument AS d CROSS JOIN query
    WHERE d.id = ANY(%s)
    ORDER BY rank DESC, d.id DESC
    LIMIT %s OFFSET %s
)
SELECT d.kind, d.object_id, d.url, d.published_at, page.rank,
       ts_headline(%s::regconfig, d.title, query.query, %s),
       ts_headline(%s::regconfig, d.body, query.query, %s)
FROM page
JOIN search_searchdocument AS d ON d.id = page.id
CROSS JOIN query
ORDER BY page.rank DESC, page.id DESC
"""


def websearch_expression(query: SearchQuery) -> str:
    """The ``websearch_to_tsquery`` text for ``query``: every term in quotation marks, so
    that "or" and "-" inside it are words, not operators; exclusions with a minus."""
    return " ".join(
        ("-" if term.excluded else "") + '"' + term.text.replace('"', " ") + '"'
        for term in query.terms
    )


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, language: str = "english") -> None:
        self.language = language

    def index_documents(self, documents: Iterable[Document]) -> None:
        documents = list(documents)
        if not documents:
            return
        columns = [
            [getattr(document, name) for document in documents]
            for name in ("kind", "object_id", "title", "body", "url", "published_at")
        ]
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, [self.language, self.language, *columns])

    def optimize(self) -> None:
        """Move the GIN index's pending entries into the index proper, and refresh the
        planner's statistics (which ``_common`` relies on)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('search_document_vector'::regclass)")
            cursor.execute("ANALYZE search_searchdocument")

    def newest_matches(
        self, cursor: CursorWrapper, query: SearchQuery, *, now: dt.datetime, limit: int
    ) -> list[int]:
        text = websearch_expression(query)
        order = "d.id" if self._common(cursor, text, limit) else "d.id + 0"
        cursor.execute(NEWEST_MATCHES.format(order=order), [self.language, text, now, limit])
        return [row[0] for row in cursor.fetchall()]

    def _common(self, cursor: CursorWrapper, text: str, limit: int) -> bool:
        """Whether walking the newest documents finds ``limit`` matches sooner than fetching
        every match. Walking tests each document it passes (reading its vector); fetching
        reads each match: of n matches among N documents, walking reads about limit * N / n
        rows and fetching n, so walking wins when n * n > limit * N. PostgreSQL's planner
        misjudges this (it counts the vector test as free), so its estimate of n decides."""
        cursor.execute(ESTIMATED_MATCHES, [self.language, text])
        (plan,) = cursor.fetchone()
        if isinstance(plan, str):
            plan = json.loads(plan)
        matches = plan[0]["Plan"]["Plan Rows"]
        cursor.execute(ESTIMATED_DOCUMENTS)
        documents = max(cursor.fetchone()[0], matches, 1)
        return matches * matches > limit * documents

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
        cursor.execute(
            RANKED_PAGE,
            [self.language, websearch_expression(query), candidates, limit, offset]
            + [self.language, TITLE_HEADLINE, self.language, BODY_HEADLINE],
        )
        return cursor.fetchall()
