"""Model signals → tags to purge, purged once the transaction commits.

``tags.py`` decides what a change purges; this module only gathers the before and after
states (one small query each) and hands the tags to ``store.purge`` in ``on_commit``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from broadsheet.pagecache import store, tags


def purge_on_commit(purged: set[str]) -> None:
    """Purge when the change is committed. Inside a transaction the tags are also bumped at
    once: pages stored meanwhile then fail either now or at the commit's bump, and code
    that reads its own uncommitted change (a test's transaction, a long admin action) never
    gets a page from before it."""
    if not purged:
        return
    if transaction.get_connection().in_atomic_block:
        store.bump(purged)
    transaction.on_commit(lambda: store.purge(purged))


# --- Articles -----------------------------------------------------------------------------


def article_state(article) -> tags.ArticleState:  # type: ignore[no-untyped-def]
    from broadsheet.content.models import Article, Status

    return tags.ArticleState(
        pk=article.pk,
        listed=article.status in {Status.PUBLISHED, Status.SCHEDULED},
        published_at=article.published_at,
        published_on=article.published_on,
        sticky=article.sticky,
        author_id=article.author_id,
        title=article.title,
        summary=article.summary,
        category_ids=frozenset(
            Article.categories.through.objects.filter(article_id=article.pk).values_list(
                "category_id", flat=True
            )
        ),
        tag_ids=frozenset(
            Article.tags.through.objects.filter(article_id=article.pk).values_list(
                "tag_id", flat=True
            )
        ),
    )


def neighbour_ids(pk: int, *moments) -> set[int]:  # type: ignore[no-untyped-def]
    """The published articles just before and after each moment: their pages link to ``pk``."""
    from broadsheet.content.models import Article

    published = Article.objects.published().exclude(pk=pk)
    found: set[int] = set()
    for moment in {m for m in moments if m is not None}:
        for pks in (
            published.filter(published_at__lt=moment).order_by("-published_at"),
            published.filter(published_at__gt=moment).order_by("published_at"),
        ):
            first = pks.values_list("pk", flat=True).first()
            if first is not None:
                found.add(first)
    return found


def remember_article(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """pre_save / pre_delete: the state before the change, read from the database."""
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._pagecache_old = article_state(old) if old is not None else None


def article_saved(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw:
        return
    old = getattr(instance, "_pagecache_old", None)
    new = article_state(instance)
    moments = (old.published_at if old else None, new.published_at)
    purge_on_commit(tags.for_article_change(old, new, neighbour_ids(instance.pk, *moments)))


def article_deleted(sender, instance, **kwargs) -> None:  # type: ignore[no-untyped-def]
    old = getattr(instance, "_pagecache_old", None)
    if old is None:
        return
    purge_on_commit(
        tags.for_article_change(old, None, neighbour_ids(instance.pk, old.published_at))
    )


def article_terms_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Categories or tags added to, removed from or cleared off an article (either side)."""
    from broadsheet.content.models import Article, Category

    kind = "category" if sender is Article.categories.through else "tag"
    if action == "pre_clear":
        if reverse:
            instance._pagecache_cleared = set(instance.articles.values_list("pk", flat=True))
        else:
            manager = instance.categories if kind == "category" else instance.tags
            instance._pagecache_cleared = set(manager.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    changed = pk_set if action != "post_clear" else getattr(instance, "_pagecache_cleared", set())
    if reverse:  # instance is the category or tag; changed holds article ids
        make = tags.category_list if isinstance(instance, Category) else tags.tag_list
        purged = {make(instance.pk), tags.SITEMAP, tags.SEARCH}
        purged.update(tags.article(pk) for pk in changed or ())
    else:
        listed = article_state(instance).listed
        purged = tags.for_article_terms(instance.pk, listed, kind, changed or ())
    purge_on_commit(purged)


# --- Terms, pages, comments, settings -----------------------------------------------------


def term_changed(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    from broadsheet.content.models import Article, Author, Category

    if raw or instance.pk is None:
        return
    kind = {Category: "category", Author: "author"}.get(sender, "tag")
    if kind == "author":
        article_ids = Article.objects.filter(author_id=instance.pk).values_list("pk", flat=True)
    else:
        article_ids = instance.articles.values_list("pk", flat=True)
    purge_on_commit(tags.for_term_change(kind, instance.pk, list(article_ids)))


def page_state(page) -> tags.PageState:  # type: ignore[no-untyped-def]
    published = page.status == "published"
    return tags.PageState(
        pk=page.pk,
        published=published,
        in_menu=published and page.parent_id is None and page.show_in_menu,
    )


def remember_page(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).first()
    instance._pagecache_old = page_state(old) if old is not None else None


def page_saved(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw:
        return
    old = getattr(instance, "_pagecache_old", None)
    purge_on_commit(tags.for_page_change(old, page_state(instance)))


def page_deleted(sender, instance, **kwargs) -> None:  # type: ignore[no-untyped-def]
    purge_on_commit(tags.for_page_change(page_state(instance), None))


def comment_changed(sender, instance, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Every save, held ones too (posting is rate-limited, so this cannot be used to empty
    the cache at will). ``QuerySet.update()`` sends no signal: code that changes what
    readers see that way must purge itself, as ``services.set_comments_open`` does."""
    if not raw:
        purge_on_commit(tags.for_comment_change(instance.article_id))


def settings_changed(sender, instance, raw=False, created=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    # The row is created by the first page that needs it: no page predates it.
    if not raw and not created:
        purge_on_commit({tags.SITE})


def site_imported(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """An import writes in bulk, without ``save()``: any page may have changed."""
    purge_on_commit({tags.SITE})


def connect() -> None:
    from broadsheet.comments.models import Comment, DiscussionSettings
    from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
    from broadsheet.importers.signals import wxr_imported

    uid = "broadsheet.pagecache"
    pre_save.connect(remember_article, sender=Article, dispatch_uid=f"{uid}.a1")
    pre_delete.connect(remember_article, sender=Article, dispatch_uid=f"{uid}.a2")
    post_save.connect(article_saved, sender=Article, dispatch_uid=f"{uid}.a3")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=f"{uid}.a4")
    for through in (Article.categories.through, Article.tags.through):
        m2m_changed.connect(article_terms_changed, sender=through, dispatch_uid=f"{uid}.{through}")
    for model in (Category, Tag, Author):
        post_save.connect(term_changed, sender=model, dispatch_uid=f"{uid}.t1.{model}")
        pre_delete.connect(term_changed, sender=model, dispatch_uid=f"{uid}.t2.{model}")
    pre_save.connect(remember_page, sender=Page, dispatch_uid=f"{uid}.p1")
    post_save.connect(page_saved, sender=Page, dispatch_uid=f"{uid}.p2")
    post_delete.connect(page_deleted, sender=Page, dispatch_uid=f"{uid}.p3")
    post_save.connect(comment_changed, sender=Comment, dispatch_uid=f"{uid}.c1")
    post_delete.connect(comment_changed, sender=Comment, dispatch_uid=f"{uid}.c2")
    for model in (SiteSettings, DiscussionSettings):
        post_save.connect(settings_changed, sender=model, dispatch_uid=f"{uid}.s.{model}")
    wxr_imported.connect(site_imported, dispatch_uid=f"{uid}.import")
