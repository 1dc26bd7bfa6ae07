"""Old WordPress addresses answer ``301 Moved Permanently`` to their new home.

Cheap on purpose: a request for ``/`` costs one dict lookup of its query keys, and any other
request is looked at only after it has already become a 404 — then one indexed lookup of the
old path. Query forms: ``?p=``, ``?page_id=``, ``?attachment_id=``, ``?cat=``, ``?tag=``,
``?author=``, ``?m=`` and ``?feed=`` (the home page itself answers ``?s=``). Path forms: every
imported object's old permalink (so an article whose slug or date changed since is still
found), ``/wp-content/uploads/…`` of imported media, ``/%postname%/``, and the feed variants.
Other permalink forms (``/archives/123/``, month-and-name) are the content app's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlencode

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from broadsheet.core.numbers import parse_id

QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "m", "feed")
_SLUG = re.compile(r"[\w-]+")
FEED_VARIANT = re.compile(r"^(?P<base>(?:.*/)?)feed/(?:rss2?|rdf)/?$")
FEED_FILES = {
    "/wp-rss2.php": "/feed/",
    "/wp-rss.php": "/feed/",
    "/wp-rdf.php": "/feed/",
    "/wp-atom.php": "/feed/atom/",
    "/wp-commentsrss2.php": "/comments/feed/",
}
QUERY_FEEDS = {
    "rss2": "/feed/",
    "rss": "/feed/",
    "rdf": "/feed/",
    "atom": "/feed/atom/",
    "comments-rss2": "/comments/feed/",
    "comments-atom": "/comments/feed/atom/",
}


class LegacyURLMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.GET:  # (the home page itself answers ?s=)
            target = query_target(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            target = path_target(request)
            if target and target not in {request.get_full_path(), request.path}:
                return HttpResponsePermanentRedirect(target)
        return response


def _object_url(kind: str, wp_id: str) -> str | None:
    from broadsheet.importers.models import WordPressObject

    number = parse_id(wp_id)
    if number is None:  # not "²", "١٢" or a number past 64 bits, which the database refuses
        return None
    row = WordPressObject.objects.filter(kind=kind, wp_id=number).first()
    target = row.content_object if row else None
    return target.get_absolute_url() if target is not None else None


def query_target(request: HttpRequest) -> str | None:
    """Where a WordPress query-string address (``/?p=123``) lives now, if anywhere."""
    query = request.GET
    for key in QUERY_KEYS:
        if key not in query:
            continue
        value = query[key].strip()
        if key == "p":
            return _object_url("post", value) or _object_url("page", value)
        if key == "page_id":
            return _object_url("page", value)
        if key == "attachment_id":
            return _object_url("attachment", value)
        if key == "cat":
            return _object_url("category", value)
        if key == "author":
            return _object_url("author", value)
        if key == "tag":
            return _tag_url(value)
        if key == "m":
            return _date_url(value)
        if key == "feed":
            return QUERY_FEEDS.get(value)
    return None


def _tag_url(slug: str) -> str | None:
    from broadsheet.content.models import Tag

    tag = Tag.objects.filter(slug=slug.split(",")[0].split("+")[0]).first()
    return tag.get_absolute_url() if tag else None


def _date_url(value: str) -> str | None:
    """``?m=2013``, ``?m=201301`` or ``?m=20130110`` → the year, month or day archive."""
    if not value.isdigit() or len(value) not in {4, 6, 8}:
        return None
    year, month, day = value[:4], value[4:6], value[6:8]
    try:
        if day:
            return reverse("content:day", args=[int(year), int(month), int(day)])
        if month:
            return reverse("content:month", args=[int(year), int(month)])
        return reverse("content:year", args=[int(year)])
    except Exception:  # noqa: BLE001 - an impossible date is simply not an old address
        return None


def path_target(request: HttpRequest) -> str | None:
    """Where an old path that now answers 404 lives, if anywhere."""
    from broadsheet.importers.models import WordPressObject

    path = request.path
    if path in FEED_FILES:
        return FEED_FILES[path]
    if match := FEED_VARIANT.match(path):
        return f"{match['base']}feed/"
    if path == "/index.php" and request.GET:
        if "s" in request.GET:
            return f"{reverse('search:results')}?{urlencode({'q': request.GET['s']})}"
        return query_target(request)
    candidates = {path, path.rstrip("/") + "/", path.rstrip("/")}
    if request.GET:
        candidates.add(request.get_full_path())
    candidates.discard("")
    rows = WordPressObject.objects.exclude(old_path="").filter(old_path__in=candidates)
    row = rows.order_by("kind").first()
    target = row.content_object if row else None
    if target is not None:
        return target.get_absolute_url()
    return _post_name_target(path)


def _post_name_target(path: str) -> str | None:
    """``/%postname%/``: the one live article with that slug, if exactly one."""
    from broadsheet.content.models import Article

    slug = unquote(path.strip("/"))
    if not _SLUG.fullmatch(slug):  # not "wp-login.php", ".env" and other probes
        return None
    found = list(Article.objects.published().filter(slug=slug)[:2])
    return found[0].get_absolute_url() if len(found) == 1 else None
