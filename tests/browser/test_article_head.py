"""What a browser, a crawler and a link-preview bot read from an article page's head."""

from __future__ import annotations

import json

import pytest

from broadsheet.content.models import Article

pytestmark = pytest.mark.browser


def test_article_head_carries_canonical_open_graph_json_ld_and_feeds(demo_site, tab) -> None:
    article = Article.objects.get(
        title="Theresa May and Vladimir Putin discuss security cooperation"
    )
    assert tab.open(article.get_absolute_url()) == 200
    head = tab.page.evaluate(
        """() => ({
            canonical: document.querySelector('link[rel=canonical]')?.href,
            ogType: document.querySelector('meta[property="og:type"]')?.content,
            ogTitle: document.querySelector('meta[property="og:title"]')?.content,
            ogUrl: document.querySelector('meta[property="og:url"]')?.content,
            description: document.querySelector('meta[name=description]')?.content,
            jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')]
                .map(s => s.textContent),
            feeds: [...document.querySelectorAll('link[rel=alternate]')]
                .map(l => [l.type, new URL(l.href).pathname]),
        })"""
    )
    assert head["canonical"].endswith(article.get_absolute_url())
    assert head["ogUrl"] == head["canonical"]
    assert head["ogType"] == "article"
    assert head["ogTitle"] == article.title
    assert head["description"]
    assert len(head["jsonLd"]) == 1
    data = json.loads(head["jsonLd"][0])
    assert data["@type"] == "NewsArticle" and data["headline"] == article.title
    assert ["application/rss+xml", "/feed/"] in head["feeds"]
    assert ["application/atom+xml", "/feed/atom/"] in head["feeds"]
    assert ["application/feed+json", "/feed/json/"] in head["feeds"]
    assert ["application/rss+xml", f"{article.get_absolute_url()}feed/"] in head["feeds"]
    assert tab.unexpected_console_errors == []
