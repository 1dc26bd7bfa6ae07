"""The whole-page cache in front of the views, for anonymous GET and HEAD requests.

It sits before the session, CSRF and auth middleware, so a hit costs two cache reads (the
entry, then its tags' versions) and none of the rest of the stack. A request carrying a
session, message or commenter cookie is somebody's own view of the site: it bypasses the
cache both ways. Only pages whose views declared tags (``add_cache_tags``) are stored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from broadsheet.comments.visitors import COMMENTER_COOKIE, PENDING_COOKIE
from broadsheet.core.origin import request_origin
from broadsheet.pagecache import store
from broadsheet.pagecache.tags import SITE

ALLOWED_QUERY_KEYS = frozenset({"q", "replytocom", "page"})
PUBLIC = "public, max-age=0, s-maxage=300, stale-while-revalidate=60"
PRIVATE = "private, no-cache"
NEVER_CACHED_PREFIXES = ("/admin/",)
# Made fresh for each response that is served, never replayed from an entry.
NOT_REPLAYED = {"content-length", "content-encoding", "etag", "set-cookie", "x-cache"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
EXPIRES_KEY = "broadsheet.pagecache.expires"


def personal_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, "messages", COMMENTER_COOKIE, PENDING_COOKIE)


def refusal(
    method: str, path: str, cookie_names: Iterable[str], query_names: Iterable[str]
) -> str | None:
    """Why a request may not be answered from the cache — "unrelated" (the cache has no say),
    "personal" (somebody's own view of the site) or "query" (parameters no page varies by) —
    or None when it may. The one rule for both this middleware and the WSGI front."""
    if not settings.PAGE_CACHE or method not in ("GET", "HEAD"):
        return "unrelated"
    if path.startswith(NEVER_CACHED_PREFIXES):
        return "unrelated"
    if any(name in personal_cookies() for name in cookie_names):
        return "personal"
    if any(name not in ALLOWED_QUERY_KEYS for name in query_names):
        return "query"
    return None


def cache_url(request: HttpRequest) -> str | None:
    """The entry's address: origin (``core.origin``, as the front's copies are keyed), path and
    the (allowed) query, sorted; None when the host is not one the site serves."""
    origin = request_origin(request.META)
    if origin is None:
        return None
    query = "&".join(f"{key}={value}" for key, value in sorted(request.GET.items()))
    return f"{origin}{request.path}?{query}"


def is_storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


class PageCacheMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = refusal(request.method or "", request.path, request.COOKIES, request.GET)
        if refused == "unrelated":
            return self.get_response(request)
        if refused == "personal":
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = PRIVATE
            response["X-Cache"] = "bypass"
            return response
        if refused == "query":
            return self._bypass(self.get_response(request))
        url = cache_url(request)
        if url is None:
            return self.get_response(request)  # the stack answers 400 as usual
        key = store.page_key(url)
        entry = store.load(key)
        if entry is not None:
            return serve(request, entry, "hit")
        started = time.time_ns()
        response = self.get_response(request)
        tags = getattr(request, "cache_tags", None)
        if not tags or not is_storable(response):
            return self._bypass(response)
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED
        ]
        entry = store.build(response.status_code, headers, response.content, {*tags, SITE})
        store.save(key, entry, started)
        return serve(request, entry, "miss")

    @staticmethod
    def _bypass(response: HttpResponse) -> HttpResponse:
        response["X-Cache"] = "bypass"
        return response


def serve(request: HttpRequest, entry: dict, state: str) -> HttpResponse:
    """The stored page (gzipped when the client takes it), or 304 when the client has it."""
    gzipped = entry["gzipped"] and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    body = entry["gzipped"] if gzipped else entry["body"]
    response = HttpResponse(body if request.method == "GET" else b"", status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(body))
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = entry["etag_gzip"] if gzipped else entry["etag"]
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = PUBLIC
    response["Surrogate-Key"] = " ".join(entry["tags"])
    response["Cache-Tag"] = ",".join(entry["tags"])
    response["X-Cache"] = state
    if entry["gzipped"]:
        patch_vary_headers(response, ("Accept-Encoding",))
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    answer = get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )
    answer["X-Cache"] = state
    # For the WSGI front (front.py): how long this page may be replayed from memory.
    request.META[EXPIRES_KEY] = entry.get("expires", time.time())
    return answer
