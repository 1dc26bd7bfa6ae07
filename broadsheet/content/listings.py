"""Every list of articles (home, archives) renders through here: one pagination rule,
one template contract, a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from broadsheet.content import reads, term_lists
from broadsheet.content.metadata import listing_meta
from broadsheet.content.site import current_site_settings
from broadsheet.content.summaries import rendered_summaries
from broadsheet.core.pagination import ids_of, page_url, paginate
from broadsheet.pagecache import tags as cache_tags


def render_listing(
    request: HttpRequest,
    articles: QuerySet | None,
    *,
    page: int,
    base_url: str,
    heading: str | None,
    description: str = "",
    template: str = "broadsheet/content/archive.html",
    feed_url: str | None = None,
    filed_under: tuple[str, int] | None = None,
    page_ids: Callable[[int, int], list[int]] | None = None,
) -> HttpResponse:
    """``filed_under`` (relation, term id) narrows the list to a category or tag;
    ``page_ids`` (``ids_from`` of ``core.pagination.paginate``) replaces ``articles`` where a
    list has its own SQL."""
    if page == 1 and request.path != unquote(base_url):
        return HttpResponsePermanentRedirect(base_url)  # /page/1/ is the list itself
    site = current_site_settings()
    show_full_text = site.home_shows == site.HomeShows.FULL
    if page_ids is None:
        if filed_under:
            rows_needed = page * site.posts_per_page + 1
            articles = term_lists.filed_under(articles, *filed_under, rows_needed)
        page_ids = ids_of(articles)
    page_obj = paginate(
        page,
        site.posts_per_page,
        page_ids,
        lambda ids: reads.listed_articles(ids, full_text=show_full_text),
    )
    # The list's own tag comes from the view; each article shown adds its own.
    cache_tags.add_cache_tags(request, *(cache_tags.article(a.pk) for a in page_obj.object_list))
    previous_url = page_url(base_url, page - 1) if page_obj.has_previous() else None
    next_url = page_url(base_url, page + 1) if page_obj.has_next() else None
    meta = listing_meta(
        site,
        heading=heading,
        description=description,
        canonical_path=page_url(base_url, page),
        page_number=page,
        prev_path=previous_url,
        next_path=next_url,
    )
    context = {
        "meta": meta,
        "heading": heading,
        "description": description,
        "articles": page_obj.object_list,
        "summaries": rendered_summaries(page_obj.object_list, show_full_text=show_full_text),
        "page_obj": page_obj,
        "show_full_text": show_full_text,
        "previous_page_url": previous_url,
        "next_page_url": next_url,
        "feed_url": feed_url,
    }
    return render(request, template, context)
