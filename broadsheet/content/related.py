"""Related articles: those sharing the most tags and categories; among equals, the closest in
wording (title and summary), then the newest.

Only the most recent few hundred articles filed under the same terms are considered, so the
cost stays flat however large the archive grows: three small indexed queries per page."""

from __future__ import annotations

import re
from collections import Counter

from broadsheet.content.models import Article

HOW_MANY = 3
CANDIDATES = 200  # most recent articles per kind of term that are weighed


def words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.lower()) if len(word) > 3}


def similarity(first: set[str], second: set[str]) -> float:
    """Jaccard overlap of two word sets: 0 (nothing shared) to 1 (the same words)."""
    return len(first & second) / len(first | second) if first and second else 0.0


def related_articles(article: Article) -> list[Article]:
    tag_ids = [tag.pk for tag in article.tags.all()]  # prefetched by the article view
    category_ids = [category.pk for category in article.categories.all()]
    shared: Counter[int] = Counter()
    for through, column, ids in (
        (Article.tags.through, "tag_id", tag_ids),
        (Article.categories.through, "category_id", category_ids),
    ):
        if ids:
            # The link tables are written in article order, so their id is a recency proxy.
            shared.update(
                through.objects.filter(**{f"{column}__in": ids})
                .exclude(article_id=article.pk)
                .order_by("-id")
                .values_list("article_id", flat=True)[:CANDIDATES]
            )
    if not shared:
        return []
    ranked = sorted(shared, key=lambda pk: (-shared[pk], -pk))[: HOW_MANY * 4]
    candidates = Article.objects.published().filter(pk__in=ranked)
    own_words = words(f"{article.title} {article.summary}")
    return sorted(
        candidates.only("title", "summary", "slug", "published_at", "published_on"),
        key=lambda other: (
            -shared[other.pk],
            -similarity(own_words, words(f"{other.title} {other.summary}")),
            -other.pk,
        ),
    )[:HOW_MANY]
