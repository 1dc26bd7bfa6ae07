"""Imported articles into the site's search index.

Articles are written in bulk, without ``save()``, so the search app's post-save hooks do not
see them; after each batch commits, this adds the batch to the index in one go (as the search
app's own ``rebuild_index`` does). The documents are made by the search app's own
``article_document`` from what the loader already holds, rather than by reading the batch
back from the database. Nothing happens when the search app is not installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps

from broadsheet.content.models import Article, SiteSettings


@dataclass
class IndexedArticle:
    """What the index needs of one article just written."""

    pk: int
    title: str
    slug: str
    status: str
    published_at: dt.datetime | None
    body_html: str

    def as_article(self) -> Article:
        return Article(
            pk=self.pk,
            title=self.title,
            slug=self.slug,
            status=self.status,
            published_at=self.published_at,
            body_html=self.body_html,
        )


def index_articles(articles: Sequence[IndexedArticle]) -> None:
    if not apps.is_installed("broadsheet.search") or not articles:
        return
    from broadsheet.search.backends import get_backend
    from broadsheet.search.documents import article_document

    style = SiteSettings.objects.get_or_create(pk=1)[0].permalink_style
    documents = [article_document(found.as_article(), style) for found in articles]
    get_backend().index_documents(document for document in documents if document)
