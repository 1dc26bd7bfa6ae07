"""Rules a site owner writes down: link counts and word lists (WordPress's moderation and
disallowed keys), matched case-insensitively against everything the commenter sent."""

from __future__ import annotations

from html.parser import HTMLParser


class _LinkCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and any(name == "href" for name, _ in attrs):
            self.count += 1


def count_links(rendered_html: str) -> int:
    """Links in the comment as readers would see it: bare URLs count, being auto-linked."""
    counter = _LinkCounter()
    counter.feed(rendered_html)
    return counter.count


def matching_key(keys_text: str, *fields: str) -> str | None:
    """The first listed word or phrase found in any field, or ``None``."""
    haystack = "\n".join(field.lower() for field in fields if field)
    for line in keys_text.splitlines():
        key = line.strip().lower()
        if key and key in haystack:
            return key
    return None
