"""Characters XML 1.0 cannot carry, already stored (written straight to the database, past
every form and importer), never break a feed, a sitemap or the WXR export: they are dropped
on the way out and the rest of the text stays."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from io import StringIO

import feedparser
import pytest
from django.db import connection
from django.db.models import Model

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
from broadsheet.feeds.sitemaps import SITEMAPS
from broadsheet.importers.wordpress.export import export_wxr
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory, TagFactory

pytestmark = pytest.mark.django_db


def write_raw(model: type[Model], pk: int, **values: str) -> None:
    """UPDATE the row in SQL: no save(), no form, no field cleaning on the way in."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*values.values(), pk])


@pytest.fixture
def tainted() -> dict[str, object]:
    """A site whose every printed text holds a control character (U+0001, U+000B, U+000C…)."""
    category = CategoryFactory(name="Defence", slug="defence")
    tag = TagFactory(name="NATO", slug="nato")
    author = AuthorFactory(display_name="Helen Walker", slug="hwalker")
    article = ArticleFactory(
        title="Frigate order", author=author, categories=[category], tags=[tag]
    )
    comment = Comment.objects.create(
        article=article, author_name="Reader", body="Late again.", status=Comment.Status.APPROVED
    )
    page = PageFactory(title="About us", slug="about")
    SiteSettings.objects.get_or_create(pk=1)
    write_raw(SiteSettings, 1, title="The\x01 Gazette", tagline="News\x0b daily")
    write_raw(Category, category.pk, name="Def\x02ence")
    write_raw(Tag, tag.pk, name="NA\x03TO")
    write_raw(Author, author.pk, display_name="Helen\x0c Walker")
    write_raw(
        Article,
        article.pk,
        title="Frigate\x01 order",
        summary="The navy\x0c orders frigates.",
        body_html="<p>Full\x0b story\x7f here.</p>",
    )
    write_raw(
        Comment,
        comment.pk,
        author_name="Re\x01ader",
        body="Late\x0b again\x0c.",
        body_html="<p>Late\x0b again\x0c.</p>",
    )
    write_raw(Page, page.pk, title="About\x0b us")
    return {"article": article, "category": category, "tag": tag, "author": author}


def feed_bases(site: dict) -> list[str]:  # type: ignore[type-arg]
    return [
        "/feed/",
        "/comments/feed/",
        f"{site['category'].get_absolute_url()}feed/",
        f"{site['tag'].get_absolute_url()}feed/",
        f"{site['author'].get_absolute_url()}feed/",
        f"{site['article'].get_absolute_url()}feed/",
    ]


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_every_xml_feed_parses_with_the_rest_of_the_text_kept(client, tainted, suffix: str) -> None:
    for base in feed_bases(tainted):
        response = client.get(base + suffix)
        assert response.status_code == 200, base + suffix
        ET.fromstring(response.content)  # well-formed XML 1.0, or this raises
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (base + suffix, parsed.get("bozo_exception"))
        assert parsed.entries, base + suffix
        entry = parsed.entries[0]
        if base.startswith("/comments/") or base == feed_bases(tainted)[-1]:
            assert entry.title == "Comment on Frigate order by Reader"
            assert entry.author == "Reader"
            assert parsed.entries[0].summary == "<p>Late again.</p>"
        else:
            assert parsed.feed.title.startswith("The Gazette")
            assert entry.title == "Frigate order"
            assert entry.author == "Helen Walker"
            assert entry.summary == "The navy orders frigates."
            assert entry.content[0].value == "<p>Full story here.</p>"
            assert {tag.term for tag in entry.tags} == {"Defence", "NATO"}


def test_the_json_feeds_carry_the_same_text_without_the_characters(client, tainted) -> None:
    for base in feed_bases(tainted):
        response = client.get(base + "json/")
        assert response.status_code == 200, base
        item = json.loads(response.content)["items"][0]
        printed = json.dumps(item, ensure_ascii=False)
        assert not any(character in printed for character in "\x01\x02\x03\x0b\x0c\x7f"), base


def test_every_sitemap_parses(client, tainted) -> None:
    for url in ["/sitemap.xml", *(f"/sitemap-{section}.xml" for section in SITEMAPS)]:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)
        assert root.findall(".//{http://www.sitemaps.org/schemas/sitemap/0.9}loc"), url


def test_a_page_address_with_a_control_character_is_percent_encoded_in_the_sitemap(
    client,
) -> None:
    page = PageFactory(title="About us", slug="about")
    write_raw(Page, page.pk, path="about\x0bus")
    root = ET.fromstring(client.get("/sitemap-pages.xml").content)
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert [loc.rsplit("/", 2)[1] for loc in locations] == ["about%0Bus"]


def test_the_wxr_export_parses_and_keeps_the_text(tainted) -> None:
    out = StringIO()
    export_wxr(out)
    root = ET.fromstring(out.getvalue())
    channel = root.find("channel")
    assert channel.findtext("title") == "The Gazette"
    titles = {item.findtext("title") for item in channel.iter("item")}
    assert {"Frigate order", "About us"} <= titles
    wp = "{http://wordpress.org/export/1.2/}"
    authors = [comment.findtext(f"{wp}comment_author") for comment in root.iter(f"{wp}comment")]
    assert authors == ["Reader"]
    assert "\x7f" not in out.getvalue()
