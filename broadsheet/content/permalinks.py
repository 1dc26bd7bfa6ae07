"""Article URLs in each of WordPress's permalink structures, chosen in the site settings."""

from __future__ import annotations

from django.utils import timezone

from broadsheet.content.models import Article, SiteSettings
from broadsheet.content.site import current_site_settings
from broadsheet.core.links import link

Style = SiteSettings.Permalink


def article_url(article: Article, style: str | None = None) -> str:
    style = style or current_site_settings().permalink_style
    if style == Style.NUMERIC or article.published_at is None:
        return link("content:article-by-id", pk=article.pk)
    # The stored local day is what the day and month addresses are looked up by; reading it
    # also skips a time-zone conversion per link (lists print dozens). Not fetched if deferred.
    day = article.__dict__.get("published_on") or timezone.localdate(article.published_at)
    if style == Style.MONTH_AND_NAME:
        return link("content:article-month", year=day.year, month=day.month, slug=article.slug)
    if style == Style.POST_NAME:
        return link("content:page", path=article.slug)
    return link("content:article", year=day.year, month=day.month, day=day.day, slug=article.slug)
