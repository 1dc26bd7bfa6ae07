from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from broadsheet.core.markup import plain_text, render_markdown, sanitize_html, summarize

XSS_DIR = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "xss"


class TagCollector(HTMLParser):
    """Every start tag with its attributes, to check structure rather than substrings."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def test_headings_get_anchor_ids_that_keep_non_latin_letters() -> None:
    tags = parse(render_markdown("## Talks in Калининград\n\n### Next steps"))
    assert ("h2", {"id": "talks-in-калининград"}) in tags
    assert ("h3", {"id": "next-steps"}) in tags


def test_images_are_lazy_loaded() -> None:
    tags = parse(render_markdown("![A frigate at sea](/media/frigate.jpg)"))
    assert (
        "img",
        {"src": "/media/frigate.jpg", "alt": "A frigate at sea", "loading": "lazy"},
    ) in tags


def test_tables_render_with_alignment_as_classes_not_inline_styles() -> None:
    tags = parse(render_markdown("| Year | £bn |\n|:--|--:|\n| 2026 | 64.6 |"))
    cells = [attrs for tag, attrs in tags if tag in {"th", "td"}]
    assert {"class": "align-right"} in cells
    assert all("style" not in attrs for _, attrs in tags)


def test_footnotes_link_both_ways() -> None:
    tags = parse(render_markdown("A claim.[^1]\n\n[^1]: The source."))
    hrefs = [attrs.get("href") for tag, attrs in tags if tag == "a"]
    assert "#fn1" in hrefs and "#fnref1" in hrefs


def test_typography_is_kept_exactly_as_written() -> None:
    source = "“Quoted” — it’s © 2026, and ‘single’ too: Выборы, 選挙, انتخابات"
    assert plain_text(render_markdown(source)) == source


def test_scripts_event_handlers_and_javascript_urls_are_removed() -> None:
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(1)">x</a><iframe src="https://evil.test"></iframe>'
    )
    tags = parse(html)
    names = {tag for tag, _ in tags}
    assert not names & {"script", "iframe"}
    for _, attrs in tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not (attrs.get("href") or "").startswith("javascript:")


def test_summary_cuts_at_word_count_with_an_ellipsis() -> None:
    words = " ".join(f"word{n}" for n in range(80))
    summary = summarize(f"<p>{words}</p>", words=10)
    assert summary == " ".join(f"word{n}" for n in range(10)) + "…"


def test_summary_unescapes_entities_once() -> None:
    assert summarize("<p>Tom &amp; Jerry &lt;3</p>") == "Tom & Jerry <3"


@pytest.mark.skipif(not XSS_DIR.is_dir(), reason=f"needs the XSS payload list in {XSS_DIR}")
def test_public_xss_payloads_leave_no_executable_markup() -> None:
    payloads = [
        line
        for path in XSS_DIR.glob("*.txt")
        for line in path.read_text(errors="replace").splitlines()
        if line.strip()
    ]
    assert len(payloads) > 50
    dangerous_tags = {
        "script",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "style",
        "link",
        "meta",
        "base",
        "form",
    }
    for payload in payloads:
        for html in (render_markdown(payload), sanitize_html(payload)):
            for tag, attrs in parse(html):
                assert tag not in dangerous_tags, (payload, html)
                for name, value in attrs.items():
                    assert not name.startswith("on"), (payload, html)
                    if name in {"href", "src"} and value:
                        scheme = value.strip().lower().split(":", 1)[0]
                        assert scheme not in {"javascript", "vbscript", "data"}, (payload, html)


def test_summary_leaves_out_headings_and_footnote_marks() -> None:
    html = render_markdown(
        "Deal expected soon.[^1]\n\n## The decision\n\nOfficials said more.\n\n[^1]: Src"
    )
    assert summarize(html) == "Deal expected soon. Officials said more."


OBFUSCATING_CONTROLS = ["&#11;", "&#x0C;", "&#1;", "&#x7f;", "&#x9b;", "\x0b", "\x01"]


@pytest.mark.parametrize("control", OBFUSCATING_CONTROLS)
def test_a_control_character_inside_a_scheme_never_leaves_a_script_url(control: str) -> None:
    html = sanitize_html(
        f'<a href="java{control}script:alert(1)">x</a><img src="java{control}script:1">'
    )
    assert "javascript" not in html.lower().replace("\x00", "")
    assert "\x0b" not in html and "\x01" not in html
