"""The page cache's front door: a WSGI layer that replays cached pages from memory.

Why: a cache hit through Django (request object, middleware, response object) served about
1,600 requests/s on this machine where nginx served the same bytes at 27,000; a bare WSGI
callable returning bytes reached 22,000. So a page that Django has just served as a cache
hit is kept here, in this process, exactly as Django sent it (status, headers, body — per
Accept-Encoding variant), and replayed without entering Django while nothing anywhere has
been purged since: every request reads the shared purge generation (``generation.py``: a
memory-mapped file with the file cache, one key with Redis) and a changed generation sends the
request through Django again, which revalidates the entry against its tags. A copy is also
dropped when its shared entry would expire (a scheduled article is due).

Only what Django's page-cache middleware would serve from the cache is replayed: anonymous
GET/HEAD without personal cookies, to allowed query strings, never the admin. Copies are kept
per origin as Django sees it (``core.origin``): a host the site does not serve goes to Django,
which refuses it, before anything is looked up.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from django.utils.http import parse_etags

from broadsheet.core.origin import request_origin
from broadsheet.pagecache import generation as purges
from broadsheet.pagecache.middleware import ACCEPTS_GZIP, EXPIRES_KEY, refusal

MAX_PAGES = 500  # per process, per encoding; about 30 MB of article pages at most
NOT_REPLAYED_IN_304 = {"content-length", "content-encoding"}

StartResponse = Callable[..., object]


@dataclass(slots=True)
class Replay:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    generation: object
    expires: float


class PageCacheFront:
    def __init__(self, application: Callable[[dict, StartResponse], Iterable[bytes]]) -> None:
        self.application = application
        self.pages: OrderedDict[tuple[str, bool], Replay] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        # The common case first, found in a few dictionary reads: a plain GET or HEAD (no
        # cookie, no query) of a page held here. Only pages that passed ``replay_key``'s full
        # check (``refusal``) are ever held, and what that check reads beyond cookies and query
        # — the path, the method, settings fixed for the process — is the same for every such
        # request; the full check cost more than the replay itself.
        plain = (
            "HTTP_COOKIE" not in environ
            and not environ.get("QUERY_STRING")
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        )
        key = self.plain_key(environ) if plain else None
        replay = self.pages.get(key) if key is not None else None
        if replay is None:  # not held here: the full check says whether it may be
            key = self.replay_key(environ)
            if key is None:
                return self.application(environ, start_response)
            replay = self.pages.get(key)
        generation = purges.current()
        if replay is not None:
            if replay.generation == generation and time.time() < replay.expires:
                return self.replay(environ, start_response, replay)
            self.pages.pop(key, None)
        return self.pass_through(environ, start_response, key, generation)

    def replay_key(self, environ: dict) -> tuple[str, bool] | None:
        """(URL, gzip?) when this request may be answered from memory, else None."""
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        cookies = environ.get("HTTP_COOKIE")
        query = environ.get("QUERY_STRING", "")
        cookie_names = SimpleCookie(cookies).keys() if cookies else ()
        query_names = (
            (name for name, _ in parse_qsl(query, keep_blank_values=True)) if query else ()
        )
        if refusal(method, path, cookie_names, query_names) is not None:
            return None
        return self.plain_key(environ)

    @staticmethod
    def plain_key(environ: dict) -> tuple[str, bool] | None:
        """(URL, gzip?) of a request, whether or not it may be replayed; None when its host
        is not one the site serves."""
        # The scheme and host Django sees (forwarded ones only behind a trusted proxy), or a
        # page made for one could be replayed for another.
        origin = request_origin(environ)
        if origin is None:
            return None
        url = f"{origin}{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        return url, bool(ACCEPTS_GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", "")))

    def replay(self, environ: dict, start_response: StartResponse, replay: Replay) -> list[bytes]:
        asked = environ.get("HTTP_IF_NONE_MATCH")
        wanted = parse_etags(asked) if asked else ()
        if replay.etag and (replay.etag in wanted or "*" in wanted):
            headers = [(n, v) for n, v in replay.headers if n.lower() not in NOT_REPLAYED_IN_304]
            start_response("304 Not Modified", headers)
            return []
        start_response(replay.status, replay.headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [replay.body]

    def pass_through(
        self,
        environ: dict,
        start_response: StartResponse,
        key: tuple[str, bool],
        generation: object,
    ) -> Iterable[bytes]:
        """Django answers; a page it served from (or into) the cache is kept for replay."""
        seen: dict[str, object] = {}

        def remember_start(status: str, headers: list[tuple[str, str]], *exc_info: object):  # type: ignore[no-untyped-def]
            seen.update(status=status, headers=headers)
            return start_response(status, headers, *exc_info)

        result = self.application(environ, remember_start)
        expires = environ.get(EXPIRES_KEY)
        if environ["REQUEST_METHOD"] != "GET" or expires is None or expires <= time.time():
            return result
        headers = list(seen.get("headers", []))
        names = {name.lower(): value for name, value in headers}
        if not str(seen.get("status", "")).startswith("200") or "set-cookie" in names:
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        replayed = [(n, "hit" if n.lower() == "x-cache" else v) for n, v in headers]
        with self.lock:  # granian runs several threads per worker
            self.pages[key] = Replay(
                str(seen["status"]), replayed, body, names.get("etag", ""), generation, expires
            )
            while len(self.pages) > MAX_PAGES:
                self.pages.popitem(last=False)
        return [body]
