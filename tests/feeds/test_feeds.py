from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Status
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory
from tests.html import parse_html

pytestmark = pytest.mark.django_db

XML_FEEDS = {"": "application/rss+xml", "atom/": "application/atom+xml"}


@pytest.fixture
def site():
    defence = CategoryFactory(name="Defence", slug="defence")
    procurement = CategoryFactory(name="Procurement", slug="procurement", parent=defence)
    nato = TagFactory(name="NATO", slug="nato")
    author = AuthorFactory(display_name="Helen Walker", slug="hwalker")
    now = timezone.now()
    articles = [
        ArticleFactory(
            title=f"Frigate order {n}",
            body=f"Body of story {n} with **bold** text.",
            author=author,
            categories=[procurement],
            tags=[nato],
            published_at=now - dt.timedelta(days=n + 1),
        )
        for n in range(3)
    ]
    ArticleFactory(title="Unpublished draft", status=Status.DRAFT, published_at=None)
    first = articles[0]
    Comment.objects.create(
        article=first,
        author_name="Reader One",
        author_email="Reader.One@Example.ORG",
        ip_address="203.0.113.9",
        body="A published comment.",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        article=first,
        author_name="Held Reader",
        author_email="held@example.org",
        body="A held comment.",
        status=Comment.Status.PENDING,
    )
    return {"articles": articles, "category": procurement, "tag": nato, "author": author}


def feed_urls(site) -> list[str]:  # type: ignore[no-untyped-def]
    first = site["articles"][0]
    bases = [
        "/feed/",
        "/comments/feed/",
        f"{site['category'].get_absolute_url()}feed/",
        f"{site['tag'].get_absolute_url()}feed/",
        f"{site['author'].get_absolute_url()}feed/",
        f"{first.get_absolute_url()}feed/",
    ]
    return bases


@pytest.mark.parametrize("suffix", list(XML_FEEDS))
def test_every_xml_feed_parses_cleanly_with_complete_entries(client, site, suffix: str) -> None:
    for base in feed_urls(site):
        response = client.get(base + suffix)
        assert response.status_code == 200, base + suffix
        assert response["Content-Type"] == f"{XML_FEEDS[suffix]}; charset=utf-8"
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (base + suffix, parsed.get("bozo_exception"))
        assert parsed.entries, base + suffix
        for entry in parsed.entries:
            assert entry.title and entry.link and entry.id
            assert entry.get("published_parsed") or entry.get("updated_parsed")


def test_site_feed_lists_published_articles_newest_first_with_full_content(client, site) -> None:
    parsed = feedparser.parse(client.get("/feed/").content)
    assert [entry.title for entry in parsed.entries] == [a.title for a in site["articles"]]
    first = parsed.entries[0]
    assert first.author == "Helen Walker"
    assert "<strong>bold</strong>" in first.content[0].value
    assert first.summary == "Body of story 0 with bold text."
    assert {tag.term for tag in first.tags} == {"Procurement", "NATO"}


def test_json_feed_follows_version_1_1(client, site) -> None:
    response = client.get("/feed/json/")
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"].endswith("/feed/json/")
    assert len(feed["items"]) == 3
    item = feed["items"][0]
    assert {"id", "url", "title", "content_html", "date_published", "authors"} <= item.keys()
    assert dt.datetime.fromisoformat(item["date_published"])
    assert item["authors"] == [{"name": "Helen Walker"}]


def test_atom_ids_are_tag_uris_that_survive_a_retitle(client, site) -> None:
    article = site["articles"][0]
    before = {e.link: e.id for e in feedparser.parse(client.get("/feed/atom/").content).entries}
    article.title = "A completely different headline"
    article.save()
    after = {e.title: e.id for e in feedparser.parse(client.get("/feed/atom/").content).entries}
    assert (
        after["A completely different headline"]
        == before[f"{settings.SITE_URL}{article.get_absolute_url()}"]
    )
    assert after["A completely different headline"].startswith("tag:")


def test_conditional_get_answers_304_to_etag_and_last_modified(client, site) -> None:
    first = client.get("/feed/")
    assert first["ETag"] and first["Last-Modified"]
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    ArticleFactory(title="Breaking news", published_at=timezone.now())
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_comment_feeds_carry_approved_comments_and_no_private_data(client, site) -> None:
    for url in ("/comments/feed/", f"{site['articles'][0].get_absolute_url()}feed/"):
        response = client.get(url)
        parsed = feedparser.parse(response.content)
        assert [entry.title for entry in parsed.entries] == [
            f"Comment on {site['articles'][0].title} by Reader One"
        ]
        body = response.content.decode().lower()
        assert "reader.one@example.org" not in body and "203.0.113.9" not in body
        assert "held comment" not in body


def test_unknown_archive_feeds_are_404(client, site) -> None:
    for url in (
        "/category/nope/feed/",
        "/tag/nope/feed/",
        "/author/nope/feed/json/",
        "/2026/01/01/nope/feed/",
    ):
        assert client.get(url).status_code == 404, url


def test_pages_announce_their_feeds_in_the_head(client, site) -> None:
    def alternates(url: str) -> dict[str, str | None]:
        head = parse_html(client.get(url).content).find("head")
        return {
            link.attrs.get("type") + " " + (link.attrs.get("href") or ""): link.attrs.get("title")
            for link in head.find_all("link", rel="alternate")
        }

    home = alternates("/")
    assert {
        "application/rss+xml /feed/",
        "application/atom+xml /feed/atom/",
        "application/feed+json /feed/json/",
        "application/rss+xml /comments/feed/",
    } <= set(home)
    category_url = site["category"].get_absolute_url()
    assert f"application/rss+xml {category_url}feed/" in alternates(category_url)
    article_url = site["articles"][0].get_absolute_url()
    assert f"application/rss+xml {article_url}feed/" in alternates(article_url)


@pytest.mark.usefixtures("no_page_cache")  # counts the rendering's queries
def test_feed_query_count_does_not_grow_with_articles(client, site) -> None:
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get("/feed/")
    few = queries("/feed/"), queries("/comments/feed/")
    for _ in range(25):
        ArticleFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    assert (queries("/feed/"), queries("/comments/feed/")) == few


def test_a_featured_image_travels_as_an_enclosure_in_every_format(client, site) -> None:
    article = site["articles"][0]
    article.featured_image = "/media/frigate.png"
    article.save()
    rss = feedparser.parse(client.get("/feed/").content).entries[0]
    assert [(e.href, e.type) for e in rss.enclosures] == [
        (f"{settings.SITE_URL}/media/frigate.png", "image/png")
    ]
    atom = feedparser.parse(client.get("/feed/atom/").content).entries[0]
    assert [link.href for link in atom.links if link.rel == "enclosure"] == [
        f"{settings.SITE_URL}/media/frigate.png"
    ]
    item = json.loads(client.get("/feed/json/").content)["items"][0]
    assert item["attachments"] == [
        {"url": f"{settings.SITE_URL}/media/frigate.png", "mime_type": "image/png"}
    ]
