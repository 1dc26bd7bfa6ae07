"""Comment text → safe HTML: paragraphs, line breaks, autolinks and a small Markdown subset.

Readers type plain text; what they get back is what they meant (a blank line is a paragraph,
a URL is a link, *stars* are emphasis). Raw HTML is shown as text, not interpreted, and every
link carries ``rel="nofollow ugc"``. The result still goes through the shared sanitizer.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from broadsheet.core.markup import sanitize_html

# markdown-it writes ~~strike~~ as <s>: without "s" here the sanitizer dropped the markup.
COMMENT_TAGS = {"p", "br", "em", "strong", "code", "blockquote", "a", "del", "s"}


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True, "typographer": False})
    md.enable(["paragraph", "newline", "emphasis", "backticks", "blockquote", "link", "linkify"])
    md.enable(["escape", "strikethrough", "text_join"], ignoreInvalid=True)
    return md


_PARSER = _build_parser()


def render_comment(text: str) -> str:
    """The comment's HTML, sanitized with the comment allow-list and nofollow'd links."""
    html = _PARSER.render((text or "").strip())
    return sanitize_html(html, link_rel="nofollow ugc noopener", tags=COMMENT_TAGS)
