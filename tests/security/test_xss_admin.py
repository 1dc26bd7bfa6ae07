"""Every XSS payload typed into the admin by staff: articles (title, body as Markdown and as
HTML, excerpt, link preview), standing pages and menu links, categories, tags, authors and the
site's title and tagline. Then looked for on the public pages, the feeds and the admin screens
that show them: parsed, and in Chromium with the CSP off."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
from tests.factories import AuthorFactory
from tests.html import get_form
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
    check_markup,
    check_page,
)
from tests.security.payloads import Payload, all_payloads

pytestmark = [pytest.mark.browser, browser_walk_once]

ROUTE = "admin"
FEED_EVERY = 10  # two articles a payload: the feeds' newest twenty are checked every ten
BROWSER_SAMPLE = 12  # article pages and site-title changes opened in Chromium: one in twelve
MENU_SAMPLE = 25
ARCHIVE_SAMPLE = 4
AUTHOR_AND_TAG_SAMPLE = 2  # the author and tag forms: every other payload, to keep the run short
FIRST_PUBLISHED = dt.datetime(2021, 1, 1, 8, 0)


class AdminForms:
    """Each admin add form as the admin renders it, posted with what a member of staff typed."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.blank: dict[str, dict[str, list[str]]] = {}

    def add(self, model: str, **typed: str) -> Any:
        url = reverse(f"admin:content_{model}_add")
        if model not in self.blank:
            self.blank[model] = get_form(self.client, url, f"{model}_form").data()
        return self.client.post(url, {**self.blank[model], **typed})


def published(n: int) -> dict[str, str]:
    when = FIRST_PUBLISHED + dt.timedelta(minutes=n)
    return {
        "status": "published",
        "published_at_0": f"{when:%Y-%m-%d}",
        "published_at_1": f"{when:%H:%M:%S}",
    }


def test_admin_payloads_never_run_script(
    transactional_db: None, live_server: Any, bypass_csp_tab: Any
) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": 100})
    payloads = all_payloads()
    ledger, admin, reader = Ledger(), staff_client(), Client()
    forms = AdminForms(admin)
    article_pages: list[tuple[str, list[Entry]]] = []
    other_pages: list[tuple[str, list[Entry]]] = []

    def add(model: str, typed: dict[str, Any], plain: dict[str, str], entries: list[Entry]) -> None:
        """Post ``typed``; while the admin refuses it (showing the form again, which must hold
        no script either), put back one payload field at a time from ``plain``."""
        response = forms.add(model, **typed)
        for name, value in [("", ""), *plain.items()]:
            if response.status_code == 302:
                return
            shown = response.content.decode()
            where = f"admin {model} form shown again ({response.status_code})"
            check_markup(ledger, where, shown, entries)
            if name:
                typed = {**typed, name: value}
                response = forms.add(model, **typed)
        if response.status_code != 302:
            ledger.fail(f"admin {model} form", "refused even with plain values", entries)

    default_author = AuthorFactory(display_name="Staff Writer")
    tried: Counter[str] = Counter()
    for n, payload in enumerate(payloads, 1):
        text = payload.text
        names = ("author display name", "author bio", "category name", "category description")
        entries = [Entry(ROUTE, name, payload) for name in (*names, "tag name")]
        category_typed = {"name": text, "slug": f"topic-{n}", "description": text}
        add("category", category_typed, {"name": f"Topic {n}", "description": ""}, entries)
        if n % AUTHOR_AND_TAG_SAMPLE == 0:
            author_typed = {"display_name": text, "slug": f"writer-{n}", "bio": text}
            add("author", author_typed, {"display_name": f"Writer {n}", "bio": ""}, entries)
            add("tag", {"name": text, "slug": f"label-{n}"}, {"name": f"Label {n}"}, entries)
            for name in ("author display name", "author bio", "tag name"):
                tried[name] += 1
        author = Author.objects.filter(slug=f"writer-{n}").first() or default_author
        terms = {
            "author": str(author.pk) if author else "",
            "categories": [str(c.pk) for c in Category.objects.filter(slug=f"topic-{n}")],
            "tags": [str(t.pk) for t in Tag.objects.filter(slug=f"label-{n}")],
        }
        for body_format in ("markdown", "html"):
            article_entries = add_article(add, n, payload, body_format, terms) + entries
            article = Article.objects.filter(slug=f"admin-{body_format}-{n}").first()
            if article is None:
                continue
            url = article.get_absolute_url()
            for entry in article_entries:
                ledger.put(url, entry.route, entry.field, entry.payload)
            article_pages.append((url, article_entries))
            if body_format == "markdown":  # the HTML body alone: the home page's full texts
                check_page(ledger, reader, url, article_entries, label="article from the admin")
        page_entries = [
            Entry(ROUTE, name, payload) for name in ("page title", "page body", "menu link")
        ]
        page_typed = {
            "title": text,
            "slug": f"standing-{n}",
            "body": text,
            "status": "published",
            "show_in_menu": "on" if n % MENU_SAMPLE == 0 else "",
        }
        add("page", page_typed, {"title": f"Standing {n}", "body": ""}, page_entries)
        # Tag names and authors also show on the article page; descriptions only on archives.
        archives = [(Category, f"topic-{n}"), (Page, f"standing-{n}")]
        if n % ARCHIVE_SAMPLE == 0:
            archives.append((Tag, f"label-{n}"))
        for model, slug in archives:
            if found := model.objects.filter(slug=slug).first():
                shown = page_entries if model is Page else entries
                other_pages.append((found.get_absolute_url(), shown))
        if author and n % ARCHIVE_SAMPLE == 0:
            other_pages.append((author.get_absolute_url(), entries))
        if n % FEED_EVERY == 0 or n == len(payloads):
            recent = [entry for _, found in article_pages[-2 * FEED_EVERY :] for entry in found]
            for suffix in FEED_SUFFIXES:
                check_feed(ledger, reader, "/" + suffix, recent)
    for field in ADMIN_FIELDS:
        tally.payloads_tried(f"{ROUTE}: {field}", tried.get(field, len(payloads)))

    for url, entries in other_pages:
        check_page(ledger, reader, url, entries, label="archive or page from the admin")
    for number, (url, entries) in enumerate(article_pages):
        if number % BROWSER_SAMPLE == 0:
            check_in_browser(ledger, bypass_csp_tab, live_server.url + url, entries)
    check_home_lists(ledger, reader, bypass_csp_tab, live_server.url)
    check_admin_screens(ledger, admin, bypass_csp_tab, live_server.url, article_pages)
    site_settings(ledger, admin, reader, bypass_csp_tab, live_server.url, payloads)
    ledger.assert_clean()


