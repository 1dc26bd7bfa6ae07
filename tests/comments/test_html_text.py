"""Comment HTML (WordPress's, or what this site rendered before comments were plain text)
becomes comment text that shows the same: entities decoded, paragraphs as newlines, the
allowed tags kept. Imported through a real WXR file, and as a property of the two functions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.comments.html_text import text_from_html
from broadsheet.comments.models import Comment
from broadsheet.comments.rendering import render_comment
from broadsheet.importers.wordpress.importing import import_wxr
from tests.html import parse_html
from tests.importers.wxr import C, P, document, write


def test_wordpress_comment_html_becomes_the_text_its_commenter_typed() -> None:
    notes: list[str] = []
    html = (
        "<p>Fish &amp; chips &lt;3<br />\nsecond line</p>\n"
        '<p>See <a href="https://example.org/?a=1&amp;b=2" onclick="x()">this</a>, '
        "<strong>really</strong> <strike>old</strike> <img src=x>.</p>"
    )
    assert text_from_html(html, notes) == (
        "Fish & chips <3\nsecond line\n\n"
        'See <a href="https://example.org/?a=1&amp;b=2">this</a>, '
        "<strong>really</strong> <s>old</s> ."
    )
    assert notes == ["comment HTML <img> reduced to its text"]


def test_plain_text_passes_through() -> None:
    assert text_from_html("  Just words.\n\nTwo paragraphs. ") == "Just words.\n\nTwo paragraphs."


PIECES = [*"ab \n\t*_\\[]()<>&;#/.:=\"'¯ツ", "<b>", "</b>", "<em>", "</em>", "<blockquote>",
          "</blockquote>", "https://e.org/x ", "www.f.org ", '<a href="https://g.org">', "</a>",
          "&amp;"]  # fmt: skip
TYPED = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def as_read(html: str) -> str:
    """``html`` without the white space a browser does not show: at paragraph, line-break
    and quotation boundaries, and runs of it."""
    html = re.sub(r"\s*(</?(?:p|br|blockquote)>)\s*", r"\1", html)
    return re.sub(r"\s+", " ", html)


@settings(max_examples=200, deadline=None)
@given(TYPED)
def test_rendered_html_read_back_as_text_renders_the_same(text: str) -> None:
    html = render_comment(text)
    assert as_read(render_comment(text_from_html(html))) == as_read(html)


@pytest.mark.django_db
def test_an_imported_comment_shows_as_it_did_on_wordpress(tmp_path: Path) -> None:
    content = "Fish &amp; chips ¯\\_(ツ)_/¯\n\n<strong>Really</strong> *good*."
    path = write(tmp_path, document(P(1, comments=[C(10, content=content)])))
    import_wxr(path, None)  # type: ignore[arg-type]
    comment = Comment.objects.get(pk=10)
    assert comment.body == "Fish & chips ¯\\_(ツ)_/¯\n\n<strong>Really</strong> *good*."
    page = Client().get(comment.article.get_absolute_url())
    shown = (
        parse_html(page.content).find("li", id="comment-10").find("div", class_="comment-content")
    )
    assert [p.text for p in shown.find_all("p")] == ["Fish & chips ¯\\_(ツ)_/¯", "Really *good*."]
    assert shown.find("strong").text == "Really"
