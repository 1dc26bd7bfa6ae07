"""Hostile WXR content: every XSS payload of the public list, through every import format and
field, comes out of the importer as harmless HTML or text; comment websites that are not web
addresses are dropped; control characters never get in."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article, Author, Category, Page, Tag
from broadsheet.importers.models import Media, PageComment
from broadsheet.importers.wordpress.importing import import_wxr
from broadsheet.importers.wordpress.load import ImportOptions
from tests.html import parse_html
from tests.importers.wxr import BASE, C, P, document, write
from tests.markup_checks import assert_harmless_html

pytestmark = pytest.mark.django_db

XSS_LIST = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "xss"
PAYLOADS = [
    line
    for line in (XSS_LIST / "IntrudersXSS.txt").read_text(encoding="utf-8").splitlines()
    if line.strip()
] + [
    "<svg onload=alert(1)>",
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<style>*{background:url(javascript:alert(1))}</style>",
]
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#x09;script:alert(1)",
    "&#1;javascript:alert(1)",
    "\x85javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "http:",
    "https:///no-host",
    "//",
]


def run(tmp_path: Path, *items: P, **kwargs: object):  # type: ignore[no-untyped-def]
    return import_wxr(write(tmp_path, document(*items, **kwargs)), ImportOptions(workers=1))


def _payload_items(payload: str) -> list[P]:
    """The payload in every body format and text field an import reads."""
    return [
        P(1, content=payload, excerpt=payload, meta=[("_broadsheet_format", "html")]),
        P(
            2,
            content="",
            meta=[("_broadsheet_format", "markdown"), ("_broadsheet_markdown", payload)],
        ),
        P(3, content=payload, excerpt=payload),  # WordPress's own content, wpautop'd
        P(4, content=f"<!-- wp:paragraph -->\n<p>{payload}</p>\n<!-- /wp:paragraph -->"),
        P(5, content=f"[caption id=x]{payload}[/caption] [embed]{payload}[/embed]"),
        P(6, type="page", content=payload, meta=[("_broadsheet_format", "html")]),
        P(7, type="page", content=payload, comments=[C(70, content=payload)]),
        P(
            8,
            type="attachment",
            status="inherit",
            content=payload,
            excerpt=payload,
            attachment_url=f"{BASE}/wp-content/uploads/a.jpg",
        ),
        P(
            9,
            comments=[
                C(90, content=payload),
                C(91, content=payload, meta=[("_broadsheet_format", "text")]),
            ],
        ),
    ]


def _stored_html() -> list[tuple[str, str]]:
    """Every HTML value the import stored, named."""
    found: list[tuple[str, str]] = []
    for article in Article.objects.all():
        found += [(f"article {article.pk} body_html", article.body_html)]
        if article.body_format == "html":
            found += [(f"article {article.pk} body", article.body)]
    for page in Page.objects.all():
        found += [(f"page {page.pk} body_html", page.body_html)]
        if page.body_format == "html":
            found += [(f"page {page.pk} body", page.body)]
    found += [(f"comment {c.pk}", c.body_html) for c in Comment.objects.all()]
    found += [(f"media {m.pk} description", m.description) for m in Media.objects.all()]
    return found


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_no_payload_survives_any_import_format_as_markup(tmp_path: Path, payload: str) -> None:
    report = run(
        tmp_path,
        *_payload_items(payload),
        categories=((3, "news", "News", ""),),
        descriptions={"news": payload, "editor": payload},
    )
    assert not report.failed, report.failed
    stored = _stored_html()
    assert len(stored) >= 12
    for name, html in stored:
        assert_harmless_html(html, name)


@pytest.mark.usefixtures("no_page_cache")
def test_an_html_body_with_an_event_handler_reaches_no_page_as_markup(
    tmp_path: Path, client: Client
) -> None:
    run(
        tmp_path,
        P(1, content="<p>Hello</p><svg onload=alert(1)>", meta=[("_broadsheet_format", "html")]),
    )
    article = Article.objects.get()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    body = parse_html(page.content).find("div", class_="entry-content")
    assert body.text.strip() == "Hello"
    assert_harmless_html(article.body_html, "article")


@pytest.mark.parametrize("url", BAD_URLS)
def test_comment_websites_that_are_not_web_addresses_are_dropped(tmp_path: Path, url: str) -> None:
    run(
        tmp_path,
        P(1, comments=[C(10, url=url), C(11, url="https://fine.example.org/me")]),
        P(2, type="page", comments=[C(20, url=url)]),
    )
    assert dict(Comment.objects.values_list("pk", "author_url")) == {
        10: "",
        11: "https://fine.example.org/me",
    }
    assert PageComment.objects.get().author_url == ""


@pytest.mark.parametrize("url", BAD_URLS)
def test_featured_images_and_media_addresses_must_be_web_addresses(
    tmp_path: Path, url: str
) -> None:
    run(
        tmp_path,
        P(1, meta=[("_broadsheet_featured_image", url)]),
        P(2, meta=[("_broadsheet_featured_image", "/media/2020/01/fine.jpg")]),
        P(3, type="attachment", status="inherit", attachment_url=url),
    )
    assert dict(Article.objects.values_list("pk", "featured_image")) == {
        1: "",
        2: "/media/2020/01/fine.jpg",
    }
    assert Media.objects.get().original_url == ""


# XML 1.0 carries DEL and the C1 controls as they are, and the others as character
# references in HTML fields, which the importer decodes.
CONTROLS = "\x0b\x0c\x01\x7f\x85"


def test_control_characters_do_not_get_in_through_any_field(tmp_path: Path) -> None:
    dirty = "Bad&#11;&#x0C;&#1;\x7f\x85text"
    run(
        tmp_path,
        P(
            1,
            title=dirty,
            content=dirty,
            excerpt=dirty,
            categories=[("news", "News")],
            tags=[("nato", dirty)],
            comments=[C(10, author=dirty, content=dirty, url="https://a.example.org/\x7f\x85")],
        ),
        P(2, type="page", title=dirty, content=dirty, meta=[("_broadsheet_format", "html")]),
        P(
            3,
            content="",
            meta=[("_broadsheet_format", "markdown"), ("_broadsheet_markdown", dirty)],
        ),
        authors=((1, "editor", dirty),),
        categories=((3, "news", dirty, ""),),
        tags=((5, "nato", dirty),),
        descriptions={"news": dirty, "editor": dirty},
    )
    values = [
        *Article.objects.values_list("title", "body", "body_html", "excerpt", "summary"),
        *Page.objects.values_list("title", "body", "body_html"),
        *Comment.objects.values_list("author_name", "author_url", "body", "body_html"),
        *Author.objects.values_list("display_name", "bio"),
        *Category.objects.values_list("name", "description"),
        *Tag.objects.values_list("name"),
    ]
    assert len(values) == 7
    for row in values:
        for value in row:
            assert not set(value) & set(CONTROLS), repr(value)


@pytest.mark.django_db(transaction=True)  # migrate runs its own transactions
def test_html_bodies_stored_before_the_sanitizer_rule_are_sanitized_by_migration() -> None:
    from django.core.management import call_command

    from tests.factories import ArticleFactory

    article = ArticleFactory(body_format="html", body="<p>Hi</p>")
    page = Page.objects.create(title="About", body_format="html", body="<p>Us</p>")
    raw = '<p>Hi</p><svg onload=alert(1)><a href="javascript:alert(1)">x</a>'
    Article.objects.filter(pk=article.pk).update(body_html=raw)
    Page.objects.filter(pk=page.pk).update(body_html=raw)

    call_command("migrate", "content", "0008", verbosity=0)
    call_command("migrate", "content", verbosity=0)

    for stored in (Article.objects.get(pk=article.pk), Page.objects.get(pk=page.pk)):
        assert_harmless_html(stored.body_html, type(stored).__name__)
        assert parse_html(stored.body_html).find("p").text == "Hi"
