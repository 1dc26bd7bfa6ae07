"""Entries in the shared cache, and the tag versions that decide whether one is still good.

An entry is a finished response (status, headers, body, its gzipped body) with the tags it
shows and the version of each tag when it was stored. A tag's version is the time (ns) it was
last purged, kept in the shared cache with no expiry; an entry is served only while every one
of its tags still has the version it recorded, so a purge in any process is seen by all.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from broadsheet.pagecache import generation
from broadsheet.pagecache.signals import tags_purged

PREFIX = "pagecache:v1"
MIN_GZIP_SIZE = 200  # below this gzip saves nothing worth a header
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".xsl", ".css", ".js", ".svg"}


def page_key(url: str) -> str:
    return f"{PREFIX}:page:{release()}:{hashlib.sha256(url.encode()).hexdigest()}"


@lru_cache(maxsize=1)
def release() -> str:
    """A digest of what makes the pages: Broadsheet's code and templates, the static files'
    hashed names and the BROADSHEET_* configuration (and which database), read once a process.

    Why: entries outlive a restart (they live in the shared cache for up to an hour), so
    after an upgrade or a change of configuration the old pages — their markup, links to static
    files the new release renamed — would be served until they expired. Keyed by the release,
    every page is made anew once; tag versions are not keyed, so purges still reach all."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.suffix in RELEASE_SUFFIXES and "migrations" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    digest.update(repr(settings.PAGE_CACHE_CONFIGURATION).encode())
    return digest.hexdigest()[:16]


def tag_key(tag: str) -> str:
    return f"{PREFIX}:tag:{tag}"


def tag_versions(tags: list[str]) -> tuple[list[int], set[str]]:
    """Current versions of ``tags`` (creating those never seen) and which already existed.

    A new tag's version is the current time, never 0, so a tag whose version was evicted
    cannot come back equal to the version an old entry recorded."""
    keys = [tag_key(tag) for tag in tags]
    found = cache.get_many(keys)
    existed = {tag for tag, key in zip(tags, keys, strict=True) if key in found}
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)  # the first writer wins
        found.update(cache.get_many(missing))
    return [int(found.get(key, -1)) for key in keys], existed


def bump(tags: set[str] | list[str]) -> None:
    """Give ``tags`` new versions: every entry that recorded an older one stops being served."""
    if tags:
        version = time.time_ns()
        cache.set_many({tag_key(tag): version for tag in tags}, timeout=None)
        generation.advance()


def purge(tags: set[str] | list[str]) -> None:
    """Forget every page showing any of ``tags``, here and (through the signal) at a CDN."""
    if not tags:
        return
    bump(tags)
    tags_purged.send(sender=purge, tags=sorted(tags))


def load(key: str) -> dict[str, Any] | None:
    """The entry under ``key`` if all its tags still have the versions it recorded."""
    entry = cache.get(key)
    if not entry:
        return None
    tags = entry["tags"]
    keys = [tag_key(tag) for tag in tags]
    current = cache.get_many(keys)
    for tag_key_, recorded in zip(keys, entry["versions"], strict=True):
        if current.get(tag_key_) != recorded:
            return None
    return entry


def build(status: int, headers: list[tuple[str, str]], body: bytes, tags: set[str]) -> dict:
    """A new entry; the gzipped body is made once here, not on every hit."""
    digest = hashlib.sha256(body).hexdigest()[:32]
    gzipped = None
    if len(body) >= MIN_GZIP_SIZE:
        # mtime=0: the same body always compresses to the same bytes (a stable ETag).
        squeezed = gzip.compress(body, compresslevel=6, mtime=0)
        if len(squeezed) < len(body):
            gzipped = squeezed
    return {
        "status": status,
        "headers": headers,
        "body": body,
        "gzipped": gzipped,
        "etag": f'"{digest}"',
        "etag_gzip": f'"{digest}-gz"',
        "tags": sorted(tags),
        "versions": [],
    }


def save(key: str, entry: dict, started_ns: int) -> bool:
    """Store ``entry`` unless a tag it shows was purged while the page was being made (its
    content may predate the purge), or a scheduled article is due before it could expire."""
    versions, existed = tag_versions(entry["tags"])
    for tag, version in zip(entry["tags"], versions, strict=True):
        if tag in existed and version >= started_ns:
            return False
    lifetime = lifetime_seconds()
    if lifetime <= 0:
        return False
    cache.set(key, {**entry, "versions": versions, "expires": time.time() + lifetime}, lifetime)
    return True


def lifetime_seconds() -> int:
    """PAGE_CACHE_TIMEOUT, capped at the next scheduled publication so that a scheduled
    article appears on time with no purge (one indexed query per stored page)."""
    from broadsheet.content.models import Article, Status

    now = timezone.now()
    lifetime = int(settings.PAGE_CACHE_TIMEOUT)
    due = (
        Article.objects.filter(status=Status.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if due is not None:
        lifetime = min(lifetime, int((due - now).total_seconds()))
    return lifetime
