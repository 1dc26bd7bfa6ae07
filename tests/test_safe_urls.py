"""Addresses from outside are web addresses or nothing: ``core.urls.safe_http_url`` decides,
every writer of a comment's website uses it, and the comment card refuses anything else even
when a bad value is already stored."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.core.urls import safe_http_url
from tests.factories import ArticleFactory
from tests.html import parse_html

BAD = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&Tab;script:alert(1)",
    "&#106;avascript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://files.example.org/",
    "http:",
    "https://",
    "http:///path-only",
    "//",
    "example.org",
    "",
]
GOOD = [
    "http://example.org",
    "https://grace.example.org/about?a=1&b=2#top",
    "HTTPS://EXAMPLE.ORG/",
    "https://[2001:db8::1]:8443/",
]


@pytest.mark.parametrize("value", BAD)
def test_anything_but_an_http_address_with_a_host_is_refused(value: str) -> None:
    assert safe_http_url(value) == ""


@pytest.mark.parametrize("value", GOOD)
def test_web_addresses_are_kept_as_they_are(value: str) -> None:
    assert safe_http_url(value) == value


def test_surrounding_space_is_dropped() -> None:
    assert safe_http_url("  https://example.org/ \n") == "https://example.org/"


def test_relative_addresses_are_allowed_only_when_asked_for() -> None:
    assert safe_http_url("/media/a.jpg") == ""
    assert safe_http_url("/media/a.jpg", relative=True) == "/media/a.jpg"
    assert safe_http_url("//cdn.example.org/a.jpg", relative=True) == "//cdn.example.org/a.jpg"
    assert safe_http_url("javascript:alert(1)", relative=True) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:,x"])
def test_saving_a_comment_drops_a_website_that_is_not_a_web_address(value: str) -> None:
    comment = Comment.objects.create(
        article=ArticleFactory(), author_name="Eve", body="Hi", author_url=value
    )
    comment.refresh_from_db()
    assert comment.author_url == ""


@pytest.mark.django_db
@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("value", BAD[:11])
def test_a_bad_website_already_stored_is_never_printed_as_a_link(
    client: Client, value: str
) -> None:
    article = ArticleFactory(status="published")
    comment = Comment.objects.create(
        article=article, author_name="Eve", body="Hi", status=Comment.Status.APPROVED
    )
    # Written past every check, as an old row or a hand-made UPDATE would be.
    Comment.objects.filter(pk=comment.pk).update(author_url=value)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    item = parse_html(page.content).find(id=f"comment-{comment.pk}")
    author = item.find(class_="fn")
    assert author.text == "Eve"
    assert not author.find_all("a")


@pytest.mark.django_db
def test_a_featured_image_must_be_a_web_address_or_a_path_here() -> None:
    from django.core.exceptions import ValidationError

    article = ArticleFactory(featured_image="javascript:alert(1)")
    article.refresh_from_db()
    assert article.featured_image == ""
    article.featured_image = "data:image/svg+xml,<svg onload=alert(1)>"
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "featured_image" in refused.value.message_dict
    article.featured_image = "/media/2026/a.jpg"
    article.full_clean()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_page_cache")
def test_a_bad_featured_image_already_stored_is_printed_nowhere(client: Client) -> None:
    article = ArticleFactory(status="published", featured_image="/media/fine.jpg")
    # Written past every check, as an old row or a hand-made UPDATE would be.
    type(article).objects.filter(pk=article.pk).update(featured_image="javascript:alert(1)")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    printed = [
        value
        for element in parse_html(page.content).iter()
        for value in element.attrs.values()
        if value and "javascript:" in value.lower()
    ]
    assert printed == []
    assert "javascript:" not in page.content.decode().lower()
    feed = client.get("/feed/")
    assert feed.status_code == 200
    enclosures = ET.fromstring(feed.content).iter("enclosure")
    assert [e.get("url") for e in enclosures if "javascript" in (e.get("url") or "")] == []