ADMIN_FIELDS = (
    "article title",
    "article body (markdown)",
    "article body (html)",
    "article excerpt",
    "article featured image",
    "article featured image alt",
    "page title",
    "page body",
    "category name",
    "category description",
    "tag name",
    "author display name",
    "author bio",
)


def add_article(add: Any, n: int, payload: Payload, body_format: str, terms: dict) -> list[Entry]:  # type: ignore[type-arg]
    """The Markdown article carries the payload in every field, the HTML one in its body."""
    every = body_format == "markdown"
    names = ("title", "excerpt", "featured image", "featured image alt") if every else ()
    entries = [
        Entry(ROUTE, f"article {name}", payload) for name in (*names, f"body ({body_format})")
    ]
    text = payload.text
    typed = {
        "title": text if every else f"Admin HTML {n}",
        "slug": f"admin-{body_format}-{n}",
        "body_format": body_format,
        "body": text,
        **published(2 * n + (not every)),
        **terms,
    }
    if every:
        typed.update(excerpt=text, featured_image=text, featured_image_alt=text)
    plain = {
        "featured_image": "",
        "featured_image_alt": "",
        "title": f"Admin {n}",
        "excerpt": "",
        "body": "",
    }
    add("article", typed, plain, entries)
    return entries


def check_admin_screens(
    ledger: Ledger, admin: Client, page: Any, base_url: str, articles: list[tuple[str, list[Entry]]]
) -> None:
    """The admin's lists (their filters name every author and category) and a sample of
    article screens with their rendered preview, in Chromium as the signed-in editor."""
    sign_in_browser(page, admin, base_url)
    for name in ("article", "category", "tag", "author", "page"):
        check_in_browser(ledger, page, base_url + reverse(f"admin:content_{name}_changelist"))
    by_url = {article.get_absolute_url(): article.pk for article in Article.objects.all()}
    for number, (url, entries) in enumerate(articles):
        if number % (4 * BROWSER_SAMPLE) == 0:
            change = reverse("admin:content_article_change", args=[by_url[url]])
            check_page(ledger, admin, change, entries, label="admin article")
            check_in_browser(ledger, page, base_url + change, entries)


def site_settings(
    ledger: Ledger,
    admin: Client,
    reader: Client,
    page: Any,
    base_url: str,
    payloads: tuple[Payload, ...],
) -> None:
    """The site's title and tagline, shown on every page and in every feed: one at a time."""
    url = reverse("admin:content_sitesettings_change", args=[1])
    blank = get_form(admin, url, "sitesettings_form").data()
    for n, payload in enumerate(payloads):
        entries = [Entry(ROUTE, "site title", payload), Entry(ROUTE, "site tagline", payload)]
        response = admin.post(url, {**blank, "title": payload.text, "tagline": payload.text})
        if response.status_code != 302:
            check_markup(
                ledger,
                f"admin site settings shown again ({response.status_code})",
                response.content.decode(),
                entries,
            )
            response = admin.post(url, {**blank, "title": "Site", "tagline": payload.text})
        # The search page prints the site's header and nothing stored besides.
        check_page(ledger, reader, "/search/", entries, label="page with the site settings")
        check_feed(ledger, reader, "/feed/atom/", entries)
        if n % BROWSER_SAMPLE == 0:
            check_in_browser(ledger, page, base_url + "/search/", entries)
    for field in ("site title", "site tagline"):
        tally.payloads_tried(f"{ROUTE}: {field}", len(payloads))
