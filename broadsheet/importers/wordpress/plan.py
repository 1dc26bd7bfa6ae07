"""Records → plans: everything about an item worked out (converted body, status, dates,
comments), with no database involved, so a plan can be made in another process and a bad
item fails here, before anything is written.

Galleries and featured images may name attachments that come later in the file; such posts
are held back and planned at the end of the stream, when every attachment has been seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.text import slugify

from broadsheet.comments.html_text import text_from_html
from broadsheet.core.markup import (
    NOT_SUMMARY_TEXT,
    markup_problem,
    plain_text,
    render_markdown,
    sanitize_html,
    summarize,
)
from broadsheet.core.text import strip_control_characters
from broadsheet.core.urls import safe_http_url
from broadsheet.importers.wordpress.clean import clean_record
from broadsheet.importers.wordpress.convert import (
    Attachment,
    LinkRewriter,
    MissingAttachments,
    convert_content,
)
from broadsheet.importers.wordpress.records import (
    POST_STATUSES,
    AuthorRecord,
    BadItem,
    CommentRecord,
    Compact,
    PostRecord,
    Site,
    TermRecord,
)

# Meta keys written by Broadsheet's own export, so that a round trip is exact.
FORMAT_META = "_broadsheet_format"
MARKDOWN_META = "_broadsheet_markdown"
COMMENT_FORMAT_META = "_broadsheet_format"
CREATED_META = "_broadsheet_created"
FEATURED_META = "_broadsheet_featured_image"
FEATURED_ALT_META = "_broadsheet_featured_image_alt"
SHOW_IN_MENU_META = "_broadsheet_show_in_menu"
IMPORTED_TYPES = {"post", "page", "attachment"}
LIMITS = {"title": 300, "slug": 200, "author_name": 245, "author_url": 200, "author_email": 100}


@dataclass
class CommentPlan(Compact):
    """A comment worked out, but for its HTML: rendering it (``comment_html(body)``) is left
    to the loading process, which has time to spare while this one is the busier of the two,
    and then the HTML need not cross between them."""

    record: CommentRecord
    body: str
    state: str
    author_name: str
    author_email: str
    author_url: str
    ip_address: str | None
    created_at: dt.datetime
    avatar_key: str = ""
    checksum: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class PostPlan(Compact):
    record: PostRecord
    kind: str  # "post" or "page"
    title: str
    slug: str
    body_format: str
    body: str
    body_html: str
    summary: str
    excerpt: str
    status: str
    published_at: dt.datetime | None
    old_path: str
    featured_image: str = ""
    featured_image_alt: str = ""
    created_at: dt.datetime | None = None
    show_in_menu: bool = True
    comments: list[CommentPlan] = field(default_factory=list)  # parents before replies
    notes: list[str] = field(default_factory=list)
    checksum: str = ""


@dataclass
class AttachmentPlan:
    record: PostRecord
    title: str
    url: str
    relative_path: str  # under wp-content/uploads/, when the URL is an upload
    alt: str
    old_path: str
    checksum: str = ""


@dataclass
class SkippedItem:
    kind: str
    wp_id: int | None
    title: str
    reason: str


Plan = Site | AuthorRecord | TermRecord | PostPlan | AttachmentPlan | SkippedItem | BadItem


def old_path(url: str) -> str:
    """The path (and query) of an old permalink, as requests for it will arrive."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = "/" + unquote(parts.path).lstrip("/")
    return (path + (f"?{parts.query}" if parts.query else ""))[:500]


def wp_slug(post_name: str, title: str, fallback: str) -> str:
    """WordPress keeps non-ASCII slugs percent-encoded; here they are stored as letters."""
    slug = unquote(post_name).strip().lower()
    return (slug or slugify(title, allow_unicode=True) or fallback)[: LIMITS["slug"]].strip("-")


def cut(value: str, limit: str, notes: list[str]) -> str:
    if len(value) > LIMITS[limit]:
        notes.append(f"{limit.replace('_', ' ')} cut to {LIMITS[limit]} characters")
        return value[: LIMITS[limit]]
    return value


