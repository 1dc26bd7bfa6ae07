"""WordPress markup → stored HTML: pure functions, no database."""

from __future__ import annotations

import random
import re

import pytest

from broadsheet.comments.rendering import render_comment
from broadsheet.core.autop import line_breaks, wpautop
from broadsheet.core.markup import sanitize_html
from broadsheet.importers.wordpress.convert import (
    Attachment,
    LinkRewriter,
    MissingAttachments,
    comment_html,
    convert_content,
)
from tests.html import parse_html

LINKS = LinkRewriter("https://old.example.org")


def tree(html: str):  # type: ignore[no-untyped-def]
    return parse_html(html)


def test_blank_lines_become_paragraphs_and_single_newlines_line_breaks() -> None:
    html = wpautop("First line\nsecond line\n\nNew paragraph")
    paragraphs = tree(html).find_all("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].find_all("br") and "second line" in paragraphs[0].text
    assert paragraphs[1].text == "New paragraph"


def test_block_elements_are_not_wrapped_in_paragraphs() -> None:
    html = wpautop("Intro\n\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n\n<pre>code\n\nmore</pre>")
    document = tree(html)
    assert [p.text for p in document.find_all("p")] == ["Intro"]
    assert document.find("pre").text == "code\n\nmore"  # untouched inside <pre>
    assert len(document.find_all("li")) == 2


def test_wpautop_on_its_own_output_changes_nothing() -> None:
    once = wpautop("a\nb\n\n<blockquote>q</blockquote>\n\nc")
    assert wpautop(once) == once


def test_caption_becomes_a_figure_with_its_caption() -> None:
    raw = (
        '[caption id="attachment_1" align="alignright" width="300"]'
        '<img src="https://old.example.org/wp-content/uploads/a.jpg" alt="A boat" /> A boat'
        "[/caption]"
    )
    figure = tree(convert_content(raw).html).find("figure")
    assert figure.find("img").attrs["alt"] == "A boat"
    assert figure.find("figcaption").text == "A boat"


def test_gallery_lists_its_images_in_order() -> None:
    attachments = {
        5: Attachment("https://cdn.example.org/5.jpg", alt="five", caption="Five"),
        6: Attachment("https://cdn.example.org/6.jpg", alt="six"),
    }
    html = convert_content('[gallery ids="6,5"]', attachments=attachments).html
    assert [img.attrs["src"] for img in tree(html).find_all("img")] == [
        "https://cdn.example.org/6.jpg",
        "https://cdn.example.org/5.jpg",
    ]
    assert tree(html).find("figcaption").text == "Five"


def test_gallery_naming_attachments_not_read_yet_asks_to_wait() -> None:
    with pytest.raises(MissingAttachments):
        convert_content('[gallery ids="9"]')
    assert (
        "gallery image(s) not in the file: 9"
        in convert_content('[gallery ids="9"]', strict=False).notes
    )


def test_embed_audio_and_video_shortcodes_become_links_and_players() -> None:
    html = convert_content(
        "[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n"
        '[audio mp3="https://cdn.example.org/a.mp3"]\n\n'
        '[video mp4="https://cdn.example.org/v.mp4" poster="https://cdn.example.org/p.jpg"]'
    ).html
    document = tree(html)
    assert document.find("a", href="https://www.youtube.com/watch?v=abc")
    assert document.find("audio").attrs["src"] == "https://cdn.example.org/a.mp3"
    assert document.find("video").attrs["poster"] == "https://cdn.example.org/p.jpg"


def test_unknown_shortcodes_stay_as_text_and_are_reported() -> None:
    converted = convert_content('[contact-form id="3"]')
    assert '[contact-form id="3"]' in tree(converted.html).text
    assert "shortcode [contact-form] left as text" in converted.notes


def test_block_comments_go_and_dynamic_blocks_are_reported() -> None:
    raw = (
        "<!-- wp:paragraph -->\n<p>Kept</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->'
    )
    converted = convert_content(raw)
    assert [p.text for p in tree(converted.html).find_all("p")] == ["Kept"]
    assert "<!--" not in converted.html
    assert any("wp:latest-posts" in note for note in converted.notes)


def test_scripts_and_iframes_are_removed_and_reported() -> None:
    converted = convert_content('<p>Hi</p><script>alert(1)</script><iframe src="x"></iframe>')
    assert not tree(converted.html).find_all("script")
    assert "HTML element <iframe> not kept" in converted.notes
    assert "HTML element <script> not kept" in converted.notes


def test_the_old_sites_own_links_become_site_relative_and_others_stay() -> None:
    html = convert_content(
        '<a href="https://old.example.org/2013/01/11/hello/">mine</a> '
        '<a href="http://www.old.example.org/?p=12">by id</a> '
        '<a href="https://elsewhere.example.com/x/">theirs</a>',
        links=LINKS,
    ).html
    hrefs = [a.attrs["href"] for a in tree(html).find_all("a")]
    assert hrefs == ["/2013/01/11/hello/", "/?p=12", "https://elsewhere.example.com/x/"]


def test_uploads_point_at_the_copied_file_when_there_is_one() -> None:
    links = LinkRewriter(
        "https://old.example.org", lambda rel: f"/media/uploads/{rel}" if rel == "a.jpg" else None
    )
    html = convert_content(
        '<img src="https://old.example.org/wp-content/uploads/a.jpg" alt="">'
        '<img src="https://old.example.org/wp-content/uploads/b.jpg" alt="">',
        links=links,
    ).html
    assert [i.attrs["src"] for i in tree(html).find_all("img")] == [
        "/media/uploads/a.jpg",
        "https://old.example.org/wp-content/uploads/b.jpg",
    ]


def test_html_entities_survive_as_characters() -> None:
    html = convert_content("Fish &amp; chips &copy; 2020 &#8212; caf&eacute;").html
    assert tree(html).find("p").text == "Fish & chips © 2020 — café"


def test_the_fast_comment_renderer_matches_the_comments_app_exactly() -> None:
    alphabet = list("abcXYZ09 ,;:?!'\"()%$£€+=…–—.-\n") + ["Привет", " - ", "  \n", "\n\n\n", "é"]
    rng = random.Random(7)
    samples = [
        "",
        "Plain words.",
        "Line one\nline two\n\nPara two",
        "See http://x.org now",
        "*em* and _u_",
        "a.b",
        "x@y.org",
        "mailto:x",
        "ftp:x",
        "http: x",
        "Note: ok",
        "<b>tag</b>",
        "&amp;",
        "> quote",
    ]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)
    ]
    for sample in samples:
        assert comment_html(sample) == render_comment(sample), repr(sample)


