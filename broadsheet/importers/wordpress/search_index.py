"""Imported articles into the site's search index.

Articles are written in bulk, without ``save()``, so the search app's post-save hooks do not
see them; after each batch commits, this adds the batch to the index in one go (as the search
app's own ``rebuild_index`` does). Nothing happens when the search app is not installed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps

from broadsheet.content.models import Article, SiteSettings


def index_articles(pks: Sequence[int]) -> None:
    if not apps.is_installed("broadsheet.search"):
        return
    from broadsheet.search.backends import get_backend
    from broadsheet.search.documents import SEARCHABLE_ARTICLE_STATUSES, article_document

    style = SiteSettings.objects.get_or_create(pk=1)[0].permalink_style
    articles = Article.objects.filter(
        pk__in=pks, status__in=SEARCHABLE_ARTICLE_STATUSES, published_at__isnull=False
    ).only("pk", "title", "body_html", "status", "slug", "published_at")
    documents = [article_document(article, style) for article in articles]
    get_backend().index_documents(document for document in documents if document)
