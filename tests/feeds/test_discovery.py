"""Sitemaps, robots.txt, and what pages tell search engines and link previews."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.models import Article, SiteSettings, Status
from broadsheet.feeds import sitemaps
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory, TagFactory
from tests.html import parse_html

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [element.text or "" for element in root.iterfind(".//sm:loc", NS)]


def test_sitemap_index_lists_every_section_with_lastmod(client) -> None:
    ArticleFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    PageFactory()
    root = ET.fromstring(client.get("/sitemap.xml").content)
    entries = root.findall("sm:sitemap", NS)
    names = [entry.find("sm:loc", NS).text.rsplit("/", 1)[1] for entry in entries]
    assert names == [f"sitemap-{name}.xml" for name in sitemaps.SITEMAPS]
    assert all(entry.find("sm:lastmod", NS) is not None for entry in entries)


@pytest.mark.usefixtures("no_page_cache")  # counts the rendering's queries
def test_sitemap_index_dates_its_articles_by_the_newest_published_edit_not_a_draft(
    client,
) -> None:
    """The index's lastmod comes from the newest edits (an index walk), not from reading every
    article; a draft edited later does not count, and neither does the number of articles."""
    ArticleFactory.create_batch(3)
    edited = ArticleFactory()
    Article.objects.filter(pk=edited.pk).update(updated_at=timezone.now() + dt.timedelta(hours=1))
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)
    Article.objects.filter(pk=draft.pk).update(updated_at=timezone.now() + dt.timedelta(hours=2))
    client.get("/sitemap.xml")  # the first request creates the settings rows
    with CaptureQueriesContext(connection) as few:
        root = ET.fromstring(client.get("/sitemap.xml").content)
    lastmods = {
        entry.find("sm:loc", NS).text.rsplit("/", 1)[1]: entry.find("sm:lastmod", NS).text
        for entry in root.findall("sm:sitemap", NS)
        if entry.find("sm:lastmod", NS) is not None  # the pages section: no pages
    }
    edited.refresh_from_db()
    assert lastmods["sitemap-articles.xml"] == edited.updated_at.isoformat()
    ArticleFactory.create_batch(20)
    with CaptureQueriesContext(connection) as first_after_change:
        client.get("/sitemap.xml")  # counts the live articles again (content/home_positions)
    with CaptureQueriesContext(connection) as many:
        client.get("/sitemap.xml")
    assert len(many) == len(few)
    assert len(first_after_change) == len(few) + 2  # the count and the next due article


def test_article_sitemap_holds_published_articles_only(client) -> None:
    live = ArticleFactory()
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)
    future = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    found = locations(client, "/sitemap-articles.xml")
    assert f"{settings.SITE_URL}{live.get_absolute_url()}" in found
    assert not {f"{settings.SITE_URL}{a.get_absolute_url()}" for a in (draft, future)} & set(found)


def test_sections_split_into_parts_past_the_limit(client, monkeypatch) -> None:
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for _ in range(5):
        ArticleFactory()
    index = locations(client, "/sitemap.xml")
    parts = [url for url in index if "sitemap-articles.xml" in url]
    assert len(parts) == 3
    assert sum(len(locations(client, part.replace(settings.SITE_URL, ""))) for part in parts) == 5


def test_term_sitemaps_skip_empty_archives(client) -> None:
    used, unused = CategoryFactory(), CategoryFactory()
    ArticleFactory(categories=[used], author=AuthorFactory())
    found = locations(client, "/sitemap-categories.xml")
    assert f"{settings.SITE_URL}{used.get_absolute_url()}" in found
    assert f"{settings.SITE_URL}{unused.get_absolute_url()}" not in found


def test_term_sitemaps_count_only_archives_with_a_published_article(client, monkeypatch) -> None:
    """The index's parts come from the count of terms with a published article."""
    monkeypatch.setattr(sitemaps.TagSitemap, "limit", 2)
    for _ in range(5):
        ArticleFactory(tags=[TagFactory(), TagFactory()], status=Status.PUBLISHED)
    ArticleFactory(tags=[TagFactory()], status=Status.DRAFT)
    TagFactory()
    parts = [url for url in locations(client, "/sitemap.xml") if "sitemap-tags.xml" in url]
    assert len(parts) == 5  # ten tags, two a part; the draft's and the unused one not counted
    shown = [
        loc for part in parts for loc in locations(client, part.replace(settings.SITE_URL, ""))
    ]
    assert len(shown) == len(set(shown)) == 10


