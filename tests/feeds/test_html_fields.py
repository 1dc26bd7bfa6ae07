"""Plain text (titles, summaries, names, the tagline) never becomes markup in a feed reader:
every field a reader takes as HTML carries escaped text or sanitized HTML, nothing else.

Each feed is parsed as XML, then each HTML-typed field's text is parsed as the HTML a reader
would render; the payload must come out as the words it was, not as an element."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from broadsheet.comments.models import Comment
from broadsheet.content.models import SiteSettings
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory
from tests.html import parse_html

pytestmark = pytest.mark.django_db

PAYLOAD = "<img src=x onerror=alert(1)>"
TITLE = f"Frigates {PAYLOAD} & more"
# Markdown keeps (sanitized) inline HTML; written as entities it is text, as a reader typed it.
EXCERPT = "Summary &lt;img src=x onerror=alert(1)&gt; in full"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture
def hostile():  # type: ignore[no-untyped-def]
    SiteSettings.objects.update_or_create(pk=1, defaults={"tagline": f"Tagline {PAYLOAD}"})
    category = CategoryFactory(name=f"Cat {PAYLOAD}", slug="cat")
    tag = TagFactory(name=f"Tag {PAYLOAD}", slug="tag")
    author = AuthorFactory(display_name=f"Ann {PAYLOAD}", slug="ann")
    article = ArticleFactory(
        title=TITLE, excerpt=EXCERPT, author=author, categories=[category], tags=[tag]
    )
    Comment.objects.create(
        article=article,
        author_name=f"Reader {PAYLOAD}",
        body=f"Words {PAYLOAD}",
        status=Comment.Status.APPROVED,
    )
    article.refresh_from_db()
    assert PAYLOAD in article.summary  # the summary is plain text holding the payload
    return article


def urls(article) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        "/feed/",
        "/comments/feed/",
        "/category/cat/feed/",
        "/tag/tag/feed/",
        "/author/ann/feed/",
        f"{article.get_absolute_url()}feed/",
    ]


def html_fields(root: ET.Element) -> list[tuple[str, str]]:
    """(name, text) of every field a feed reader renders as HTML."""
    found: list[tuple[str, str]] = []
    for channel in root.iter("channel"):  # RSS 2.0: descriptions and content:encoded are HTML
        found.append(("channel/description", channel.findtext("description") or ""))
        for item in channel.iter("item"):
            found.append(("item/description", item.findtext("description") or ""))
            found.append(("item/content:encoded", item.findtext(CONTENT) or ""))
    for element in root.iter():  # Atom: any text construct of type html
        if element.tag.startswith(ATOM) and element.get("type") == "html":
            found.append((element.tag.removeprefix(ATOM), element.text or ""))
    return found


def assert_no_markup_from_plain_text(name: str, html: str) -> None:
    tree = parse_html(html)
    elements = [element.tag for element in tree.iter()][1:]
    assert "img" not in elements, (name, html)
    assert not any(
        attribute.startswith("on") for element in tree.iter() for attribute in element.attrs
    ), (name, html)


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_no_html_field_of_any_xml_feed_turns_plain_text_into_markup(
    client, hostile, suffix: str
) -> None:
    for url in urls(hostile):
        response = client.get(url + suffix)
        assert response.status_code == 200, url + suffix
        fields = html_fields(ET.fromstring(response.content))
        assert fields, url + suffix
        for name, html in fields:
            assert_no_markup_from_plain_text(f"{url}{suffix} {name}", html)


def test_the_summary_reads_as_the_words_it_was_in_rss_and_atom(client, hostile) -> None:
    rss = ET.fromstring(client.get("/feed/").content)
    description = rss.find("channel/item/description").text
    assert parse_html(description).text == hostile.summary
    atom = ET.fromstring(client.get("/feed/atom/").content)
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert parse_html(summary.text).text == hostile.summary


def test_the_comment_feed_of_an_article_names_it_as_text(client, hostile) -> None:
    rss = ET.fromstring(client.get(f"{hostile.get_absolute_url()}feed/").content)
    description = rss.find("channel/description").text
    assert parse_html(description).text == f"Comments on: {TITLE}"
    assert rss.find("channel/title").text == f"Comments on: {TITLE}"  # RSS titles are text


def test_the_json_feed_keeps_plain_text_plain_and_html_sanitized(client, hostile) -> None:
    item = json.loads(client.get("/feed/json/").content)["items"][0]
    assert item["title"] == TITLE
    assert item["summary"] == hostile.summary  # JSON Feed's summary is plain text
    assert_no_markup_from_plain_text("content_html", item["content_html"])


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/comments/feed/", "/comments/feed/atom/"]
)
def test_stored_html_with_a_control_character_in_a_scheme_reaches_no_feed_as_a_script_url(
    client, url: str
) -> None:
    article = ArticleFactory(body="Words", excerpt="")
    comment = Comment.objects.create(
        article=article, author_name="Reader", body="Hi", status=Comment.Status.APPROVED
    )
    # Written past the sanitizer, as a row stored before its rule or by hand would be.
    hostile = '<p><a href="java\x0bscript:alert(1)">x</a></p>'
    type(article).objects.filter(pk=article.pk).update(body_html=hostile)
    Comment.objects.filter(pk=comment.pk).update(body_html=hostile)
    response = client.get(url)
    assert response.status_code == 200
    for name, html in html_fields(ET.fromstring(response.content)):
        hrefs = [element.attrs.get("href") or "" for element in parse_html(html).iter()]
        assert not [href for href in hrefs if href.lower().startswith("javascript")], (name, html)
