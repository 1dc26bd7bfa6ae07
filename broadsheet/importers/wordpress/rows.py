"""Helpers shared by the loaders: ids for WordPress objects that have none, chunked lookups,
and what of a WordPress item is kept in ``WordPressObject.extra``."""

from __future__ import annotations

import mimetypes
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from broadsheet.importers.wordpress.plan import CommentPlan
from broadsheet.importers.wordpress.records import PostRecord

QUERY_CHUNK = 900  # ids per IN (…) query, under every database's parameter limit
# Post meta that only mattered inside WordPress's editor.
EDITOR_META = {"_edit_lock", "_edit_last", "_wp_old_slug", "_encloseme", "_pingme", "_thumbnail_id"}


class ItemFailed(Exception):
    """One item cannot be written; its transaction is rolled back and the import goes on."""


def stable_id(*parts: str) -> int:
    """An id for WordPress objects that have none in the file (WXR 1.0 authors and terms)."""
    return -zlib.crc32("\x00".join(parts).encode())


def chunks(values: Sequence[int], size: int = QUERY_CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def upload_source(media_dir: Path | None, relative: str) -> Path | None:
    """The file under ``media_dir`` for a path under ``wp-content/uploads/``, if it is there
    (and really under it: no absolute paths, no ``..``)."""
    if media_dir is None or not relative:
        return None
    source = (media_dir / relative).resolve()
    if not source.is_relative_to(media_dir.resolve()) or not source.is_file():
        return None
    return source


def post_extra(record: PostRecord) -> dict[str, object]:
    extra: dict[str, object] = {}
    meta = [
        [k, v] for k, v in record.meta if k not in EDITOR_META and not k.startswith("_broadsheet_")
    ]
    if meta:
        extra["meta"] = meta
    others = [
        [t.domain, t.slug, t.name] for t in record.terms if t.domain not in {"category", "post_tag"}
    ]
    if others:
        extra["terms"] = others
    if record.password:
        extra["password"] = record.password
    if record.ping_status != "open":
        extra["ping_status"] = record.ping_status
    if record.post_type == "attachment" and record.parent_wp_id:
        extra["parent"] = record.parent_wp_id
    return extra


def comment_extra(plan: CommentPlan) -> dict[str, object]:
    record = plan.record
    if record.type == "comment" and not record.user_id and not record.meta:
        return {}  # nearly every comment: nothing WordPress knew that Broadsheet does not
    extra: dict[str, object] = {}
    if record.type != "comment":
        extra["type"] = record.type
    if record.user_id:
        extra["user_id"] = record.user_id
    meta = [[k, v] for k, v in record.meta if not k.startswith("_broadsheet_")]
    if meta:
        extra["meta"] = meta
    return extra


def guess_type(url: str) -> str:
    return (mimetypes.guess_type(url.split("?", 1)[0])[0] or "")[:100]


def report_kind(post_type: str) -> str:
    return {"post": "articles", "page": "pages", "attachment": "media"}.get(post_type, "other")
