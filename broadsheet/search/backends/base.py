"""The interface every search engine implements, and what a search returns."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from broadsheet.search.documents import Document
from broadsheet.search.highlight import highlighted_html
from broadsheet.search.models import SearchDocument
from broadsheet.search.query import SearchQuery

# A search counts, ranks and pages through at most this many matches: the newest ones.
# A common word can match most of a large site, and ranking every match costs time in
# proportion; past a thousand matches, readers refine their words instead of paging.
MAX_MATCHES = 1000


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    title_html: SafeString  # the title, escaped, matching words in <mark>
    url: str
    snippet_html: SafeString  # a passage of the text around the matches, likewise
    published_at: dt.datetime | None
    rank: float  # higher is better; only comparable within one search


@dataclass(frozen=True)
class SearchResults:
    total: int  # matches, counted up to MAX_MATCHES
    more: bool  # True when there were more than MAX_MATCHES
    hits: list[SearchHit]


NO_RESULTS = SearchResults(total=0, more=False, hits=[])


class SearchBackend(ABC):
    """Writes documents into the engine's index and answers queries from it.

    Only published content is ever written; ``search`` also leaves out documents whose
    ``published_at`` lies in the future (scheduled articles)."""

    name: str

    def index_documents(self, documents: Iterable[Document]) -> None:
        """Add or replace (by kind and object id) these documents. Engines whose index
        follows the table by itself (SQLite's triggers) need nothing more than this."""
        SearchDocument.objects.bulk_create(
            [SearchDocument(**vars(document)) for document in documents],
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=["title", "body", "url", "published_at"],
        )

    def index_document(self, document: Document) -> None:
        self.index_documents([document])

    def remove_document(self, kind: str, object_id: int) -> None:
        SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()

    def clear(self) -> None:
        SearchDocument.objects.all().delete()

    def optimize(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Tidy the engine's structures after a bulk rebuild."""

    def search(self, query: SearchQuery, *, offset: int, limit: int) -> SearchResults:
        """Hits ``offset`` to ``offset + limit`` of the best matches, best first, among the
        newest MAX_MATCHES documents that match and are visible now."""
        if not query.is_searchable:
            return NO_RESULTS
        now = timezone.now()
        with connection.cursor() as cursor:
            newest = self.newest_matches(cursor, query, now=now, limit=MAX_MATCHES + 1)
            total = min(len(newest), MAX_MATCHES)
            more = len(newest) > total
            if offset >= total:
                return SearchResults(total=total, more=more, hits=[])
            rows = self.ranked_page(
                cursor, query, now=now, candidates=newest[:total], offset=offset, limit=limit
            )
        hits = [
            SearchHit(
                kind=kind,
                object_id=object_id,
                url=url,
                published_at=aware_datetime(published_at),
                rank=rank,
                title_html=highlighted_html(marked_title),
                snippet_html=highlighted_html(marked_snippet),
            )
            for kind, object_id, url, published_at, rank, marked_title, marked_snippet in rows
        ]
        return SearchResults(total=total, more=more, hits=hits)

    @abstractmethod
    def newest_matches(
        self, cursor: CursorWrapper, query: SearchQuery, *, now: dt.datetime, limit: int
    ) -> list[int]:
        """Ids of the newest ``limit`` documents that match and are visible at ``now``,
        newest (highest id) first. Must not grow in cost with the number of matches."""

    @abstractmethod
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
        """Rows ``(kind, object_id, url, published_at, rank, title, snippet)`` of the
        ``candidates`` (ids from ``newest_matches``), best first, from ``offset``; title and
        snippet marked with START/END."""


def aware_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    """A datetime column read by raw SQL, as the ORM would return it (aware, UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"not a datetime: {value!r}")
        value = parsed
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
