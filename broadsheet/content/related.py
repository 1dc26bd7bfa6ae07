"""Related articles: those sharing the most tags and categories, newest first among equals.

One query with a join and a count, whatever the site's size — cheap enough for every page."""

from __future__ import annotations

from django.db.models import Count, Q

from broadsheet.content.models import Article

HOW_MANY = 3


def related_articles(article: Article) -> list[Article]:
    tag_ids = [tag.pk for tag in article.tags.all()]  # prefetched by the article view
    category_ids = [category.pk for category in article.categories.all()]
    if not tag_ids and not category_ids:
        return []
    shared = Count("tags", filter=Q(tags__in=tag_ids), distinct=True) + Count(
        "categories", filter=Q(categories__in=category_ids), distinct=True
    )
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(Q(tags__in=tag_ids) | Q(categories__in=category_ids))
        .annotate(shared=shared)
        .order_by("-shared", "-published_at")
        .only("title", "slug", "published_at", "published_on")[:HOW_MANY]
    )
