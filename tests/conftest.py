from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives a test's database rollback; start every test without stale rows."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """For tests that count the queries of rendering a page: every request renders."""
    settings.PAGE_CACHE = False


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def staff_client(client, db):
    """A client signed in as a superuser (the Administrator role)."""
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client
