"""Sitemaps, one section per kind of page; Django splits a section at 50,000 URLs and the
index at /sitemap.xml lists every part with its ``lastmod``."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from broadsheet.content.models import Article, Author, Category, Page, Tag


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["content:home"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str):  # type: ignore[no-untyped-def]
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet:
        return (
            Article.objects.published()
            .only("slug", "published_at", "published_on", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article: Article):  # type: ignore[no-untyped-def]
        return max(article.updated_at, article.published_at)


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet:
        return Page.objects.published().only("path", "updated_at").order_by("path")

    def lastmod(self, page: Page):  # type: ignore[no-untyped-def]
        return page.updated_at


class TermSitemap(Sitemap):
    """Archives that list at least one published article, newest change as ``lastmod``."""

    changefreq = "daily"
    priority = 0.4
    model: type[Category] | type[Tag] | type[Author] = Category

    def items(self) -> QuerySet:
        published = Article.objects.published().values("pk")
        return (
            self.model.objects.filter(articles__in=published)
            .annotate(latest=Max("articles__updated_at"))
            .order_by("pk")
        )

    def lastmod(self, term):  # type: ignore[no-untyped-def]
        return term.latest


class CategorySitemap(TermSitemap):
    model = Category


class TagSitemap(TermSitemap):
    model = Tag


class AuthorSitemap(TermSitemap):
    model = Author


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
