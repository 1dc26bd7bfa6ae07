"""Following payloads from where they went in to where they come out: a ledger of which
payload went into which field of which object, and the checks of pages, feeds and the live
DOM that report each finding with its field, payload and page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from broadsheet.content.models import Article, SiteSettings
from tests.security.feed_fields import html_fields
from tests.security.findings import BROWSER_SCAN, markup_findings
from tests.security.payloads import Payload

SETTLE_MS = 150  # time for error and focus handlers of broken images and autofocus to fire
FEED_SUFFIXES = ("feed/", "feed/atom/", "feed/json/")


@dataclass(frozen=True)
class Entry:
    route: str  # "comment form", "WXR import", "admin", ...
    field: str
    payload: Payload

    def __str__(self) -> str:
        return f"{self.route} field {self.field!r} with {self.payload}"


@dataclass
class Ledger:
    """Objects keyed by how a page points at them (``#comment-12``, an article's address)."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    by_payload: dict[int, set[str]] = field(default_factory=dict)

    def put(self, key: str, route: str, field_name: str, payload: Payload) -> None:
        self.entries.setdefault(key, []).append(Entry(route, field_name, payload))

    def explain(self, finding: str, default: list[Entry] | None = None) -> str:
        """The payloads behind a finding: the objects it names, else those the page shows."""
        found = [
            entry
            for match in re.finditer(r"(#[\w-]+)|in article (\S+)", finding)
            for entry in self.entries.get(match[1] or match[2], [])
        ]
        found = found or (default or [])
        if not found:
            return "(payload not identified: see the snippet)"
        fields: dict[Payload, list[str]] = {}
        for entry in found:
            fields.setdefault(entry.payload, []).append(f"{entry.route}: {entry.field}")
        shown = [f"{payload} via {', '.join(names)}" for payload, names in list(fields.items())[:3]]
        more = (
            f" (or one of {len(fields) - 3} more payloads on the page)" if len(fields) > 3 else ""
        )
        return "; ".join(shown) + more

    def fail(self, page: str, finding: str, entries: list[Entry] | None = None) -> None:
        explanation = self.explain(finding, entries)
        self.failures.append(f"{page}: {finding}\n      <- {explanation}")
        for number in re.findall(r"payload #(\d+)", explanation):
            self.by_payload.setdefault(int(number), set()).add(
                page.split(" /")[0].split(" http")[0]
            )

    def assert_clean(self) -> None:
        """One line per payload that got through (and where), then the first findings."""
        summary = "\n".join(
            f"  payload #{number}: {', '.join(sorted(pages))}"
            for number, pages in sorted(self.by_payload.items())
        )
        shown = "\n".join(self.failures[:40])
        more = f"\n... and {len(self.failures) - 40} more" if len(self.failures) > 40 else ""
        assert not self.failures, (
            f"{len(self.failures)} script injections; payloads that got through, by page:\n"
            f"{summary}\nfirst findings:\n{shown}{more}"
        )


def fetch(ledger: Ledger, client: Client, url: str, page: str, entries: list[Entry] | None) -> Any:
    """The response, or None with the exception recorded: a 500 to a reader is a finding too."""
    try:
        return client.get(url)
    except Exception as error:  # noqa: BLE001 - recorded with the payloads that caused it
        ledger.fail(page, f"raised {type(error).__name__}: {error}", entries)
        return None


def check_page(
    ledger: Ledger, client: Client, url: str, entries: list[Entry] | None = None, *, label: str = ""
) -> str:
    """Fetch ``url`` and record every way its markup could run script; returns the markup."""
    page = f"{label or 'page'} {url}"
    response = fetch(ledger, client, url, page, entries)
    if response is None:
        return ""
    if response.status_code >= 500:
        ledger.fail(page, f"answered {response.status_code}", entries)
        return ""
    body = response.content.decode("utf-8", "replace")
    check_markup(ledger, page, body, entries)
    return body


def check_markup(ledger: Ledger, page: str, body: str, entries: list[Entry] | None = None) -> None:
    for finding in markup_findings(body, own_scripts=True):
        ledger.fail(page, finding, entries)


def check_feed(
    ledger: Ledger, client: Client, url: str, entries: list[Entry] | None = None
) -> None:
    """Every HTML field of the feed at ``url``, parsed, holds no script."""
    response = fetch(ledger, client, url, f"feed {url}", entries)
    if response is None:
        return
    if response.status_code != 200:
        ledger.fail(f"feed {url}", f"answered {response.status_code}", entries)
        return
    try:
        fields = html_fields(response.content, response["Content-Type"])
    except Exception as error:  # noqa: BLE001 - an unreadable feed is the finding
        ledger.fail(f"feed {url}", f"does not parse: {error}", entries)
        return
    for where, link, markup in fields:
        for finding in markup_findings(markup):
            ledger.fail(f"feed {url} {where}", f"{finding} {link}", entries)


def check_in_browser(
    ledger: Ledger,
    page: Any,
    url: str,
    entries: list[Entry] | None = None,
    *,
    html: str | None = None,
) -> None:
    """Load ``url`` (or show ``html``) in Chromium with the CSP off: no dialog may open, and
    the DOM the browser built may hold no handler, foreign script or script URL."""
    page.dialogs.clear()
    if html is None:
        page.goto(url, wait_until="load")
    else:
        page.set_content(html, wait_until="load")
    page.wait_for_timeout(SETTLE_MS)
    where = f"Chromium {url}"
    for finding in page.evaluate(BROWSER_SCAN):
        ledger.fail(where, finding, entries)
    for dialog in page.dialogs:
        ledger.fail(where, f"a dialog opened ({dialog})", entries)


def check_home_lists(ledger: Ledger, client: Client, page: Any, base_url: str) -> None:
    """Every article on the home page's lists, a hundred a page: with their summaries, then
    with their full texts (which stand in for each body's own page), parsed and in Chromium."""
    pages = -(-Article.objects.count() // 100)
    for shows in (SiteSettings.HomeShows.EXCERPT, SiteSettings.HomeShows.FULL):
        SiteSettings.objects.update_or_create(
            pk=1, defaults={"home_shows": shows, "posts_per_page": 100}
        )
        for number in range(1, pages + 1):
            url = "/" if number == 1 else f"/page/{number}/"
            check_page(ledger, client, url, label=f"home page ({shows})")
            check_in_browser(ledger, page, base_url + url)
