"""Feed writers beyond Django's own: RSS with full content, and JSON Feed 1.1.

What the ``Feed`` classes hand over: titles, names and the channel's ``description`` are plain
text; an item's ``description`` and ``content`` are HTML (escaped text or sanitized HTML), and
its ``summary_text`` is the plain summary for formats that want one. Every writer drops the
characters XML 1.0 cannot carry from every value, however it was stored.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)
from django.utils.html import escape

from broadsheet.core.markup import sanitize_html
from broadsheet.core.text import has_control_characters, strip_control_characters

HTML_FIELDS = ("description", "content")


def printable_html(html: str | None) -> str | None:
    """Stored HTML as a feed may carry it. Removing a control character from HTML can join
    "java\x0bscript:" into a scheme, so HTML holding one (a row older than the sanitizer's
    rule, or written by hand) goes through the sanitizer again instead."""
    return sanitize_html(html) if html and has_control_characters(html) else html


def printable(value: Any) -> Any:
    """``value`` (a string, a list of them, an enclosure) without control characters."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(printable(part) for part in value)
    if isinstance(value, Enclosure):
        return Enclosure(printable(value.url), value.length, printable(value.mime_type))
    return value


class PrintableFeed(SyndicationFeed):
    """Holds every value of the feed and its items to what XML 1.0 (and HTML) can carry."""

    def __init__(self, **fields: Any) -> None:
        super().__init__(**{name: printable(value) for name, value in fields.items()})

    def add_item(self, **fields: Any) -> None:  # type: ignore[override]
        for name in HTML_FIELDS:
            if name in fields:
                fields[name] = printable_html(fields[name])
        super().add_item(**{name: printable(value) for name, value in fields.items()})


class RssFeed(PrintableFeed, Rss201rev2Feed):
    """RSS 2.0 with the full article in ``content:encoded``. Authors go in ``dc:creator``
    (Django's choice when there is no email: RSS's ``<author>`` must be one, and we never
    publish an email address). Readers take the channel's description as HTML, so its plain
    text is escaped."""

    def __init__(self, **fields: Any) -> None:
        super().__init__(**fields)
        if self.feed["description"]:
            self.feed["description"] = escape(self.feed["description"])

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(PrintableFeed, Atom1Feed):
    """Atom 1.0 with a summary and the full article as ``<content type="html">``."""

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class JsonFeed(PrintableFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding: str) -> None:  # type: ignore[no-untyped-def]
        feed = self.feed
        document: dict[str, Any] = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"] or "",
            "language": feed["language"] or "en",
            "items": [self._item(item) for item in self.items],
        }
        if feed.get("author_name"):
            document["authors"] = [{"name": feed["author_name"]}]
        outfile.write(json.dumps(document, ensure_ascii=False, indent=1))

    @staticmethod
    def _item(item: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("content") or item["description"] or "",
        }
        if item.get("summary_text"):
            entry["summary"] = item["summary_text"]
        if item.get("pubdate"):
            entry["date_published"] = rfc3339_date(item["pubdate"])
        if item.get("updateddate"):
            entry["date_modified"] = rfc3339_date(item["updateddate"])
        if item.get("author_name"):
            entry["authors"] = [{"name": item["author_name"]}]
        if item.get("categories"):
            entry["tags"] = list(item["categories"])
        if item.get("enclosures"):
            entry["attachments"] = [
                {"url": enclosure.url, "mime_type": enclosure.mime_type}
                for enclosure in item["enclosures"]
            ]
        return entry


GENERATORS: dict[str, type[SyndicationFeed]] = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}


def generator(*, kind: str, **fields: Any) -> SyndicationFeed:
    """The writer of the format a request asked for (``kind``: rss, atom or json)."""
    return GENERATORS[kind](**fields)
