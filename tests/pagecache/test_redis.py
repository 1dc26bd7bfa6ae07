"""The page cache on the real Redis (database 15), as production runs it with REDIS_URL.
Skipped, with the reason, when no Redis answers at 127.0.0.1:6379."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.pagecache import generation as purges
from broadsheet.pagecache import store
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory

REDIS = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_answers(), reason="no Redis answers at 127.0.0.1:6379"),
]


@pytest.fixture(autouse=True)
def on_redis(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "broadsheet-test",
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_pages_are_stored_in_redis_and_served_from_it(client: Client) -> None:
    article = ArticleFactory()
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "RedisCache"
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    assert cache.get(store.tag_key(f"article:{article.pk}")) is not None


def test_purges_on_redis_are_precise(client: Client) -> None:
    defence, sport = CategoryFactory(), CategoryFactory()
    story = ArticleFactory(categories=[defence])
    ArticleFactory(categories=[sport])
    for url in (story.get_absolute_url(), defence.get_absolute_url(), sport.get_absolute_url()):
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    CommentFactory(article=story, status=Comment.Status.APPROVED)
    assert client.get(story.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(defence.get_absolute_url())["X-Cache"] == "hit"
    story.categories.set([sport])
    assert client.get(defence.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(sport.get_absolute_url())["X-Cache"] == "miss"


def test_the_purge_generation_lives_in_redis_for_every_host(client: Client) -> None:
    """The WSGI front on several machines reads one generation: Redis's, not a local file."""
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    before = purges.current()
    article.title = "Renamed"
    article.save()
    after = purges.current()
    assert after != before and after == cache.get(purges.GENERATION_KEY)
