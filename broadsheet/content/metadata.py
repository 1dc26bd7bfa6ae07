"""What a page tells search engines and link previews: canonical address, description,
Open Graph and Twitter cards, JSON-LD, robots. Built here as data; templates only print it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from broadsheet.content.models import Article, Page, SiteSettings
from broadsheet.core.urls import safe_http_url


def absolute(path_or_url: str) -> str:
    if not path_or_url or path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{settings.SITE_URL}{path_or_url}"


def iso(moment) -> str:  # type: ignore[no-untyped-def]
    return timezone.localtime(moment).replace(microsecond=0).isoformat() if moment else ""


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    robots: str = ""
    prev_url: str = ""
    next_url: str = ""
    article: dict[str, Any] = field(default_factory=dict)  # article:* Open Graph properties
    json_ld: str = ""

    @property
    def locale(self) -> str:
        """Open Graph wants ``en_GB`` where Django says ``en-gb``."""
        language, _, region = settings.LANGUAGE_CODE.partition("-")
        return f"{language}_{region.upper()}" if region else language

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def _json_ld(data: dict[str, Any]) -> str:
    # Inside <script>, "</" would end the element early: escape it (still valid JSON).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


DESCRIPTION_LIMIT = 160  # what search engines show; longer text is cut by them anyway


def short_description(text: str) -> str:
    """At most ``DESCRIPTION_LIMIT`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    return text[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:.…") + "…"


def publisher(site: SiteSettings) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": site.title,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": absolute("/static/broadsheet/favicon.svg")},
    }


def article_meta(article: Article, site: SiteSettings) -> PageMeta:
    canonical = absolute(article.get_absolute_url())
    # Checked again as it is printed: a row written before the rule, or by raw SQL.
    image = absolute(safe_http_url(article.featured_image, relative=True))
    description = short_description(article.summary or site.tagline)
    structured: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "datePublished": iso(article.published_at),
        "dateModified": iso(max(article.updated_at, article.published_at or article.updated_at)),
        "author": [
            {
                "@type": "Person",
                "name": article.author.display_name,
                "url": absolute(article.author.get_absolute_url()),
            }
        ],
        "publisher": publisher(site),
        "articleSection": [category.name for category in article.category_list],
        "keywords": [tag.name for tag in article.tag_list],
    }
    if image:
        structured["image"] = [image]
    return PageMeta(
        title=article.title,
        description=description,
        canonical=canonical,
        og_type="article",
        image=image,
        image_alt=article.featured_image_alt,
        article={
            "published_time": iso(article.published_at),
            "modified_time": iso(article.updated_at),
            "author": absolute(article.author.get_absolute_url()),
            "section": next((c.name for c in article.category_list), ""),
            "tags": [tag.name for tag in article.tag_list],
        },
        json_ld=_json_ld(structured),
    )


def page_meta(page: Page, site: SiteSettings) -> PageMeta:
    from broadsheet.core.markup import summarize

    return PageMeta(
        title=page.title,
        description=short_description(summarize(page.body_html, words=40) or site.tagline),
        canonical=absolute(page.get_absolute_url()),
        json_ld=_json_ld(
            {
                "@context": "https://schema.org",
                "@type": "WebPage",
                "name": page.title,
                "url": absolute(page.get_absolute_url()),
                "publisher": publisher(site),
            }
        ),
    )


def listing_meta(
    site: SiteSettings,
    *,
    heading: str | None,
    description: str,
    canonical_path: str,
    page_number: int,
    prev_path: str | None,
    next_path: str | None,
) -> PageMeta:
    noindex = page_number > 1 and site.noindex_paginated_archives
    structured: dict[str, Any] = {"@context": "https://schema.org", "@type": "WebSite",
                                  "name": site.title, "url": absolute("/")}  # fmt: skip
    if heading:
        structured = {"@context": "https://schema.org", "@type": "CollectionPage",
                      "name": heading, "url": absolute(canonical_path)}  # fmt: skip
    return PageMeta(
        title=heading or site.title,
        description=short_description(description or site.tagline),
        canonical=absolute(canonical_path),
        robots="noindex, follow" if noindex else "",
        prev_url=absolute(prev_path) if prev_path else "",
        next_url=absolute(next_path) if next_path else "",
        json_ld=_json_ld(structured),
    )
