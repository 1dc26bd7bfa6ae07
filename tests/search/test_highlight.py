from __future__ import annotations

from broadsheet.search.highlight import END, START, highlighted_html, strip_markers


def test_marked_words_become_mark_elements() -> None:
    assert highlighted_html(f"The {START}frigate{END} sailed") == "The <mark>frigate</mark> sailed"


def test_everything_else_is_escaped() -> None:
    text = f"<script>alert('x')</script> & {START}<b>frigate</b>{END}"
    assert highlighted_html(text) == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; "
        "<mark>&lt;b&gt;frigate&lt;/b&gt;</mark>"
    )


def test_stray_or_empty_markers_are_dropped() -> None:
    assert highlighted_html(f"{END}a {START}{END} b {START}c") == "a  b c"


def test_indexed_text_is_stripped_of_markers_and_nul() -> None:
    assert strip_markers(f"a{START}b{END}c\x00d") == "abcd"