def test_robots_txt_points_at_the_sitemap_and_adds_the_editors_lines(client, settings) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"robots_txt": "Disallow: /tag/"})
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    assert "Disallow: /tag/" in lines and "Disallow: /admin/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def head_of(client, url: str):  # type: ignore[no-untyped-def]
    return parse_html(client.get(url).content).find("head")


def meta_properties(head) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    for meta in head.find_all("meta"):
        key = meta.attrs.get("property") or meta.attrs.get("name")
        if key:
            found.setdefault(key, []).append(meta.attrs.get("content") or "")
    return found


def test_article_head_has_canonical_description_open_graph_and_json_ld(client, settings) -> None:
    article = ArticleFactory(
        title="Frigates ordered",
        excerpt="The navy gets five new ships.",
        featured_image="/media/frigate.jpg",
        featured_image_alt="A frigate at sea",
        author=AuthorFactory(display_name="Helen Walker"),
        categories=[CategoryFactory(name="Defence")],
        tags=[TagFactory(name="Navy")],
    )
    head = head_of(client, article.get_absolute_url())
    canonical = f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert head.find("link", rel="canonical").attrs["href"] == canonical
    meta = meta_properties(head)
    assert meta["description"] == ["The navy gets five new ships."]
    assert meta["og:type"] == ["article"]
    assert meta["og:url"] == [canonical]
    assert meta["og:image"] == [f"{settings.SITE_URL}/media/frigate.jpg"]
    assert meta["og:image:alt"] == ["A frigate at sea"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["article:section"] == ["Defence"] and meta["article:tag"] == ["Navy"]
    data = json.loads(head.find("script", type="application/ld+json").text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Frigates ordered"
    assert data["author"][0]["name"] == "Helen Walker"
    assert data["publisher"]["name"] == SiteSettings.objects.get(pk=1).title
    assert data["image"] == [f"{settings.SITE_URL}/media/frigate.jpg"]
    assert dt.datetime.fromisoformat(data["datePublished"]) == article.published_at


def test_json_ld_cannot_close_its_script_element(client) -> None:
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    head = head_of(client, article.get_absolute_url())
    scripts = head.find_all("script")
    assert [s.attrs.get("type") for s in scripts if not s.attrs.get("src")] == [
        "application/ld+json"
    ]
    data = head.find("script", type="application/ld+json")
    assert json.loads(data.text)["headline"] == "</script><script>alert(1)</script>"


def test_paginated_lists_link_prev_next_and_ask_not_to_be_indexed_past_page_one(client) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": 1})
    for _ in range(3):
        ArticleFactory()
    first, second = head_of(client, "/"), head_of(client, "/page/2/")
    assert first.find_all("meta", name="robots") == []
    assert first.find("link", rel="next").attrs["href"].endswith("/page/2/")
    assert meta_properties(second)["robots"] == ["noindex, follow"]
    assert second.find("link", rel="prev").attrs["href"].endswith("/")
    assert second.find("link", rel="canonical").attrs["href"].endswith("/page/2/")
    SiteSettings.objects.filter(pk=1).update(noindex_paginated_archives=False)
    from django.core.cache import cache

    cache.clear()
    assert head_of(client, "/page/2/").find_all("meta", name="robots") == []


def test_related_articles_share_terms_most_first(client) -> None:
    navy, army = TagFactory(name="Navy"), TagFactory(name="Army")
    defence = CategoryFactory()
    article = ArticleFactory(tags=[navy, army], categories=[defence])
    closest = ArticleFactory(title="Closest", tags=[navy, army], categories=[defence])
    close = ArticleFactory(title="Close", tags=[navy])
    ArticleFactory(title="Unrelated", tags=[TagFactory()])
    aside = parse_html(client.get(article.get_absolute_url()).content).find(
        "aside", class_="related"
    )
    assert [link.text for link in aside.find_all("a")] == [closest.title, close.title]


def test_among_equally_related_articles_the_closest_wording_comes_first(client) -> None:
    navy = TagFactory(name="Navy")
    article = ArticleFactory(title="Frigate programme delayed again", tags=[navy])
    similar = ArticleFactory(title="Frigate programme costs rise", tags=[navy])
    ArticleFactory(title="Recruitment figures published", tags=[navy])  # newer, less alike
    aside = parse_html(client.get(article.get_absolute_url()).content).find(
        "aside", class_="related"
    )
    assert [link.text for link in aside.find_all("a")][0] == similar.title
