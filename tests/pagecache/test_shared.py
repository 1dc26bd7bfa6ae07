"""The cache is shared by worker processes: a page stored by one and a purge made by
another are seen by all. Two separate clients of one file cache stand for two workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.test import Client

from broadsheet.pagecache import store
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers(tmp_path: Path) -> tuple[FileBasedCache, FileBasedCache]:
    location = str(tmp_path / "cache")
    return FileBasedCache(location, {}), FileBasedCache(location, {})


def test_a_purge_by_one_worker_is_seen_by_another(
    workers: tuple[FileBasedCache, FileBasedCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = workers
    key = store.page_key("http://testserver/2026/03/07/story/?")
    entry = store.build(200, [("Content-Type", "text/html")], b"<p>story</p>", {"article:1"})

    monkeypatch.setattr(store, "cache", first)
    assert store.save(key, entry, started_ns=0)
    monkeypatch.setattr(store, "cache", second)
    assert store.load(key)["body"] == b"<p>story</p>"  # type: ignore[index]
    store.purge({"article:1"})
    monkeypatch.setattr(store, "cache", first)
    assert store.load(key) is None


def test_pages_served_by_two_workers_share_hits_and_purges(
    client: Client,
    workers: tuple[FileBasedCache, FileBasedCache],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = workers
    article = ArticleFactory()
    monkeypatch.setattr(store, "cache", first)
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    monkeypatch.setattr(store, "cache", second)
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    article.body = "Changed while the other worker watched."
    article.save()  # the purge goes to ``second``
    monkeypatch.setattr(store, "cache", first)
    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assert "Changed while the other worker watched." in response.content.decode()
