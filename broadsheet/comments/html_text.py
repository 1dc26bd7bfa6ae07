"""Comment HTML (a WordPress export, or HTML this site once rendered) → comment text.

Comment text is what a commenter types: plain text with the tags ``rendering.TYPED_TAGS``
names. HTML writes "&" as ``&amp;`` and paragraphs as ``<p>``; comment text writes them as
they are typed, so the text's characters are unescaped, paragraphs and line breaks become
newlines, the allowed tags stay (with their allowed attributes only), and any other tag is
left out with its text kept.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from broadsheet.comments.rendering import TYPED_TAGS

KEPT_ATTRIBUTES = {"a": ("href", "title"), "abbr": ("title",), "blockquote": ("cite",)}
KEPT_ATTRIBUTES["q"] = ("cite",)
# Tags that carry no meaning of their own in a comment: left out without a note.
_QUIET = {"p", "br", "span", "div", "font", "u", "small", "big", "sub", "sup", "pre", "tt"}
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


class _CommentText(HTMLParser):
    def __init__(self, notes: list[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.notes = notes
        self.after_break = False  # "<br>\n" is one line break, not two

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.after_break = name == "br"
        if name in {"p", "div"}:
            self.out.append("\n\n")
        elif name == "br":
            self.out.append("\n")
        elif name in TYPED_TAGS:
            tag = TYPED_TAGS[name]
            wanted = KEPT_ATTRIBUTES.get(tag, ())
            kept = "".join(
                f' {key}="{html.escape(value)}"'
                for key, value in attrs
                if key in wanted and value is not None
            )
            self.out.append(f"<{tag}{kept}>")
        elif self.notes is not None and name not in _QUIET:
            self.notes.append(f"comment HTML <{name}> reduced to its text")

    def handle_startendtag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(name, attrs)

    def handle_endtag(self, name: str) -> None:
        self.after_break = False
        if name in {"p", "div"}:
            self.out.append("\n\n")
        elif name in TYPED_TAGS:
            self.out.append(f"</{TYPED_TAGS[name]}>")

    def handle_data(self, data: str) -> None:
        if self.after_break:
            data = data.removeprefix("\r\n").removeprefix("\n")
            self.after_break = False
        self.out.append(data)


def text_from_html(content: str, notes: list[str] | None = None) -> str:
    """The comment text that ``render_comment`` shows as ``content`` shows; ``notes`` gets a
    line for each kind of tag that had to go."""
    if "<" not in content and "&" not in content:
        return content.strip()
    parser = _CommentText(notes)
    parser.feed(content)
    parser.close()
    return _BLANK_LINES.sub("\n\n", "".join(parser.out)).strip()
