"""What the index stores for an article or a page, or None when it must not be found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from broadsheet.content.models import Article, Page, Status
from broadsheet.content.permalinks import article_url
from broadsheet.core.markup import plain_text
from broadsheet.search.highlight import strip_markers
from broadsheet.search.models import SearchDocument

SEARCHABLE_ARTICLE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)
# About 15,000 words: more than any article, and below PostgreSQL's tsvector limits.
MAX_BODY_CHARACTERS = 100_000


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    published_at: dt.datetime | None


def article_document(article: Article, permalink_style: str | None = None) -> Document | None:
    """Published and scheduled articles are indexed; a scheduled one is found from its time."""
    if article.status not in SEARCHABLE_ARTICLE_STATUSES or article.published_at is None:
        return None
    return Document(
        kind=SearchDocument.Kind.ARTICLE,
        object_id=article.pk,
        title=strip_markers(article.title),
        body=_body_text(article.body_html),
        url=article_url(article, permalink_style),
        published_at=article.published_at,
    )


def page_document(page: Page) -> Document | None:
    if page.status != Status.PUBLISHED:
        return None
    return Document(
        kind=SearchDocument.Kind.PAGE,
        object_id=page.pk,
        title=strip_markers(page.title),
        body=_body_text(page.body_html),
        url=page.get_absolute_url(),
        published_at=None,
    )


def _body_text(body_html: str) -> str:
    return strip_markers(plain_text(body_html))[:MAX_BODY_CHARACTERS]
