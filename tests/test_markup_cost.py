"""No single input costs much to render: the pathological shapes of HTML, Markdown, comments
and WordPress content each render within a CPU bound (ten times the ~50 ms aimed at, so a
slow machine does not make the test flaky) and still come out sanitized and readable."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils.html import escape

from broadsheet.comments.rendering import render_comment
from broadsheet.content.models import Article, Page
from broadsheet.core.markup import (
    MAX_NESTING,
    markup_problem,
    plain_text,
    render_markdown,
    sanitize_html,
)
from broadsheet.importers.wordpress.convert import convert_content
from broadsheet.importers.wordpress.importing import import_wxr
from broadsheet.importers.wordpress.load import ImportOptions
from tests.factories import ArticleFactory, AuthorFactory
from tests.html import parse_html, read_form
from tests.importers.wxr import P, document, write
from tests.markup_checks import assert_harmless_html

CPU_BOUND = 0.5  # seconds: 10x the target
SIZE = 65_000  # a comment's limit, and a long article


def repeated(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


def nested(open_tag: str, close_tag: str, depth: int, inner: str = "deep text") -> str:
    return open_tag * depth + inner + close_tag * depth


def cpu_seconds(render: Callable[[str], object], source: str) -> float:
    started = time.process_time()
    render(source)
    return time.process_time() - started


def _printed_plain_text(source: str) -> str:
    # Plain text is printed escaped (summaries, feeds); checking it as HTML unescaped would
    # time the test's own parser, which is quadratic on runs of unclosed "<a ".
    return escape(plain_text(source))


def _convert(source: str) -> str:
    return convert_content(source, strict=False).html


HTML_CASES = {
    "nested divs": nested("<div>", "</div>", 20_000),
    "unclosed divs": repeated("<div>") + "x",
    "nested spans in a list": "<ul><li>" + nested("<span>", "</span>", 15_000) + "</li></ul>",
    "nested blockquotes": nested("<blockquote>", "</blockquote>", 10_000),
    "nested tables": nested("<table><tr><td>", "</td></tr></table>", 4_000),
    "open angles": repeated("<"),
    "open tags": repeated("<a "),
    "long line": repeated("word "),
}
MARKDOWN_CASES = {
    "emphasis": repeated("*a"),
    "strong": repeated("**a"),
    "underscores": repeated("_a"),
    "strike": repeated("~~a"),
    "brackets": repeated("["),
    "double brackets": repeated("[["),
    "images": repeated("!["),
    "footnote refs": repeated("[^"),
    "link starts": repeated("[a]("),
    "angles": repeated("<"),
    "entities": repeated("&"),
    "nested lists": "\n".join("  " * level + "- item" for level in range(250)),
    "nested quotes": repeated("> ") + "quoted",
    "html divs": nested("<div>", "</div>", 6_000),
    "long line": repeated("word "),
}
COMMENT_CASES = {
    "nested bold": nested("<b>", "</b>", 15_000),
    "nested quotes": nested("<blockquote>", "</blockquote>", 8_000),
    "open angles": repeated("<"),
    "processing instructions": repeated("<?"),
    "comment starts": repeated("<!--"),
    "stars": repeated("*a"),
    "brackets": repeated("[[[["),
    "paragraphs": repeated("word\n\n"),
    "line breaks": repeated("word\n"),
    "links": repeated("http://a.example/ "),
    "allowed tags": repeated("<b>x</b> "),
    "tags across paragraphs": repeated("<em>a\n\n</em>"),
}
WORDPRESS_CASES = {
    "nested divs": nested("<div>", "</div>", 15_000),
    "open angles": repeated("<"),
    "processing instructions": repeated("<?"),
    "comment starts": repeated("<!--"),
    "more tags": repeated("<!--more"),
    "bracket words": repeated("[a]"),
    "link definitions": repeated("[x]: "),
    "gallery starts": repeated("[gallery"),
    "caption starts": repeated("[caption]"),
    "caption paragraphs": repeated("[caption]\n\n"),
    "unclosed pre": repeated("<pre>"),
    "block starts": repeated("<div "),
    "newlines in tags": repeated("<a\n"),
    "double brackets": repeated("[["),
}


def _cases(
    render: Callable[[str], str], cases: dict[str, str]
) -> list[tuple[Callable[[str], str], str]]:
    return [pytest.param(render, source, id=name) for name, source in cases.items()]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("render", "source"),
    _cases(sanitize_html, HTML_CASES)
    + _cases(render_markdown, MARKDOWN_CASES)
    + _cases(render_comment, COMMENT_CASES)
    + _cases(_convert, WORDPRESS_CASES)
    + _cases(_printed_plain_text, HTML_CASES),
)
def test_a_pathological_input_renders_within_the_bound_and_stays_safe(
    render: Callable[[str], str], source: str
) -> None:
    spent = cpu_seconds(render, source)
    assert spent < CPU_BOUND, f"{spent:.2f} s of CPU"
    assert_harmless_html(render(source))


def test_html_nested_too_deep_comes_back_as_its_text() -> None:
    html = nested("<div>", "</div>", MAX_NESTING + 1, "the <b>words</b> &amp; more")
    shown = parse_html(sanitize_html(html))
    assert [element.tag for element in shown.iter()] == ["#document", "p"]
    assert " ".join(shown.text.split()) == "the words & more"


def test_html_nested_within_the_limit_keeps_its_structure() -> None:
    html = nested("<div>", "</div>", MAX_NESTING - 1, "<em>kept</em>")
    shown = parse_html(sanitize_html(html))
    assert len(shown.find_all("div")) == MAX_NESTING - 1
    assert shown.find("em").text == "kept"


def test_markdown_with_too_many_marks_is_shown_as_written() -> None:
    source = repeated("*a", 20_000) + "\n\n<script>alert(1)</script>"
    shown = parse_html(render_markdown(source))
    assert [element.tag for element in shown.iter()] == ["#document", "p", "p"]
    assert shown.find_all("p")[0].text == repeated("*a", 20_000)
    assert shown.find_all("p")[1].text == "<script>alert(1)</script>"


def test_ordinary_long_markdown_still_renders_as_markdown() -> None:
    sentence = "Reporters said the talks would go on for another week at least. "
    paragraph = sentence * 4 + "Some *emphasis*, a [link](https://example.org/a_b) and `code`. "
    source = "\n\n".join([paragraph] * 210)
    assert len(source) > SIZE
    shown = parse_html(render_markdown(source))
    assert len(shown.find_all("em")) == 210
    assert len(shown.find_all("a")) == 210


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "body_format", "body"),
    [
        (Article, "html", nested("<div>", "</div>", 1_000)),
        (Article, "markdown", repeated("*a")),
        (Page, "html", nested("<span>", "</span>", 1_000)),
        (Page, "markdown", repeated("[")),
    ],
)
def test_the_writer_is_told_why_a_body_is_refused(
    model: type[Article] | type[Page], body_format: str, body: str
) -> None:
    from django.core.exceptions import ValidationError

    fields = {"author": AuthorFactory()} if model is Article else {}
    item = model(title="Too much", body_format=body_format, body=body, **fields)
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert refused.value.message_dict["body"] == [markup_problem(body, body_format)]


@pytest.mark.django_db
def test_an_import_flattens_a_body_too_deep_to_render_and_goes_on(tmp_path: Path) -> None:
    deep = nested("<div>", "</div>", 50_000, "still here")
    path = write(tmp_path, document(P(1, content=deep), P(2, content="Next one.")))
    started = time.process_time()
    report = import_wxr(path, ImportOptions(workers=1))
    assert time.process_time() - started < 10 * CPU_BOUND
    assert not report.failed
    flattened, following = Article.objects.get(pk=1), Article.objects.get(pk=2)
    assert parse_html(flattened.body_html).text.strip() == "still here"
    assert parse_html(following.body_html).find("p").text == "Next one."
    assert list(report.notes[f"body kept as plain text: {markup_problem(deep, 'html')}"]) == [1]


@pytest.mark.django_db
def test_the_article_admin_shows_the_reason_and_keeps_the_text(staff_client) -> None:  # type: ignore[no-untyped-def]
    from tests.content.admin_forms import article_change_url, article_form

    article = ArticleFactory(body_format="markdown", body="Fine.")
    body = repeated("*a", 30_000)
    form = article_form(staff_client, article)
    response = staff_client.post(article_change_url(article), form.data(body=body))
    assert response.status_code == 200  # the form again, not a redirect
    page = parse_html(response.content)
    errors = page.find("div", class_="field-body").find("ul", class_="errorlist")
    assert errors.text.strip() == markup_problem(body, "markdown")
    assert read_form(response.content, "article_form").values["body"] == [body]
    article.refresh_from_db()
    assert article.body == "Fine."