class Planner:
    """Turns records into plans. ``media_url`` maps a path under ``wp-content/uploads/`` to
    its new address when the file was copied (else None: the old address is kept)."""

    def __init__(self, media_url: Callable[[str], str | None] | None = None) -> None:
        self.media_url = media_url
        self.links = LinkRewriter("")
        self.attachments: dict[int, Attachment] = {}
        self.children: dict[int, list[int]] = defaultdict(list)
        self.now = dt.datetime.now(dt.UTC)
        self.avatar_key = fast_avatar_key(settings.SECRET_KEY.encode())

    def plan(self, records: Iterable[object]) -> Iterator[Plan]:
        held: list[PostRecord] = []
        for record in records:
            clean_record(record)
            if isinstance(record, AuthorRecord | TermRecord):
                # Printed as text: reduced to text here, so no output can make markup of it.
                record.description = plain_text(record.description)
            if isinstance(record, Site):
                self.links = LinkRewriter(record.base_url, self.media_url)
                yield record
            elif isinstance(record, PostRecord):
                try:
                    yield self.plan_item(record, final=False)
                except MissingAttachments:
                    held.append(record)
            else:
                yield record  # type: ignore[misc]
        for record in held:
            yield self.plan_item(record, final=True)

    def plan_item(self, record: PostRecord, *, final: bool) -> Plan:
        kind = record.post_type
        if kind not in IMPORTED_TYPES:
            return SkippedItem(kind, record.wp_id, record.title, f"post type {kind} not imported")
        if record.status in {"trash", "auto-draft"}:
            return SkippedItem(kind, record.wp_id, record.title, f"status {record.status}")
        try:
            if kind == "attachment":
                return self.plan_attachment(record)
            return self.plan_post(record, final=final)
        except MissingAttachments:
            raise  # held back by plan() until every attachment has been read
        except (ValueError, KeyError, TypeError) as error:
            return BadItem(record.wp_id, record.title, kind, f"{type(error).__name__}: {error}")

    def plan_attachment(self, record: PostRecord) -> AttachmentPlan:
        url = safe_http_url(record.attachment_url or record.guid)
        relative = url.split("/wp-content/uploads/", 1)[1] if "/wp-content/uploads/" in url else ""
        relative = relative or record.meta_value("_wp_attached_file")
        alt = record.meta_value("_wp_attachment_image_alt")
        self.attachments[record.wp_id] = Attachment(
            url=self.links.rewrite(url) if self.links.is_internal(url) else url,
            title=record.title,
            caption=record.excerpt,
            alt=alt,
            parent=record.parent_wp_id,
            order=record.menu_order,
        )
        if record.parent_wp_id:
            siblings = self.children[record.parent_wp_id]
            siblings.append(record.wp_id)
            siblings.sort(key=lambda pk: (self.attachments[pk].order, pk))
        return AttachmentPlan(
            record, record.title, url, unquote(relative), alt, old_path(url), record.checksum()
        )

    def plan_post(self, record: PostRecord, *, final: bool) -> PostPlan:
        notes: list[str] = []
        body_format = record.meta_value(FORMAT_META)
        if body_format == "markdown":
            body = record.meta_value(MARKDOWN_META)
            body_html = render_markdown(body)
        elif body_format == "html":
            body = body_html = sanitize_html(record.content)
        else:
            body_format = "html"
            converted = convert_content(
                record.content,
                post_id=record.wp_id,
                links=self.links,
                attachments=self.attachments,
                children=lambda parent: self.children.get(parent, []),
                strict=not final,
            )
            body = body_html = converted.html
            notes += converted.notes
        problem = markup_problem(body if body_format == "markdown" else record.content, body_format)
        if problem:
            notes.append(f"body kept as plain text: {problem}")
        status = POST_STATUSES.get(record.status)
        if status is None:
            raise ValueError(f"status {record.status!r} is not one WordPress uses")
        if record.password:
            notes.append("password protection is not supported: imported as private")
            status = "private"
        published_at = record.date
        if status in {"draft", "pending"} and record.date_floating:
            published_at = None
        if status in {"published", "scheduled", "private"} and published_at is None:
            published_at = self.now.replace(microsecond=0)
        if status == "published" and published_at and published_at > self.now:
            status = "scheduled"
        if record.post_type == "page" and status not in {"draft", "published", "private"}:
            notes.append(f"a {status} page is imported as a draft")
            status = "draft"
        title = cut(record.title, "title", notes)
        featured, featured_alt = "", ""
        thumbnail = record.meta_value("_thumbnail_id").strip()
        if thumbnail.isdigit() and record.post_type == "post":
            found = self.attachments.get(int(thumbnail))
            if found is None and not final:
                raise MissingAttachments([int(thumbnail)])
            if found is None:
                notes.append(f"featured image {thumbnail} is not in the file")
            else:
                featured, featured_alt = found.url[:500], found.alt[:300]
        if record.meta_value(FEATURED_META):
            featured = record.meta_value(FEATURED_META)[:500]
            featured_alt = record.meta_value(FEATURED_ALT_META)[:300]
        featured = safe_http_url(featured, relative=True)
        created = record.meta_value(CREATED_META)
        excerpt = record.excerpt
        summary = ""
        if record.post_type == "post":
            summary = summarize(render_markdown(excerpt)) if excerpt else quick_summary(body_html)
        # Parents before replies, worked out here: the loader writes them in this order.
        comments = parents_first([self.plan_comment(comment) for comment in record.comments])
        checksum = record.checksum()
        # The loader needs neither the raw content nor the records' copies of the comments:
        # leaving them out halves what crosses from the planning process.
        record.content, record.comments = "", []
        return PostPlan(
            record=record,
            kind=record.post_type,
            title=title,
            slug=wp_slug(record.slug, title, record.post_type),
            body_format=body_format,
            body=body,
            body_html=body_html,
            summary=summary,
            excerpt=excerpt,
            status=status,
            published_at=published_at,
            old_path=old_path(record.link),
            featured_image=featured,
            featured_image_alt=featured_alt,
            created_at=dt.datetime.fromisoformat(created) if created else None,
            show_in_menu=record.meta_value(SHOW_IN_MENU_META) != "0",
            comments=comments,
            notes=notes,
            checksum=checksum,
        )

    def plan_comment(self, record: CommentRecord) -> CommentPlan:
        notes: list[str] = []
        state = record.state
        if state is None:
            raise ValueError(f"comment {record.wp_id}: state {record.approved!r} is unknown")
        meta = dict(record.meta) if record.meta else {}
        created = meta.get(CREATED_META)
        if meta.get(COMMENT_FORMAT_META) == "text":
            body = record.content
        else:
            # Decoding the HTML's character references can make control characters again.
            body = strip_control_characters(text_from_html(record.content, notes))
        name = " ".join(record.author.split())
        if record.type in {"pingback", "trackback"} and not name:
            name = record.author_url or record.type
        checksum = record.checksum()
        record.content = ""  # converted above; the loader needs only the result
        ip = record.author_ip or None
        if ip is not None and not _looks_like_ip(ip):
            notes.append(f"comment {record.wp_id}: IP address {ip!r} dropped")
            ip = None
        name = cut(name or "Anonymous", "author_name", notes)
        email = cut(record.author_email.strip().lower(), "author_email", notes)
        return CommentPlan(
            record=record,
            body=body,
            state=state,
            author_name=name,
            author_email=email,
            avatar_key=self.avatar_key(email, name),
            checksum=checksum,
            author_url=cut(safe_http_url(record.author_url), "author_url", notes),
            ip_address=ip,
            created_at=dt.datetime.fromisoformat(created) if created else record.date or self.now,
            notes=notes,
        )


