"""Editorial workflows as plain functions: publishing, revisions, restoring, re-pathing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from broadsheet.content.models import (
    Article,
    ArticleRevision,
    Category,
    Page,
    Status,
)
from broadsheet.core import singletons


def keep_revision(sender, instance: Article, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """post_save: snapshot the article. ``instance.saved_by`` names the editor when known."""
    if kwargs.get("raw"):
        return
    ArticleRevision.objects.create(
        article=instance,
        title=instance.title,
        body_format=instance.body_format,
        body=instance.body,
        excerpt=instance.excerpt,
        saved_by=getattr(instance, "saved_by", None),
    )


def restore_revision(revision: ArticleRevision, user=None) -> Article:  # type: ignore[no-untyped-def]
    """Put a revision's wording back; the restore itself becomes the newest revision."""
    article = revision.article
    article.title = revision.title
    article.body_format = revision.body_format
    article.body = revision.body
    article.excerpt = revision.excerpt
    article.saved_by = user
    article.save()
    return article


def publish_article(article: Article, when=None) -> Article:  # type: ignore[no-untyped-def]
    """Publish now, or schedule when ``when`` lies in the future."""
    article.published_at = when or article.published_at or timezone.now()
    if article.published_at > timezone.now():
        article.status = Status.SCHEDULED
    else:
        article.status = Status.PUBLISHED
    article.save()
    return article


def unpublish_article(article: Article) -> Article:
    article.status = Status.DRAFT
    article.save()
    return article


@transaction.atomic
def refresh_descendant_paths(node: Category | Page) -> None:
    """After a slug or parent change, rebuild the stored paths of everything beneath."""
    for child in node.children.all():
        child.parent = node
        child.save()
        refresh_descendant_paths(child)


def forget_cached_site_settings(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    from broadsheet.content.site import CACHE_KEY

    singletons.forget(CACHE_KEY)


def set_comments_open(articles, is_open: bool) -> int:  # type: ignore[no-untyped-def]
    """Open or close discussion. Not a change of wording, so no revision is kept.

    A bulk update sends no signals, so the pages showing the form are purged here."""
    from broadsheet.pagecache import handlers, tags

    pks = list(articles.values_list("pk", flat=True))
    changed = Article.objects.filter(pk__in=pks).update(comments_open=is_open)
    handlers.purge_on_commit({tags.article_comments(pk) for pk in pks})
    return changed
