"""Related articles: those sharing the most tags and categories; among equals, the closest in
wording (title and summary), then the newest.

Only the most recent few hundred articles filed under the same terms are considered, so the
cost stays flat however large the archive grows: one query of small index walks per page."""

from __future__ import annotations

import re
from functools import lru_cache

from broadsheet.content import reads
from broadsheet.content.models import Article
from broadsheet.core.sql import Read

HOW_MANY = 3
CANDIDATES = 200  # most recent articles per kind of term that are weighed


@lru_cache(maxsize=4096)
def words(text: str) -> frozenset[str]:
    """Remembered per text: the same dozen candidates' titles and summaries come back on every
    view of an article, and splitting them was a third of the related articles' cost."""
    return frozenset(word for word in re.findall(r"\w+", text.lower()) if len(word) > 3)


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Jaccard overlap of two word sets: 0 (nothing shared) to 1 (the same words)."""
    return len(first & second) / len(first | second) if first and second else 0.0


def related_and_neighbours(
    article: Article, along: Read | None = None
) -> tuple[list[Article], Article | None, Article | None]:
    """The related articles, and the published articles just before and after this one: one
    statement for all of them (``reads.around``), and for ``along`` too when given (another
    read of the page, run in the same statement: its rows are left in ``along.rows``)."""
    found = reads.around(
        article,
        [tag.pk for tag in article.tag_list],
        [category.pk for category in article.category_list],
        recent=CANDIDATES,
        best=HOW_MANY * 4,
        along=along,
    )
    own_words = words(f"{article.title} {article.summary}")
    ranked = sorted(
        found.related_candidates,
        key=lambda candidate: (
            -candidate.shared,
            -similarity(own_words, words(f"{candidate.title} {candidate.summary}")),
            -candidate.pk,
        ),
    )
    return [candidate.article() for candidate in ranked[:HOW_MANY]], found.previous, found.next
