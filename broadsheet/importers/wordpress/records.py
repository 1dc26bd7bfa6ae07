"""Plain records of what a WXR file says, before anything touches the database."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from operator import attrgetter

# WordPress post statuses → Broadsheet statuses.
POST_STATUSES = {
    "publish": "published",
    "future": "scheduled",
    "draft": "draft",
    "pending": "pending",
    "private": "private",
}
# WordPress comment_approved values → Broadsheet comment states.
COMMENT_STATES = {
    "1": "approved",
    "0": "pending",
    "spam": "spam",
    "trash": "trash",
    "post-trashed": "trash",
}


class Compact:
    """Pickles as its class and a tuple of field values: a tenth of the default's cost, which
    matters when hundreds of thousands of records cross to the loading process."""

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        cls = type(self)
        values = _FIELD_VALUES.get(cls)
        if values is None:  # once per class: a getter of every field, in order, run in C
            values = _FIELD_VALUES[cls] = attrgetter(*cls.__dataclass_fields__)  # type: ignore[attr-defined]
        return (cls, values(self))


_FIELD_VALUES: dict[type, attrgetter] = {}  # type: ignore[type-arg]


@dataclass
class Site:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""

    @property
    def base_url(self) -> str:
        """The old site's address, which its own absolute links start with."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class AuthorRecord:
    login: str
    wp_id: int | None = None
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    description: str = ""  # not in WordPress's own exports; Broadsheet's carry the bio


@dataclass
class TermRecord:
    taxonomy: str  # "category", "post_tag", or anything else (skipped)
    slug: str
    name: str
    wp_id: int | None = None
    parent_slug: str = ""
    description: str = ""


@dataclass
class CommentRecord(Compact):
    wp_id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: dt.datetime | None = None
    content: str = ""
    approved: str = "1"
    type: str = ""
    parent_wp_id: int = 0
    user_id: int = 0
    meta: list[tuple[str, str]] = field(default_factory=list)

    @property
    def state(self) -> str | None:
        return COMMENT_STATES.get(self.approved)

    def checksum(self) -> str:
        return _digest(
            self.author,
            self.author_email,
            self.author_url,
            self.author_ip,
            self.date,
            self.content,
            self.approved,
            self.type,
            self.parent_wp_id,
            self.meta,
        )


@dataclass
class TermRef(Compact):
    """A term named on an item: ``<category domain="post_tag" nicename="x">X</category>``."""

    domain: str
    slug: str
    name: str


@dataclass
class PostRecord(Compact):
    wp_id: int
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: dt.datetime | None = None
    date_floating: bool = False  # a draft's date, not yet fixed (WordPress's zero GMT date)
    modified: dt.datetime | None = None
    comment_status: str = "open"
    ping_status: str = "open"
    slug: str = ""
    status: str = "publish"
    parent_wp_id: int = 0
    menu_order: int = 0
    password: str = ""
    sticky: bool = False
    attachment_url: str = ""
    terms: list[TermRef] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)

    def meta_value(self, key: str, default: str = "") -> str:
        for name, value in self.meta:
            if name == key:
                return value
        return default

    def checksum(self) -> str:
        """Digest of the post itself (not its comments, which are checked one by one)."""
        return _digest(
            self.post_type,
            self.title,
            self.link,
            self.guid,
            self.creator,
            self.content,
            self.excerpt,
            self.date,
            self.date_floating,
            self.comment_status,
            self.slug,
            self.status,
            self.parent_wp_id,
            self.menu_order,
            self.password,
            self.sticky,
            self.attachment_url,
            [(t.domain, t.slug, t.name) for t in self.terms],
            self.meta,
        )


@dataclass
class BadItem:
    """An item the parser could not make sense of; reported and skipped."""

    wp_id: int | None
    title: str
    post_type: str
    reason: str


def _digest(*values: object) -> str:
    return hashlib.sha1(repr(values).encode("utf-8", "surrogatepass")).hexdigest()
