"""The WSGI front: pages Django served from the cache are replayed from memory, and never
after a purge, an expiry, or for a reader with cookies of their own."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from broadsheet.comments import visitors
from broadsheet.content.models import Article, Status
from broadsheet.pagecache.front import PageCacheFront
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@dataclass
class CountingDjango:
    """Django's own WSGI application, counting the requests that reach it."""

    handler: WSGIHandler = field(default_factory=WSGIHandler)
    calls: int = 0

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.handler(environ, start_response)


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: bytes


@pytest.fixture
def django_app() -> Iterator[CountingDjango]:
    # As Django's test client does: the handler must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield CountingDjango()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def front(django_app: CountingDjango) -> PageCacheFront:
    return PageCacheFront(django_app)


def fetch(front: PageCacheFront, path: str, **headers: str) -> Answer:
    environ = RequestFactory().get(path, **headers).environ
    seen: dict = {}

    def start_response(status, response_headers, *exc_info):  # type: ignore[no-untyped-def]
        seen.update(status=status, headers=dict(response_headers))

    chunks = front(environ, start_response)
    body = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return Answer(seen["status"], seen["headers"], body)


@pytest.fixture
def story() -> Article:
    return ArticleFactory(title="Frigates late again")


def test_a_cached_page_is_replayed_without_entering_django(
    front: PageCacheFront, django_app: CountingDjango, story: Article
) -> None:
    url = story.get_absolute_url()
    first, second = fetch(front, url), fetch(front, url)  # a miss, then a hit from the cache
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert django_app.calls == 2
    replayed = [fetch(front, url) for _ in range(5)]
    assert django_app.calls == 2  # served from this process's memory
    assert {answer.body for answer in replayed} == {second.body}
    assert all(a.headers == second.headers for a in replayed)  # CSP, ETag, Surrogate-Key…
    assert b"Frigates late again" in second.body


def test_a_purge_anywhere_sends_the_next_request_through_django(
    front: PageCacheFront, django_app: CountingDjango, story: Article
) -> None:
    url = story.get_absolute_url()
    for _ in range(3):
        fetch(front, url)
    story.title = "Frigates on time after all"
    story.save()  # purges the article's tags: the shared purge generation moves on
    calls = django_app.calls
    answer = fetch(front, url)
    assert django_app.calls == calls + 1
    assert answer.headers["X-Cache"] == "miss"
    assert b"Frigates on time after all" in answer.body


def test_gzip_and_identity_are_replayed_separately(front: PageCacheFront, story: Article) -> None:
    url = story.get_absolute_url()
    for _ in range(3):
        plain = fetch(front, url)
        squeezed = fetch(front, url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain.headers
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert squeezed.body[:2] == b"\x1f\x8b"


def test_a_browser_holding_the_page_gets_304(front: PageCacheFront, story: Article) -> None:
    url = story.get_absolute_url()
    for _ in range(3):
        etag = fetch(front, url).headers["ETag"]
    answer = fetch(front, url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status.startswith("304") and answer.body == b""


def test_a_commenter_with_cookies_of_their_own_always_reaches_django(
    front: PageCacheFront, django_app: CountingDjango, story: Article
) -> None:
    url = story.get_absolute_url()
    for _ in range(3):
        fetch(front, url)
    calls = django_app.calls
    cookie = f"{visitors.PENDING_COOKIE}=anything; theme=dark"
    answer = fetch(front, url, HTTP_COOKIE=cookie)
    assert django_app.calls == calls + 1
    assert answer.headers["X-Cache"] == "bypass"


def test_a_copy_is_dropped_when_a_scheduled_article_falls_due(
    front: PageCacheFront, django_app: CountingDjango
) -> None:
    ArticleFactory(title="Already out")
    due = timezone.now() + dt.timedelta(seconds=2)
    ArticleFactory(title="Due any second", status=Status.SCHEDULED, published_at=due)
    for _ in range(3):
        assert b"Due any second" not in fetch(front, "/").body
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.2)
    calls = django_app.calls
    assert b"Due any second" in fetch(front, "/").body
    assert django_app.calls == calls + 1


def test_links_carry_the_script_prefix_the_site_is_served_under(django_app) -> None:
    """``core.links.link`` remembers addresses per script prefix: a site mounted under /blog
    links there, and the same process serving it at / does not borrow those addresses."""
    article = ArticleFactory()
    path = article.get_absolute_url()
    mounted = fetch(django_app, "/", SCRIPT_NAME="/blog")
    assert mounted.status.startswith("200")
    assert f'href="/blog{path}"'.encode() in mounted.body
    plain = fetch(django_app, "/")
    assert f'href="{path}"'.encode() in plain.body
    assert b'href="/blog/' not in plain.body
