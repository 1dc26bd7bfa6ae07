"""The HTML-bearing fields of a feed, parsed out of RSS 2.0, Atom 1.0 or JSON Feed, so each can
be checked as the markup a feed reader will render."""

from __future__ import annotations

import json
from urllib.parse import urlsplit
from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def item_of(link: str | None) -> str:
    """The item's address as the ledger knows it: ``in article /path/`` and ``#comment-N``."""
    parts = urlsplit(link or "")
    return f"in article {parts.path}" + (f" #{parts.fragment}" if parts.fragment else "")


def html_fields(body: bytes, content_type: str) -> list[tuple[str, str, str]]:
    """(where, item, markup) for every field a reader treats as HTML."""
    if "json" in content_type:
        document = json.loads(body)
        return [
            (f"item {i} content_html", item_of(item.get("url")), item.get("content_html") or "")
            for i, item in enumerate(document.get("items", []))
        ]
    root = ElementTree.fromstring(body)
    fields: list[tuple[str, str, str]] = []
    if root.tag == "rss":
        channel = root.find("channel")
        assert channel is not None
        fields.append(("channel description", "", channel.findtext("description") or ""))
        for i, item in enumerate(channel.findall("item")):
            link = item_of(item.findtext("link"))
            fields.append((f"item {i} description", link, item.findtext("description") or ""))
            fields.append((f"item {i} content:encoded", link, item.findtext(CONTENT) or ""))
        return fields
    assert root.tag == f"{ATOM}feed", root.tag
    for name in ("subtitle", "title"):
        node = root.find(f"{ATOM}{name}")
        if node is not None and node.get("type") in {"html", "xhtml"}:
            fields.append((f"feed {name}", "", _markup(node)))
    for i, entry in enumerate(root.findall(f"{ATOM}entry")):
        alternate = entry.find(f"{ATOM}link")
        link = item_of(alternate.get("href") if alternate is not None else None)
        for name in ("summary", "content", "title"):
            node = entry.find(f"{ATOM}{name}")
            if node is not None and node.get("type") in {"html", "xhtml"}:
                fields.append((f"entry {i} {name}", link, _markup(node)))
    return fields


def _markup(node: ElementTree.Element) -> str:
    if node.get("type") == "xhtml":
        return "".join(ElementTree.tostring(child, encoding="unicode") for child in node)
    return node.text or ""
