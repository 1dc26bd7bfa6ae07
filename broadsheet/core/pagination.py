"""Page numbers from URLs, with the edges a reader can hit: page 0 and past the end are 404.

No ``COUNT(*)``: counting every published article on every list page grew with the site.
One extra row says whether an older page follows. The page's rows are found by their ids
first (an index-only walk over the offset), then fetched whole: a deep page such as
``/page/2000/`` steps over 20,000 index entries, not 20,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from broadsheet.core.numbers import MAX_PAGE


@dataclass
class ListPage:
    number: int
    object_list: list = field(default_factory=list)
    has_next_page: bool = False

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.has_next_page


def paginate(
    number: int,
    per_page: int,
    ids_from: Callable[[int, int], list[int]],
    rows_for: Callable[[list[int]], list],
) -> ListPage:
    """Page ``number`` (1-based): ``ids_from(start, count)`` gives up to ``count`` ids from
    position ``start`` of the list, ``rows_for(ids)`` the rows to show for them, in that
    order. An empty first page is fine; any other gap is 404, and so is a number past
    ``MAX_PAGE``, whose offset could overflow the database's integers."""
    if not 1 <= number <= MAX_PAGE:
        raise Http404(f"There is no page {number}.")
    ids = ids_from((number - 1) * per_page, per_page + 1)
    if not ids and number > 1:
        raise Http404(f"There is no page {number}.")
    return ListPage(number, rows_for(ids[:per_page]), has_next_page=len(ids) > per_page)


def ids_of(items: QuerySet) -> Callable[[int, int], list[int]]:
    """``ids_from`` for a queryset: an index-only walk over the offset."""
    return lambda start, count: list(items.values_list("pk", flat=True)[start : start + count])


def page_url(base_url: str, number: int) -> str:
    """WordPress-style ``/category/x/page/2/``; page 1 is the base URL itself."""
    return base_url if number <= 1 else f"{base_url}page/{number}/"
