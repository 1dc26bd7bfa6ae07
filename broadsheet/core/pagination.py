"""Page numbers from URLs, with the edges a reader can hit: page 0 and past the end are 404."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404


def paginate(items: QuerySet, number: int, per_page: int) -> Page:
    """Page ``number`` (1-based) of ``items``. An empty first page is fine; any other gap is 404."""
    if number < 1:
        raise Http404("There is no page 0.")
    try:
        return Paginator(items, per_page, allow_empty_first_page=True).page(number)
    except EmptyPage:
        raise Http404(f"There is no page {number}.") from None


def page_url(base_url: str, number: int) -> str:
    """WordPress-style ``/category/x/page/2/``; page 1 is the base URL itself."""
    return base_url if number <= 1 else f"{base_url}page/{number}/"
