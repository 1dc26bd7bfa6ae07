from __future__ import annotations

import pytest
from django.core.cache import cache
from pytest_django.plugin import blocking_manager_key

from broadsheet.core import singletons
from broadsheet.outbox import sender as outbox
from tests.factories import ArticleFactory, UserFactory

# The browser fixtures, registered once for every folder that drives Chromium.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives a test's database rollback; start every test without stale rows."""
    cache.clear()
    singletons.forget_everything_here()
    yield
    cache.clear()
    singletons.forget_everything_here()


@pytest.fixture(autouse=True)
def _mail_sent_within_the_test():
    """Mail a test queued goes out before the next test starts, never into its mailbox."""
    yield
    assert outbox.wait_until_sent(timeout=10), "the outbox is still sending"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item):  # type: ignore[no-untyped-def]
    """After the test's own transaction has rolled back, the outbox thread records what it
    sent: on SQLite's shared in-memory test database it cannot write while a test is open,
    and the next test must not start while it writes."""
    yield
    with item.config.stash[blocking_manager_key].unblock():
        assert outbox.wait_until_settled(timeout=10), "the outbox could not record its mail"


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
