"""WXR files that carry a payload in every field an import reads: post title, body (as
WordPress HTML, as Broadsheet's ``html`` and ``markdown`` formats), excerpt, featured image,
comment author, website and text, category and tag names and descriptions, author display name,
standing pages. Built with the importer tests' own WXR writer."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from tests.importers.wxr import C, P, cdata, document
from tests.security.payloads import Payload

# XML 1.0 cannot carry these at all, escaped or not: a file with them is not WXR.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
FORMATS = ("wordpress", "html", "markdown")
MENU_SAMPLE = 25


def carried_by_xml(payloads: tuple[Payload, ...]) -> list[Payload]:
    return [payload for payload in payloads if not NOT_IN_XML.search(payload.text)]


def hour(n: int) -> str:
    """Import dates that grow with ``n``, so each batch is the newest in every feed."""
    return f"2020-{1 + n // 672:02d}-{1 + (n // 24) % 28:02d} {n % 24:02d}:00:00"


def batch_document(batch: list[Payload], kind: str) -> str:
    """One WXR file: a post per payload in ``kind``'s format (WordPress's own also carries
    the payload in every other field, and a standing page)."""
    items, authors, categories, tags = [], [], [], []
    for payload in batch:
        n, text = payload.number, payload.text
        when = hour(n + 1000 * FORMATS.index(kind))
        if kind == "wordpress":
            authors.append((100 + n, f"author{n}", text))
            categories.append((1000 + n, f"cat-{n}", text, ""))
            tags.append((2000 + n, f"tag-{n}", text))
            items.append(
                P(
                    n,
                    title=text,
                    slug=f"wp-{n}",
                    content=text,
                    excerpt=text,
                    date=when,
                    creator=f"author{n}",
                    categories=[(f"cat-{n}", text)],
                    tags=[(f"tag-{n}", text)],
                    meta=[
                        ("_broadsheet_featured_image", text),
                        ("_broadsheet_featured_image_alt", text),
                    ],
                    comments=[C(n, content=text, author=text, url=escape(text), date=when)],
                )
            )
            # A few in the menu, which every page prints: all of them would make every page long.
            menu = "1" if n % MENU_SAMPLE == 0 else "0"
            items.append(
                P(
                    30000 + n,
                    type="page",
                    title=text,
                    slug=f"page-{n}",
                    content=text,
                    date=when,
                    meta=[("_broadsheet_show_in_menu", menu)],
                )
            )
        elif kind == "html":
            items.append(
                P(
                    10000 + n,
                    title=f"HTML body {n}",
                    slug=f"html-{n}",
                    content=text,
                    date=when,
                    meta=[("_broadsheet_format", "html")],
                )
            )
        else:
            items.append(
                P(
                    20000 + n,
                    title=f"Markdown body {n}",
                    slug=f"md-{n}",
                    content="",
                    date=when,
                    meta=[("_broadsheet_format", "markdown"), ("_broadsheet_markdown", text)],
                )
            )
    text = document(
        *items,
        authors=tuple(authors) or ((1, "editor", "The Editor"),),
        categories=tuple(categories),
        tags=tuple(tags),
    )
    return with_term_descriptions(text, batch) if kind == "wordpress" else text


def with_term_descriptions(text: str, batch: list[Payload]) -> str:
    """The writer has no term descriptions; WordPress exports them after the name."""
    for payload in batch:
        description = cdata(payload.text)
        text = text.replace(
            f"<wp:cat_name>{cdata(payload.text)}</wp:cat_name></wp:category>",
            f"<wp:cat_name>{cdata(payload.text)}</wp:cat_name>"
            f"<wp:category_description>{description}</wp:category_description></wp:category>",
            1,
        ).replace(
            f"<wp:tag_name>{cdata(payload.text)}</wp:tag_name></wp:tag>",
            f"<wp:tag_name>{cdata(payload.text)}</wp:tag_name>"
            f"<wp:tag_description>{description}</wp:tag_description></wp:tag>",
            1,
        )
    return text
