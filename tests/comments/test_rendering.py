"""What a posted comment looks like on the article page: the text as typed, with the few tags
WordPress allows, paragraphs and links that carry no search-engine credit, and nothing a script
could run — checked with the public XSS payload list, every payload posted as a real comment."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.rendering import COMMENT_TAGS, LINK_REL, render_comment
from broadsheet.content.models import Article
from broadsheet.core.markup import sanitize_html
from tests.comments.conftest import (
    VALID_COMMENT,
    comment_form,
    post_comment,
    posted_comment,
)
from tests.html import Element, parse_html

Configure = Callable[..., DiscussionSettings]

# tests/comments/ → tests/ → main/ → /work; the fixtures are shared between checkouts.
XSS_FOLDER = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "xss"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
# Everything a comment's <li> may contain: the template's own markup plus the comment allow-list.
COMMENT_MARKUP = {
    "li",
    "article",
    "footer",
    "img",
    "b",
    "p",
    "a",
    "time",
    "div",
    "ol",
} | COMMENT_TAGS


@pytest.fixture
def publish_everything(discussion: Configure) -> Configure:
    """Every posted comment goes straight onto the page, so a stranger sees what was typed."""
    discussion(moderation=DiscussionSettings.Moderation.APPROVE_ALL, max_links=0)
    return discussion


def as_strangers_see_it(article: Article, comment: Comment) -> Element:
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    return parse_html(page.content).find("li", id=f"comment-{comment.pk}")


def rendered(client: Client, article: Article, text: str) -> Element:
    """The comment's content as shown on the article, after posting ``text`` in the form."""
    comment = posted_comment(post_comment(client, article, comment=text))
    assert comment.status == Comment.Status.APPROVED
    return as_strangers_see_it(article, comment).find("div", class_="comment-content")


def elements_inside(element: Element) -> list[Element]:
    return list(element.iter())[1:]


def scheme_of(url: str) -> str:
    """The URL's scheme as a browser reads it: ignoring case, whitespace and control bytes."""
    return re.sub(r"[\x00-\x20]+", "", url).lower()


def is_site_script(element: Element) -> bool:
    """The page's own scripts: static files, and the JSON-LD metadata block (data, not code)."""
    if element.attrs.get("type") == "application/ld+json":
        return True
    return (element.attrs.get("src") or "").startswith("/static/") and not element.text.strip()


def unsafe_parts(element: Element, *, allow_site_scripts: bool = False) -> list[str]:
    """Anything in ``element`` that could run script: active tags, event handlers, script URLs."""
    found = []
    for node in element.iter():
        if node.tag in ACTIVE_TAGS and not (allow_site_scripts and is_site_script(node)):
            found.append(f"<{node.tag} {node.attrs}>")
        for name, value in node.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{node.tag} {name}>")
            if name.lower() in URL_ATTRIBUTES and scheme_of(value or "").startswith(
                DANGEROUS_SCHEMES
            ):
                found.append(f"<{node.tag} {name}={value!r}>")
    return found


# Readers' text


