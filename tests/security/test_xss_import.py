"""Every XSS payload XML can carry, through every field a WordPress import reads (run as the
``broadsheet import wxr`` command), then looked for on every page, feed and admin screen that
shows the imported objects: parsed, and in Chromium with the CSP off."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from broadsheet.content.models import Article, Category, Page, SiteSettings, Tag
from tests.security import tally
from tests.security.browsing import sign_in_browser, staff_client
from tests.security.conftest import browser_walk_once
from tests.security.exposure import (
    FEED_SUFFIXES,
    Entry,
    Ledger,
    check_feed,
    check_home_lists,
    check_in_browser,
    check_page,
)
from tests.security.payloads import Payload, all_payloads
from tests.security.wxr_payloads import FORMATS, batch_document, carried_by_xml

pytestmark = [pytest.mark.browser, browser_walk_once]

ROUTE = "WXR import"
BATCH = 20  # the feeds show the newest twenty: each batch is checked in them before the next
WORDPRESS_FIELDS = (
    "title",
    "content",
    "excerpt",
    "featured image",
    "featured image alt",
    "category name",
    "category description",
    "tag name",
    "tag description",
    "author display name",
    "comment author",
    "comment url",
    "comment content",
    "page title",
    "page content",
)
BROWSER_SAMPLE = 16  # article pages opened in Chromium: one in sixteen; every one is parsed
ADMIN_SAMPLE = 48  # article screens: Django's admin escapes every field the same way


def batches(payloads: list[Payload]) -> list[list[Payload]]:
    return [payloads[at : at + BATCH] for at in range(0, len(payloads), BATCH)]


def import_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    call_command("import", "wxr", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())


def test_imported_payloads_never_run_script(
    transactional_db: None, live_server: Any, bypass_csp_tab: Any, tmp_path: Path
) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": 100})
    payloads = carried_by_xml(all_payloads())
    ledger, client = Ledger(), Client()
    article_pages: list[tuple[str, list[Entry]]] = []
    for kind in FORMATS:
        fields = WORDPRESS_FIELDS if kind == "wordpress" else (f"content ({kind} format)",)
        for field in fields:
            tally.payloads_tried(f"{ROUTE}: {field}", len(payloads))
        slug = {"wordpress": "wp", "html": "html", "markdown": "md"}[kind]
        for batch in batches(payloads):
            import_file(tmp_path / f"{kind}-{batch[0].number}.xml", batch_document(batch, kind))
            shown: list[Entry] = []
            for payload in batch:
                entries = [Entry(ROUTE, field, payload) for field in fields]
                shown += entries
                article = Article.objects.filter(slug=f"{slug}-{payload.number}").first()
                if article is None:
                    continue  # refused whole by the importer: nothing of it to show
                url = article.get_absolute_url()
                for entry in entries:
                    ledger.put(url, entry.route, entry.field, entry.payload)
                article_pages.append((url, entries))
                if kind == "wordpress":  # bodies alone: the home page's full texts show them
                    check_page(ledger, client, url, entries, label="imported article")
            for suffix in FEED_SUFFIXES:
                check_feed(ledger, client, "/" + suffix, shown)
                if kind == "wordpress":
                    check_feed(ledger, client, "/comments/" + suffix, shown)

    for payload in payloads:  # the terms, authors and pages of the WordPress-format items
        entries = [Entry(ROUTE, field, payload) for field in WORDPRESS_FIELDS]
        for model, prefix in ((Category, "cat"), (Tag, "tag"), (Page, "page")):
            found = model.objects.filter(slug=f"{prefix}-{payload.number}").first()
            if found is not None:
                check_page(
                    ledger,
                    client,
                    found.get_absolute_url(),
                    entries,
                    label=f"imported {model.__name__.lower()}",
                )
        article = (
            Article.objects.filter(slug=f"wp-{payload.number}").select_related("author").first()
        )
        if article is not None and payload.number % 4 == 0:  # the byline shows it everywhere
            check_page(
                ledger, client, article.author.get_absolute_url(), entries, label="imported author"
            )
    for number, (url, entries) in enumerate(article_pages):
        if number % BROWSER_SAMPLE == 0:
            check_in_browser(ledger, bypass_csp_tab, live_server.url + url, entries)
    check_home_lists(ledger, client, bypass_csp_tab, live_server.url)
    check_admin(ledger, bypass_csp_tab, live_server.url, article_pages)
    ledger.assert_clean()


def check_admin(
    ledger: Ledger, page: Any, base_url: str, article_pages: list[tuple[str, list[Entry]]]
) -> None:
    """The admin's article list and, for a sample, the article screen with its rendered preview."""
    admin = staff_client()
    sign_in_browser(page, admin, base_url)
    changelist = reverse("admin:content_article_changelist")
    for number in range(-(-Article.objects.count() // 100)):
        url = f"{changelist}?p={number + 1}" if number else changelist
        check_in_browser(ledger, page, base_url + url)
    by_url = {article.get_absolute_url(): article.pk for article in Article.objects.all()}
    for number, (url, entries) in enumerate(article_pages):
        if number % ADMIN_SAMPLE == 0:
            change = reverse("admin:content_article_change", args=[by_url[url]])
            check_page(ledger, admin, change, entries, label="admin article")
            check_in_browser(ledger, page, base_url + change, entries)
