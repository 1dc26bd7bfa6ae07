"""Tag names, and which tags each change of content purges: plain functions, no database.

A cached page records the tags of everything it shows; purging a tag forgets every page that
recorded it. Lists are tagged with their list tag *and* ``article:<id>`` for each article they
show, so a change of wording purges only the pages that print it, while a change of
membership (publishing, a new category, a new time…) purges the lists it joins or leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.http import HttpRequest, HttpResponse

SITE = "site"  # every page: site settings, discussion settings, the menu
HOME = "list:home"
SITEMAP = "list:sitemap"
SEARCH = "list:search"
COMMENT_FEEDS = "comments"


def article(pk: int) -> str:
    return f"article:{pk}"


def article_page(pk: int) -> str:
    """Only the article's own page: what a neighbour's publication changes (its links)."""
    return f"article-page:{pk}"


def article_comments(pk: int) -> str:
    return f"comments:article:{pk}"


def page(pk: int) -> str:
    return f"page:{pk}"


def category_list(pk: int) -> str:
    return f"list:category:{pk}"


def tag_list(pk: int) -> str:
    return f"list:tag:{pk}"


def author_list(pk: int) -> str:
    return f"list:author:{pk}"


def date_list(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"list:date:{year:04d}"
    if day is None:
        return f"list:date:{year:04d}-{month:02d}"
    return f"list:date:{year:04d}-{month:02d}-{day:02d}"


def add_cache_tags(request: HttpRequest, *tags: str) -> None:
    """Declare what the page being rendered shows. Only tagged pages are cached."""
    if not hasattr(request, "cache_tags"):
        request.cache_tags = set()  # type: ignore[attr-defined]
    request.cache_tags.update(tags)  # type: ignore[attr-defined]


def cache_tagged(*tags: str) -> Callable:
    """Decorator for views that cannot call ``add_cache_tags`` themselves (e.g. Django's)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def tagged(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
            add_cache_tags(request, *tags)
            return view(request, *args, **kwargs)

        return tagged

    return decorate


@dataclass(frozen=True)
class ArticleState:
    """What of an article decides which lists show it, and where."""

    pk: int
    listed: bool  # published, or scheduled (listed once its time comes)
    published_at: dt.datetime | None = None
    published_on: dt.date | None = None
    sticky: bool = False
    author_id: int | None = None
    title: str = ""
    summary: str = ""
    category_ids: frozenset[int] = field(default_factory=frozenset)
    tag_ids: frozenset[int] = field(default_factory=frozenset)

    def placement(self) -> tuple[object, ...]:
        """Everything that moves the article in or out of a list, or changes its line there."""
        return (
            self.listed,
            self.published_at,
            self.sticky,
            self.author_id,
            self.title,
            self.summary,
            self.category_ids,
            self.tag_ids,
        )


def lists_of(state: ArticleState | None) -> set[str]:
    """Every list (and feed, sitemap, search) that shows the article in this state."""
    if state is None or not state.listed:
        return set()
    found = {HOME, SITEMAP, SEARCH, COMMENT_FEEDS}
    if state.author_id is not None:
        found.add(author_list(state.author_id))
    found.update(category_list(pk) for pk in state.category_ids)
    found.update(tag_list(pk) for pk in state.tag_ids)
    if state.published_on is not None:
        day = state.published_on
        found.update(
            {
                date_list(day.year),
                date_list(day.year, day.month),
                date_list(day.year, day.month, day.day),
            }
        )
    return found


def for_article_change(
    old: ArticleState | None, new: ArticleState | None, neighbour_ids: Iterable[int] = ()
) -> set[str]:
    """Tags to purge when an article goes from ``old`` to ``new`` (None: not there).

    A change of wording purges the pages that print the article (they carry its tag), plus
    search and the sitemap's ``lastmod``; a change of placement also purges every list it
    was or is in, and the pages of its previous and next articles, which link to it."""
    current = new or old
    if current is None:
        return set()
    purged = {article(current.pk)}
    if (old and old.listed) or (new and new.listed):
        purged.update({SEARCH, SITEMAP})
    if old is None or new is None or old.placement() != new.placement():
        purged |= lists_of(old) | lists_of(new)
        if purged & {HOME}:
            purged.update(article_page(pk) for pk in neighbour_ids)
    return purged


def for_article_terms(
    article_pk: int, listed: bool, kind: str, term_ids: Iterable[int]
) -> set[str]:
    """An article filed under, or taken out of, categories or tags (``kind``)."""
    purged = {article(article_pk)}
    if listed:
        make = category_list if kind == "category" else tag_list
        purged.update(make(pk) for pk in term_ids)
        purged.update({SITEMAP, SEARCH})
    return purged


def for_term_change(kind: str, pk: int, article_ids: Iterable[int]) -> set[str]:
    """A category, tag or author renamed or removed: its list and every page showing its
    articles (their lines print the term's name)."""
    make = {"category": category_list, "tag": tag_list, "author": author_list}[kind]
    return {make(pk), SITEMAP} | {article(a) for a in article_ids}


@dataclass(frozen=True)
class PageState:
    pk: int
    published: bool
    in_menu: bool  # a published, top-level page shown in every page's menu


def for_page_change(old: PageState | None, new: PageState | None) -> set[str]:
    current = new or old
    if current is None:
        return set()
    purged = {page(current.pk), SITEMAP, SEARCH}
    if (old and old.in_menu) or (new and new.in_menu):
        purged.add(SITE)
    return purged


def for_comment_change(article_pk: int) -> set[str]:
    """Approving, holding, trashing, editing or deleting a comment on an article."""
    return {article_comments(article_pk), COMMENT_FEEDS}
