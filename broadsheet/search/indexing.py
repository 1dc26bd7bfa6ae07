"""Keeping the index current: hooks run after each commit that saves or deletes an article
or a page, and ``rebuild_index`` for ``broadsheet search reindex``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from django.db import transaction

from broadsheet.content.models import Article, Page, SiteSettings, Status
from broadsheet.content.permalinks import article_url
from broadsheet.search.backends import get_backend
from broadsheet.search.documents import (
    SEARCHABLE_ARTICLE_STATUSES,
    article_document,
    page_document,
)
from broadsheet.search.models import SearchDocument

BATCH_SIZE = 500
Item = TypeVar("Item")


def refresh_article(pk: int) -> None:
    """Index the article as committed now, or remove it if it is gone or not public."""
    article = Article.objects.filter(pk=pk).first()
    document = article_document(article) if article else None
    if document is None:
        get_backend().remove_document(SearchDocument.Kind.ARTICLE, pk)
    else:
        get_backend().index_document(document)


def refresh_page(pk: int) -> None:
    page = Page.objects.select_related("parent").filter(pk=pk).first()
    document = page_document(page) if page else None
    if document is None:
        get_backend().remove_document(SearchDocument.Kind.PAGE, pk)
    else:
        get_backend().index_document(document)


def article_changed(sender: type, instance: Article, **kwargs: Any) -> None:
    """post_save and post_delete: refresh once the change is committed (and not if it is
    rolled back). Fixture loading (``raw``) is left to ``broadsheet search reindex``."""
    if not kwargs.get("raw"):
        transaction.on_commit(
            partial(refresh_article, instance.pk), using=kwargs.get("using"), robust=True
        )


def page_changed(sender: type, instance: Page, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        transaction.on_commit(
            partial(refresh_page, instance.pk), using=kwargs.get("using"), robust=True
        )


def remember_permalink_style(sender: type, instance: SiteSettings, **kwargs: Any) -> None:
    """pre_save: note the style in force, to tell afterwards whether article URLs moved."""
    instance._permalink_style_before = (  # type: ignore[attr-defined]
        SiteSettings.objects.filter(pk=instance.pk)
        .values_list("permalink_style", flat=True)
        .first()
    )


def site_settings_saved(sender: type, instance: SiteSettings, **kwargs: Any) -> None:
    """post_save: a new permalink style moves every article; store the new addresses."""
    before = getattr(instance, "_permalink_style_before", None)
    if not kwargs.get("raw") and before is not None and before != instance.permalink_style:
        transaction.on_commit(
            partial(refresh_article_urls, instance.permalink_style),
            using=kwargs.get("using"),
            robust=True,
        )


def refresh_article_urls(permalink_style: str) -> int:
    """Store each indexed article's address in ``permalink_style``; returns how many moved."""
    moved = 0
    documents = SearchDocument.objects.filter(kind=SearchDocument.Kind.ARTICLE).only(
        "object_id", "url"
    )
    for batch in _batches(documents.order_by("pk").iterator(chunk_size=BATCH_SIZE)):
        articles = Article.objects.only("pk", "slug", "published_at").in_bulk(
            [document.object_id for document in batch]
        )
        changed = []
        for document in batch:
            article = articles.get(document.object_id)
            url = article_url(article, permalink_style) if article else document.url
            if url != document.url:
                document.url = url
                changed.append(document)
        SearchDocument.objects.bulk_update(changed, ["url"])
        moved += len(changed)
    return moved


@dataclass(frozen=True)
class IndexCounts:
    articles: int
    pages: int


def rebuild_index() -> IndexCounts:
    """Empty the index and fill it again from every published (or scheduled) article and
    published page, oldest first, in one transaction."""
    backend = get_backend()
    style = SiteSettings.objects.get_or_create(pk=1)[0].permalink_style
    articles = (
        Article.objects.filter(status__in=SEARCHABLE_ARTICLE_STATUSES, published_at__isnull=False)
        .only("pk", "title", "body_html", "status", "slug", "published_at")
        .order_by("published_at", "pk")
    )
    pages = Page.objects.filter(status=Status.PUBLISHED).order_by("pk")
    counts = {"articles": 0, "pages": 0}
    with transaction.atomic():
        backend.clear()
        for batch in _batches(articles.iterator(chunk_size=BATCH_SIZE)):
            documents = [article_document(article, style) for article in batch]
            backend.index_documents(document for document in documents if document)
            counts["articles"] += len(batch)
        for batch in _batches(pages.iterator(chunk_size=BATCH_SIZE)):
            documents = [page_document(page) for page in batch]
            backend.index_documents(document for document in documents if document)
            counts["pages"] += len(batch)
    backend.optimize()
    return IndexCounts(**counts)


def _batches(items: Iterable[Item], size: int = BATCH_SIZE) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