def test_blank_line_starts_a_new_paragraph(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    content = rendered(client, article, "First thought.\n\nSecond thought.")
    paragraphs = [child for child in content.children if isinstance(child, Element)]
    assert [(p.tag, p.text) for p in paragraphs] == [
        ("p", "First thought."),
        ("p", "Second thought."),
    ]


def test_single_newline_is_a_line_break(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    paragraph = rendered(client, article, "Line one\nLine two").find("p")
    assert [child.tag if isinstance(child, Element) else child.strip() for child in
            paragraph.children] == ["Line one", "br", "Line two"]  # fmt: skip


# Typed exactly as it shows: the strings Markdown used to eat, and HTML that is not markup.
TYPED_AS_SHOWN = [
    "*a*",
    "_x_",
    "**not bold** and __not either__",
    "a < b > c",
    "¯\\_(ツ)_/¯",
    "1. not a list",
    "- not a list either",
    "# not a heading",
    "> not a quote",
    "back\\slashes \\n \\*stay\\*",
    "&amp; typed literally, &lt; too, and &copy;",
    "`not code` and ~~not struck~~",
    "[not a link](https://example.org/)",
    "<3 and 2 > 1 and x<y",
    "<div>not markup</div> <script>alert(1)</script> <img src=x onerror=alert(1)>",
    "[gallery] [caption]shortcodes are text[/caption]",
    "Tabs\tand    spaces",
]


@pytest.mark.parametrize("text", TYPED_AS_SHOWN)
def test_what_a_commenter_types_is_shown_as_typed(
    client: Client, article: Article, publish_everything: Configure, text: str
) -> None:
    content = rendered(client, article, text)
    assert {element.tag for element in elements_inside(content)} <= {"p", "a"}
    assert content.text.strip() == text


@pytest.mark.parametrize(
    ("text", "href", "label"),
    [
        ("Read https://example.org/report now", "https://example.org/report", None),
        ("See www.example.org for more", "http://www.example.org", "www.example.org"),
        ("A link (https://example.org/a_(b)).", "https://example.org/a_(b)", None),
        ('The <a href="https://example.org/r">full report</a>.', "https://example.org/r", None),
    ],
)
def test_typed_links_and_bare_urls_become_links(
    client: Client,
    article: Article,
    publish_everything: Configure,
    text: str,
    href: str,
    label: str | None,
) -> None:
    link = rendered(client, article, text).find("a")
    assert link.attrs["href"] == href
    assert link.text == (label or ("full report" if "full" in text else href))


@pytest.mark.parametrize(
    ("text", "tag", "inner"),
    [
        ("That is <em>really</em> late.", "em", "really"),
        ("That is <i>really</i> late.", "i", "really"),
        ("That is <strong>very</strong> late.", "strong", "very"),
        ("That is <b>very</b> late.", "b", "very"),
        ("Run <code>make test</code> first.", "code", "make test"),
        ("It was <del>on time</del> late.", "del", "on time"),
        ("It was <s>on time</s> late.", "s", "on time"),
        ("It was <strike>on time</strike> late.", "s", "on time"),
        ('<abbr title="North Atlantic">NATO</abbr> said', "abbr", "NATO"),
        ('<acronym title="North Atlantic">NATO</acronym> said', "abbr", "NATO"),
        ("As <cite>The Times</cite> put it", "cite", "The Times"),
        ("He said <q>never</q>.", "q", "never"),
        ("<EM>Shouted</EM> tags", "em", "Shouted"),
    ],
)
def test_the_tags_wordpress_allows_in_comments_are_markup(
    client: Client,
    article: Article,
    publish_everything: Configure,
    text: str,
    tag: str,
    inner: str,
) -> None:
    assert rendered(client, article, text).find(tag).text == inner


def test_a_quotation_holds_its_own_paragraphs(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    content = rendered(
        client, article, "<blockquote>The budget is fixed.\n\nSo they say.</blockquote>It is not."
    )
    quoted = content.find("blockquote")
    assert [p.text for p in quoted.find_all("p")] == ["The budget is fixed.", "So they say."]
    assert [p.text for p in content.find_all("p")][-1] == "It is not."


def test_unclosed_and_stray_tags_are_balanced(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    content = rendered(client, article, "</b>Start <b>bold <em>both</b> after")
    (paragraph,) = content.find_all("p")
    assert paragraph.text == "Start bold both after"
    assert paragraph.find("b").text == "bold both"
    assert paragraph.find("em").text == "both"


def test_allowed_tags_lose_every_attribute_not_on_the_list(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    text = '<i onclick="go()" style="color:red">this</i> <a href="#top" onmouseover=x>that</a>'
    content = rendered(client, article, text)
    assert content.find("i").attrs == {}
    assert set(content.find("a").attrs) == {"href", "rel"}


def test_every_link_in_a_comment_is_nofollow_ugc(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    comment = posted_comment(
        post_comment(
            client,
            article,
            url="https://ada.example.org/",
            comment='See https://example.org/a, <a href="http://example.org/b" rel="me">this</a>'
            " and www.example.com.",
        )
    )
    links = [
        link
        for link in as_strangers_see_it(article, comment).find_all("a")
        if not (link.attrs.get("href") or "").startswith(("#", "?"))
    ]
    assert len(links) == 4  # the author's website and three in the text
    for link in links:
        assert {"nofollow", "ugc"} <= set((link.attrs.get("rel") or "").split()), link.attrs
        assert "me" not in (link.attrs.get("rel") or "").split()


@pytest.mark.parametrize(
    "text",
    [
        '<a href="javascript:alert(1)">click me</a>',
        '<a href="JaVaScRiPt:alert(1)">click me</a>',
        '<a href="java\tscript:alert(1)">click me</a>',
        '<a href="&#106;avascript:alert(1)">click me</a>',
        '<a href=" javascript:alert(1)">click me</a>',
        "<a href=vbscript:msgbox(1)>click me</a>",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click me</a>',
        "<javascript:alert(1)>",
        "javascript:alert(1)",
    ],
)
def test_script_urls_are_never_linked(
    client: Client, article: Article, publish_everything: Configure, text: str
) -> None:
    content = rendered(client, article, text)
    assert [link for link in content.find_all("a") if link.attrs.get("href")] == []
    assert unsafe_parts(content) == []


def test_control_characters_are_removed_from_every_field_on_the_way_in(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    comment = posted_comment(
        post_comment(
            client,
            article,
            comment="Vertical\x0btab and form\x0cfeed",
            author="Ada\x01 Lovelace",
            url="https://ada.example.org/\x7f",
        )
    )
    assert (comment.body, comment.author_name) == ("Verticaltab and formfeed", "Ada Lovelace")
    assert comment.author_url == "https://ada.example.org/"


def test_author_name_is_shown_as_text(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    name = '<img src=x onerror="alert(1)"> Ada'
    comment = posted_comment(post_comment(client, article, author=name))
    author = as_strangers_see_it(article, comment).find(class_="fn")
    assert author.children == [name]


# The public XSS payload list, posted for real


def xss_payloads() -> list[str]:
    lines: list[str] = []
    for path in sorted(XSS_FOLDER.glob("*.txt")):
        lines += path.read_text(encoding="utf-8").split("\n")
    return list(dict.fromkeys(line for line in lines if line.strip()))  # unique, in order


needs_xss_fixtures = pytest.mark.skipif(
    not any(XSS_FOLDER.glob("*.txt")), reason=f"no XSS payload lists in {XSS_FOLDER}"
)


@needs_xss_fixtures
def test_rendering_a_payload_again_changes_nothing() -> None:
    """The stored HTML is a fixed point of the sanitizer: nothing is left for it to remove."""
    for payload in xss_payloads():
        html = render_comment(payload)
        assert sanitize_html(html, link_rel=LINK_REL, tags=COMMENT_TAGS) == html


@needs_xss_fixtures
def test_no_xss_payload_survives_onto_the_article_page(
    client: Client, article: Article, publish_everything: Configure
) -> None:
    payloads = xss_payloads()
    assert len(payloads) > 100
    publish_everything(threads_per_page=len(payloads), hourly_limit_per_ip=0)
    # One form load serves every post: the token stays valid, and reloading the growing page
    # each time would only slow the test down.
    form = comment_form(client.get(article.get_absolute_url()))
    posted = []
    for number, payload in enumerate(payloads):
        typed = {**VALID_COMMENT, "comment": payload, "author": payload[:245]}
        response = client.post("/comments/post/", form.data(**typed))
        assert response.status_code == 303, (number, payload)
        posted.append(posted_comment(response))
    assert {comment.status for comment in posted} == {Comment.Status.APPROVED}

    response = Client().get(article.get_absolute_url())
    document = parse_html(response.content)
    assert unsafe_parts(document, allow_site_scripts=True) == []
    for comment in posted:
        item = document.find("li", id=f"comment-{comment.pk}")
        assert unsafe_parts(item) == [], comment.body
        unexpected = {element.tag for element in item.iter()} - COMMENT_MARKUP
        assert not unexpected, (comment.body, unexpected)
        assert item.find(class_="fn").children == [comment.author_name]


def test_an_edited_or_closed_comment_is_shown_as_it_is_now_not_as_first_built(
    publish_everything: Configure, client: Client, article: Article
) -> None:
    """Cards are built once per version of a comment: every change shows on the next view."""
    comment = posted_comment(post_comment(client, article, comment="First words."))
    first = as_strangers_see_it(article, comment)
    assert "First words." in first.text and first.find("a", class_="comment-reply-link")

    comment.body, comment.author_name = "Second thoughts.", "Renamed Reader"
    comment.save()
    edited = as_strangers_see_it(article, comment)
    assert "Second thoughts." in edited.text and "First words." not in edited.text
    assert edited.find(class_="fn").text == "Renamed Reader"

    article.comments_open = False
    article.save()
    assert not as_strangers_see_it(article, comment).find_all("a", class_="comment-reply-link")