def parents_first(plans: list[CommentPlan]) -> list[CommentPlan]:
    """Comments ordered so that each comes after its parent (cycles broken, oldest first)."""
    by_id = {c.record.wp_id: c for c in plans}
    ordered: list[CommentPlan] = []
    placed: set[int] = set()

    def place(plan: CommentPlan, seen: frozenset[int]) -> None:
        wp_id = plan.record.wp_id
        if wp_id in placed:
            return
        parent = plan.record.parent_wp_id
        if parent in by_id and parent not in placed and parent not in seen:
            place(by_id[parent], seen | {wp_id})
        placed.add(wp_id)
        ordered.append(plan)

    for plan in sorted(plans, key=lambda c: (c.created_at, c.record.wp_id)):
        place(plan, frozenset())
    return ordered


_IPV4 = re.compile(
    r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
)


def _looks_like_ip(value: str) -> bool:
    if _IPV4.fullmatch(value):
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def quick_summary(html: str, words: int = 55) -> str:
    """``summarize(html)``, reading only as much of a long body as the summary needs: the
    text of a prefix cut at a paragraph's end is a prefix of the whole text (a test holds
    the two functions together)."""
    cut_at = html.find("</p>", 600)
    while cut_at != -1:
        parts = plain_text(html[: cut_at + 4], drop=NOT_SUMMARY_TEXT).split(" ")
        if len(parts) > words:
            return " ".join(parts[:words]).rstrip(",;:.") + "…"
        cut_at = html.find("</p>", cut_at + 1000)
    return summarize(html, words)


def fast_avatar_key(secret: bytes) -> Callable[[str, str], str]:
    """``avatar_key`` with the keyed hash set up once rather than per comment, and
    remembered for people who comment often (up to a bound, so memory stays flat)."""
    keyed = hmac.new(secret, digestmod=hashlib.sha256)
    known: dict[str, str] = {}

    def key(email: str, name: str = "") -> str:
        source = (email or name or "anonymous").strip().lower()
        found = known.get(source)
        if found is None:
            digest = keyed.copy()
            digest.update(source.encode())
            found = digest.hexdigest()[:20]
            if len(known) >= 20_000:
                known.clear()
            known[source] = found
        return found

    return key


def media_url_for(media_dir: Path | None, media_url: str) -> Callable[[str], str | None]:
    """Uploads found under ``media_dir`` are served from ``MEDIA_URL`` + ``uploads/…``."""

    from broadsheet.importers.wordpress.rows import upload_source

    def lookup(relative: str) -> str | None:
        relative = unquote(relative.split("?", 1)[0])
        return f"{media_url}uploads/{relative}" if upload_source(media_dir, relative) else None

    return lookup
