"""Feed writers beyond Django's own: RSS with full content, and JSON Feed 1.1."""

from __future__ import annotations

import json
from typing import Any

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date


class RssFeed(Rss201rev2Feed):
    """RSS 2.0 with the full article in ``content:encoded``. Authors go in ``dc:creator``
    (Django's choice when there is no email: RSS's ``<author>`` must be one, and we never
    publish an email address)."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(Atom1Feed):
    """Atom 1.0 with a summary and the full article as ``<content type="html">``."""

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class JsonFeed(SyndicationFeed):
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
        if item.get("description"):
            entry["summary"] = item["description"]
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