def test_converted_html_is_already_sanitized() -> None:
    html = convert_content('<p onclick="x()">Hi <a href="javascript:x()">link</a></p>').html
    assert sanitize_html(html) == html


def test_the_fast_renderer_links_bare_addresses_exactly_as_the_comments_app_does() -> None:
    rng = random.Random(11)
    urls = [
        "https://example.org",
        "http://example.org/analysis",
        "https://a-b.example.co.uk/x/y",
        "https://example.org/x_y/",
        "http://192.0.2.1/path",
        "https://example.org/end-",
        "https://Example.org/x",
        "https://example.org/a.html",
        "https://x.y/z?q=1",
        "https://example.org/)",
    ]
    words = ["see", "Link:", "(here)", "and", "\n", "\n\n", "ok.", "done!"]
    for _ in range(2000):
        parts = [rng.choice(urls + words) for _ in range(rng.randint(1, 8))]
        sample = " ".join(parts)
        assert comment_html(sample) == render_comment(sample), repr(sample)


def test_the_quick_summary_equals_the_full_one() -> None:
    from broadsheet.core.markup import summarize
    from broadsheet.importers.wordpress.plan import quick_summary

    rng = random.Random(3)
    words = ["alpha", "beta,", "gamma.", "<strong>delta</strong>", "<h2>Head</h2>", "<sup>1</sup>"]
    for _ in range(300):
        paragraphs = [
            "<p>" + " ".join(rng.choice(words) for _ in range(rng.randint(0, 40))) + "</p>"
            for _ in range(rng.randint(1, 30))
        ]
        html = rng.choice(["\n", ""]).join(paragraphs)
        assert quick_summary(html) == summarize(html)


def test_the_fast_avatar_key_equals_the_comments_apps(settings) -> None:  # type: ignore[no-untyped-def]
    from broadsheet.comments.avatars import avatar_key
    from broadsheet.importers.wordpress.plan import fast_avatar_key

    key = fast_avatar_key(settings.SECRET_KEY.encode())
    for email, name in [("A@Example.org ", "Ann"), ("", "Bob"), ("", ""), ("x@y.z", "")]:
        assert key(email, name) == avatar_key(email, name)


def test_line_breaks_match_the_regex_they_replace_on_awkward_text() -> None:
    """Spaces, tabs, ``<br />`` and newlines in every order, at the start and at the end."""
    regex = re.compile(r"(?<!<br />)[ \t]*\n(?!$)")
    pieces = ["\n", "\n\n", " ", "\t", "<br />", "<br /> ", "r />", "a", "<p>"]
    rng = random.Random(2026)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert line_breaks(text) == regex.sub("<br />\n", text), repr(text)


def test_one_plain_line_is_one_paragraph_and_anything_more_takes_the_full_path() -> None:
    assert wpautop("  Well said, minister.  ") == "<p>Well said, minister.</p>\n"
    assert wpautop("Well said,\nminister.") == "<p>Well said,<br />\nminister.</p>\n"
    assert wpautop("Well <em>said</em>.") == "<p>Well <em>said</em>.</p>\n"
    assert wpautop("<div>said</div>") == "<div>said</div>\n"
