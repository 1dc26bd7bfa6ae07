"""Fixtures for driving Debian's Chromium through Playwright against a live Broadsheet server.

Registered once for the whole suite (`pytest_plugins` in tests/conftest.py): a session
fixture imported into several conftest files would start Playwright once for each of them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from broadsheet.content.demo import load_demo_content
from broadsheet.content.models import Article, Author, Category, Tag
from broadsheet.content.models import Page as StandingPage

# Playwright's sync API keeps an asyncio loop running in this thread, which makes Django
# refuse the ORM calls that live_server and the fixtures below make.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Only the live server may be reached: every other host fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

# The article the single-article tests read: it has a byline, tags and "##" subheadings.
DEMO_ARTICLE_TITLE = "NATO ships gather in the Baltic for annual manoeuvres"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test opens its own context."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass(frozen=True)
class ConsoleError:
    text: str
    url: str

    def __str__(self) -> str:
        return f"{self.text} [{self.url}]" if self.url else self.text


@dataclass
class Tab:
    """A page in a fresh browser context that records every console error and uncaught exception.

    Content-Security-Policy violations reach the console as errors, so they are recorded too.
    """

    page: Page
    base_url: str
    console_errors: list[ConsoleError] = field(default_factory=list)
    document_url: str = ""
    document_status: int = 0

    def open(self, path: str) -> int:
        """Load ``path`` from the live server and return the HTTP status of the document."""
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None, f"no response for {path}"
        self.document_url, self.document_status = response.url, response.status
        return response.status

    @property
    def unexpected_console_errors(self) -> list[ConsoleError]:
        """Console errors, less Chromium's own notice of an error status the test asked for."""
        return [error for error in self.console_errors if not self._is_document_status(error)]

    def _is_document_status(self, error: ConsoleError) -> bool:
        return (
            self.document_status >= 400
            and error.url == self.document_url
            and error.text.startswith("Failed to load resource: the server responded with")
        )

    def record_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(ConsoleError(message.text, message.location.get("url", "")))

    def record_page_error(self, error: Error) -> None:
        self.console_errors.append(ConsoleError(f"Uncaught {error.name}: {error.message}", ""))


@pytest.fixture
def open_tab(chromium: Browser, live_server: Any) -> Iterator[Callable[..., Tab]]:
    """Open a tab in a new context; keyword arguments go to ``Browser.new_context``."""
    contexts = []

    def open_tab(**context_options: Any) -> Tab:
        context = chromium.new_context(**context_options)
        contexts.append(context)
        tab = Tab(page=context.new_page(), base_url=live_server.url)
        tab.page.on("console", tab.record_console)
        tab.page.on("pageerror", tab.record_page_error)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def tab(open_tab: Callable[..., Tab]) -> Tab:
    """A desktop-sized tab in the light colour scheme."""
    return open_tab(viewport={"width": 1280, "height": 800}, color_scheme="light")


@pytest.fixture
def demo_site(transactional_db: None, live_server: Any) -> dict[str, str]:
    """The Military Army Blog, loaded afresh (transactional_db flushes it after every test).

    Returns the path of one page of each kind a reader meets, keyed by kind.
    """
    load_demo_content()
    article = Article.objects.get(title=DEMO_ARTICLE_TITLE)
    published = timezone.localdate(article.published_at)
    nested_page = StandingPage.objects.get(slug="editorial-standards")
    return {
        "home": reverse("content:home"),
        "article": article.get_absolute_url(),
        "category": Category.objects.get(slug="procurement").get_absolute_url(),
        "tag": Tag.objects.get(name="NATO").get_absolute_url(),
        "author": Author.objects.get(slug="helen-walker").get_absolute_url(),
        "month": reverse("content:month", args=[published.year, published.month]),
        "about": StandingPage.objects.get(slug="about").get_absolute_url(),
        "nested page": nested_page.get_absolute_url(),
        # Long and unbroken, as a mistyped address can be: the 404 page shows it to the reader.
        "not found": "/defence/procurement-programmes-that-were-never-published-anywhere/",
    }
