"""Page numbers from URLs, with the edges a reader can hit: page 0 and past the end are 404.

No ``COUNT(*)``: counting every published article on every list page grew with the site.
One extra row says whether an older page follows. The page's rows are found by their ids
first (an index-only walk over the offset), then fetched whole: a deep page such as
``/page/2000/`` steps over 20,000 index entries, not 20,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404


@dataclass
class ListPage:
    number: int
    object_list: list = field(default_factory=list)
    has_next_page: bool = False

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.has_next_page


def paginate(items: QuerySet, number: int, per_page: int) -> ListPage:
    """Page ``number`` (1-based) of ``items``. An empty first page is fine; any other gap is 404."""
    if number < 1:
        raise Http404("There is no page 0.")
    start = (number - 1) * per_page
    ids = items.values("pk")[start : start + per_page + 1]
    rows = list(items.filter(pk__in=ids))
    if not rows and number > 1:
        raise Http404(f"There is no page {number}.")
    return ListPage(number, rows[:per_page], has_next_page=len(rows) > per_page)


def page_url(base_url: str, number: int) -> str:
    """WordPress-style ``/category/x/page/2/``; page 1 is the base URL itself."""
    return base_url if number <= 1 else f"{base_url}page/{number}/"
