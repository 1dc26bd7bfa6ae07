"""The search page: ``/search/?q=words``, further pages at ``/search/page/2/?q=words``."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from broadsheet.content.site import current_site_settings
from broadsheet.core.pagination import page_url
from broadsheet.pagecache import tags as cache_tags
from broadsheet.search.backends import get_backend
from broadsheet.search.backends.base import NO_RESULTS
from broadsheet.search.query import MAX_QUERY_LENGTH, parse_query

TEMPLATE = "broadsheet/search/results.html"


def search(request: HttpRequest, page: int = 1) -> HttpResponse:
    """Published articles and pages that contain every word of ``q``, best first, with the
    matching words highlighted; ``posts_per_page`` to a page.

    Whatever ``q`` holds, the answer is a page that says what happened: 200 with results,
    none, or a hint when there is nothing to search for; 400 when ``q`` is longer than
    MAX_QUERY_LENGTH; 404 for a page number past the last page."""
    if page < 1:
        raise Http404("There is no page 0.")
    cache_tags.add_cache_tags(request, cache_tags.SEARCH)
    text = " ".join(request.GET.get("q", "").split())
    base_url = reverse("search:results")
    if page == 1 and request.path != base_url:
        return HttpResponsePermanentRedirect(_with_query(base_url, text))
    context: dict[str, object] = {"search_query": text, "results": NO_RESULTS}
    if len(text) > MAX_QUERY_LENGTH:
        context.update(
            problem="too-long", search_query=text[:MAX_QUERY_LENGTH], max_length=MAX_QUERY_LENGTH
        )
        return render(request, TEMPLATE, context, status=400)
    query = parse_query(text)
    if not query.is_searchable:
        context["problem"] = "no-words" if text else "empty"
        return render(request, TEMPLATE, context)

    per_page = current_site_settings().posts_per_page
    results = get_backend().search(query, offset=(page - 1) * per_page, limit=per_page)
    if page > 1 and not results.hits:
        raise Http404(f"There is no page {page} of these results.")
    last_page = max(1, math.ceil(results.total / per_page))
    context.update(
        results=results,
        page_number=page,
        last_page=last_page,
        previous_page_url=_with_query(page_url(base_url, page - 1), text) if page > 1 else None,
        next_page_url=_with_query(page_url(base_url, page + 1), text) if page < last_page else None,
    )
    return render(request, TEMPLATE, context)


def _with_query(url: str, text: str) -> str:
    return f"{url}?{urlencode({'q': text})}" if text else url
