"""Comment text → safe HTML, the way WordPress shows a comment.

A comment is plain text with a few tags allowed (WordPress's ``$allowedtags`` for comments:
``<a href title>``, ``<abbr>``, ``<b>``, ``<blockquote cite>``, ``<cite>``, ``<code>``,
``<del>``, ``<em>``, ``<i>``, ``<q cite>``, ``<s>``, ``<strong>``). Everything else is shown
exactly as typed — ``*stars*``, ``¯\\_(ツ)_/¯``, ``a < b``, ``&amp;``, ``<div>`` — blank lines
make paragraphs and single newlines line breaks (``wpautop``), web addresses become links, and
every link carries ``rel="nofollow ugc"``. The result goes through the shared sanitizer.
"""

from __future__ import annotations

import html
import re

from linkify_it import LinkifyIt

from broadsheet.core.autop import wpautop
from broadsheet.core.markup import sanitize_html
from broadsheet.core.text import strip_control_characters

# What a commenter may type as markup, and the one spelling each is stored as (WordPress also
# allows <acronym> and <strike>, which HTML has dropped for <abbr> and <s>).
TYPED_TAGS = {
    "a": "a", "abbr": "abbr", "acronym": "abbr", "b": "b", "blockquote": "blockquote",
    "cite": "cite", "code": "code", "del": "del", "em": "em", "i": "i", "q": "q", "s": "s",
    "strike": "s", "strong": "strong",
}  # fmt: skip
# The allow-list for the sanitizer: the typed tags plus the paragraphs wpautop writes.
COMMENT_TAGS = set(TYPED_TAGS.values()) | {"p", "br"}
LINK_REL = "nofollow ugc"
MAX_NESTING = 8  # typed elements open at once

# A tag as a commenter types one: a letter right after "<" (so "a < b" and "<3" are text).
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?/?>")
_LINKS = LinkifyIt()
_PARAGRAPH_BREAK = re.compile(r"(\n\s*\n)")  # wpautop's


def render_comment(text: str) -> str:
    """The comment's HTML: ``text`` as typed, its allowed tags kept, paragraphs, links."""
    text = strip_control_characters(text or "").strip()
    if not text:
        return ""
    parts: list[str] = []
    # Balanced as WordPress's balanceTags does: strays dropped, the unclosed closed.
    open_tags: list[tuple[str, str]] = []  # (tag, its opening markup)
    position = 0
    for match in _TAG.finditer(text):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        tag = TYPED_TAGS.get(name)
        if tag is None:
            continue  # shown as text, with what surrounds it
        parts.append(_paragraphs(text[position : match.start()], open_tags))
        position = match.end()
        names = [name for name, _ in open_tags]
        if not closing and len(open_tags) >= MAX_NESTING:
            continue  # no one nests so deep; left out, it bounds the work on hostile input
        if not closing:
            if tag == "blockquote":  # a quotation is never inside <b>
                parts.extend(_close_inline(open_tags))
            # The sanitizer drops the attributes the allow-list does not name.
            open_tags.append((tag, f"<{tag}{attributes or ''}>"))
            parts.append(open_tags[-1][1])
        elif tag in names:
            while open_tags:
                inner, _ = open_tags.pop()
                parts.append(f"</{inner}>")
                if inner == tag:
                    break
    parts.append(_paragraphs(text[position:], open_tags))
    parts.extend(f"</{tag}>" for tag, _ in reversed(open_tags))
    return sanitize_html(wpautop("".join(parts)), link_rel=LINK_REL, tags=COMMENT_TAGS)


def _close_inline(open_tags: list[tuple[str, str]]) -> list[str]:
    """Closing tags for the inline elements open inside the innermost quotation (popped)."""
    closed = []
    while open_tags and open_tags[-1][0] != "blockquote":
        closed.append(f"</{open_tags.pop()[0]}>")
    return closed


def _paragraphs(text: str, open_tags: list[tuple[str, str]]) -> str:
    """Typed text; an inline element still open ends with its paragraph (as emphasis does in
    Markdown), so each paragraph holds its own markup."""
    link = all(tag != "a" for tag, _ in open_tags)
    if not open_tags or open_tags[-1][0] == "blockquote":
        return _text(text, link=link)
    found = _PARAGRAPH_BREAK.search(text)
    if found is None:
        return _text(text, link=link)
    closing = "".join(_close_inline(open_tags))
    head, tail = text[: found.start()], text[found.start() :]
    return f"{_text(head, link=link)}{closing}{_paragraphs(tail, open_tags)}"


def _text(text: str, *, link: bool) -> str:
    """Typed text as HTML that shows it unchanged; web addresses linked when ``link``."""
    matches = _LINKS.match(text) if link and _LINKS.pretest(text) else None
    if not matches:
        return _escape(text)
    out: list[str] = []
    position = 0
    for found in matches:
        out.append(_escape(text[position : found.index]))
        out.append(f'<a href="{html.escape(found.url)}">{_escape(found.text)}</a>')
        position = found.last_index
    out.append(_escape(text[position:]))
    return "".join(out)


def _escape(text: str) -> str:
    """``text`` as HTML text; "[" too, so that wpautop takes no typed "[gallery]" for a
    shortcode (the sanitizer writes it back as "[")."""
    return html.escape(text, quote=False).replace("[", "&#91;")
