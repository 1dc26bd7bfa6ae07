"""WordPress markup → Broadsheet's stored HTML, as pure functions.

The order follows WordPress's own display filters: block delimiters are dropped (and a post
with blocks gets no automatic paragraphs, as in WordPress), classic posts get ``wpautop``,
then shortcodes are expanded, the result goes through the one sanitizer, and links to the
old site are made site-relative. Whatever could not be carried over is returned as notes
for the report: nothing is dropped silently.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from broadsheet.comments.rendering import LINK_REL, render_comment
from broadsheet.core.autop import wpautop
from broadsheet.core.bounded_sub import sub_up_to_last
from broadsheet.core.markup import ALLOWED_TAGS, MAX_NESTING, nesting_depth, sanitize_html
from broadsheet.importers.wordpress import shortcodes
from broadsheet.importers.wordpress.shortcodes import Attachment, MissingAttachments

__all__ = ["Attachment", "Converted", "LinkRewriter", "MissingAttachments", "convert_content"]

_BLOCK_COMMENT = re.compile(
    r"<!--\s*(/?)wp:([a-z0-9-]+/)?([a-z0-9-]+)(\s+\{.*?\})?\s*(/?)-->", re.S
)
_EMBED_WRAPPER = re.compile(
    r'<div class="wp-block-embed__wrapper">\s*(https?://[^\s<]+)\s*</div>', re.I
)
_BARE_URL_PARAGRAPH = re.compile(r"<p>\s*(https?://[^\s<\"']+)\s*</p>")
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_URL_ATTRIBUTE = re.compile(r'\b(href|src|poster)="([^"]*)"')
_FIGURE_IN_P = re.compile(r"<p>\s*(<figure\b.*?</figure>)\s*</p>", re.S)
_SPECIAL_COMMENTS = {
    "more": "<!--more--> (teaser break)",
    "nextpage": "<!--nextpage--> (page break)",
}
# Blocks that render from the database at display time: their output cannot be carried over.
_HARMLESS_EMPTY_BLOCKS = {"more", "nextpage", "spacer", "separator"}
_NOT_CONTENT_TAGS = {"html", "head", "body"}


@dataclass
class Converted:
    html: str
    notes: list[str] = field(default_factory=list)


class LinkRewriter:
    """Links to the old site become site-relative (``/2013/01/11/slug/``), so they resolve here
    (directly, or through the old-link redirects); uploads go to their imported copy."""

    def __init__(self, base_url: str, media_url: Callable[[str], str | None] | None = None):
        parts = urlsplit(base_url if "//" in base_url else f"//{base_url}")
        self.host = (parts.hostname or "").removeprefix("www.")
        self.prefix = parts.path.rstrip("/")
        self.media_url = media_url or (lambda relative: None)

    def is_internal(self, url: str) -> bool:
        if not self.host or not url.startswith(("http://", "https://", "//")):
            return False
        try:
            host = (urlsplit(url).hostname or "").removeprefix("www.")
        except ValueError:
            return False
        return host == self.host

    def rewrite(self, url: str) -> str:
        if not self.is_internal(url):
            return url
        parts = urlsplit(html.unescape(url))
        path = parts.path or "/"
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix) :]
        if "/wp-content/uploads/" in path:
            local = self.media_url(path.split("/wp-content/uploads/", 1)[1])
            return html.escape(local, quote=True) if local else url
        relative = path + (f"?{parts.query}" if parts.query else "")
        return html.escape(relative + (f"#{parts.fragment}" if parts.fragment else ""), quote=True)

    def rewrite_html(self, text: str) -> str:
        if not self.host or self.host not in text:
            return text
        return _URL_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{self.rewrite(m.group(2))}"', text)


def strip_blocks(text: str, notes: list[str]) -> str:
    """Remove block-editor delimiters, keeping the HTML they wrap."""

    def replace(match: re.Match[str]) -> str:
        closing, _, name, _, self_closing = match.groups()
        if self_closing and name not in _HARMLESS_EMPTY_BLOCKS:
            notes.append(f"dynamic block wp:{name} (rendered by WordPress at display time)")
        return ""

    text = sub_up_to_last("-->", _BLOCK_COMMENT, replace, text)
    return _EMBED_WRAPPER.sub(lambda m: f'<div><a href="{m.group(1)}">{m.group(1)}</a></div>', text)


def _note_dropped_elements(text: str, notes: list[str]) -> None:
    for name in sorted({tag.lower() for tag in _TAG_NAME.findall(text)}):
        if name not in ALLOWED_TAGS and name not in _NOT_CONTENT_TAGS:
            notes.append(f"HTML element <{name}> not kept")


def convert_content(
    raw: str,
    *,
    post_id: int = 0,
    links: LinkRewriter | None = None,
    attachments: Mapping[int, Attachment] | None = None,
    children: Callable[[int], list[int]] | None = None,
    strict: bool = True,
) -> Converted:
    """WordPress post content → sanitized HTML and notes on what did not come across.

    Raises :class:`MissingAttachments` when a gallery names attachments not seen yet, unless
    ``strict`` is off (then they are noted and left out)."""
    notes: list[str] = []
    text = raw or ""
    if nesting_depth(text) > MAX_NESTING:
        # Too deep to convert or sanitize at a bounded cost: kept as its text (plan.py notes it).
        return Converted(sanitize_html(text).strip(), notes)
    for name, label in _SPECIAL_COMMENTS.items():
        if f"<!--{name}" in text:
            notes.append(f"{label} removed")
            text = sub_up_to_last("-->", re.compile(rf"<!--{name}(.*?)-->"), "", text)
    if "<!-- wp:" in text:
        text = strip_blocks(text, notes)
        if "<pre" not in text:
            text = re.sub(r"\n\s*\n", "\n", text)
    else:
        text = wpautop(text)
    if "[" in text:
        text = shortcodes.expand(
            text, post_id, attachments or {}, children or (lambda parent: []), notes, strict
        )
        text = sub_up_to_last("</figure>", _FIGURE_IN_P, r"\1", text, then=r"\s*</p>")
    text = _BARE_URL_PARAGRAPH.sub(
        lambda m: f'<p><a href="{m.group(1)}">{m.group(1)}</a></p>', text
    )
    _note_dropped_elements(text, notes)
    text = sanitize_html(text)
    text = re.sub(r"<img(?![^>]*\bloading=)", '<img loading="lazy"', text)
    if links is not None:
        text = links.rewrite_html(text)
    return Converted(text.strip(), sorted(set(notes)))


# -- comments ---------------------------------------------------------------------------------

# Text made only of these renders as escaped paragraphs: no Markdown, no autolinks.
_PLAIN = re.compile(r"[A-Za-z0-9 \n,;:?!'\"()%$£€+=…–—\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff.-]*")
_DOT_WORD = re.compile(r"\.\w")
# A bare web address between spaces, of the shape the comment renderer links unchanged.
_SIMPLE_URL = re.compile(
    r"(?<!\S)(https?://[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[A-Za-z0-9_/-]*[A-Za-z0-9/])?)(?!\S)"
)


def _plain_prose(text: str) -> bool:
    return bool(_PLAIN.fullmatch(text)) and not _DOT_WORD.search(text) and "--" not in text


def comment_html(text: str) -> str:
    """Exactly ``render_comment(text)`` (a test holds the two together), with a fast path
    for plain prose and bare links, which is what nearly every comment is."""
    stripped = text.strip()
    links: list[str] = []
    if "://" in stripped:

        def hold(match: re.Match[str]) -> str:
            links.append(match.group(1))
            return f"LINK{len(links) - 1}X"

        stripped = _SIMPLE_URL.sub(hold, stripped)
    if not _plain_prose(stripped):
        return render_comment(text)
    out = []
    for paragraph in re.split(r"\n[ \n]*\n", stripped):
        if paragraph.strip():
            lines = [line.rstrip(" ") for line in paragraph.strip(" \n").split("\n")]
            out.append("<p>" + "<br>\n".join(lines) + "</p>\n")
    html = "".join(out)
    for number, url in enumerate(links):
        html = html.replace(f"LINK{number}X", f'<a href="{url}" rel="{LINK_REL}">{url}</a>', 1)
    return html
