"""Article URLs in each of WordPress's permalink structures, chosen in the site settings."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from broadsheet.content.models import Article, SiteSettings
from broadsheet.content.site import current_site_settings

Style = SiteSettings.Permalink


def article_url(article: Article, style: str | None = None) -> str:
    style = style or current_site_settings().permalink_style
    if style == Style.NUMERIC or article.published_at is None:
        return reverse("content:article-by-id", kwargs={"pk": article.pk})
    day = timezone.localdate(article.published_at)
    if style == Style.MONTH_AND_NAME:
        kwargs = {"year": day.year, "month": day.month, "slug": article.slug}
        return reverse("content:article-month", kwargs=kwargs)
    if style == Style.POST_NAME:
        return reverse("content:page", kwargs={"path": article.slug})
    kwargs = {"year": day.year, "month": day.month, "day": day.day, "slug": article.slug}
    return reverse("content:article", kwargs=kwargs)
