"""Every XSS payload through every field of the public comment form, then looked for where
the comment shows: the article page (parsed, and in Chromium with the CSP off), the form shown
again after a refusal, every comment feed's HTML fields, and the admin's comment screens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import form_timestamp
from broadsheet.content.models import Article
from tests.factories import ArticleFactory
from tests.security import tally
from tests.security.browsing import sign_in_browser, staff_client
from tests.security.conftest import browser_walk_once
from tests.security.exposure import (
    FEED_SUFFIXES,
    Entry,
    Ledger,
    check_feed,
    check_in_browser,
    check_markup,
    check_page,
)
from tests.security.payloads import Payload, all_payloads

pytestmark = [pytest.mark.browser, browser_walk_once]

ROUTE = "comment form"
FEED_ITEMS = 20  # the comment feeds show the newest twenty
ADMIN_SAMPLE = 3


def open_discussion() -> None:
    """Publish whatever passes: the payloads must reach the page, not wait in a queue."""
    DiscussionSettings.objects.update_or_create(
        pk=1,
        defaults={
            "moderation": DiscussionSettings.Moderation.APPROVE_ALL,
            "min_seconds_to_write": 0,
            "flood_seconds": 0,
            "hourly_limit_per_ip": 0,
            "max_links": 0,
            "spam_threshold": 2.0,
            "unsure_threshold": 2.0,
            "threads_per_page": 1000,
        },
    )


def post(client: Client, article: Article, **typed: str) -> Any:
    data = {
        "comment_post_ID": str(article.pk),
        "comment_parent": "0",
        "fax_number": "",
        "form_token": form_timestamp.issue(article.pk),
        "email": "reader@example.org",
        "author": "Reader",
        **typed,
    }
    return client.post(reverse("comments:post"), data)


def stored(response: Any) -> str | None:
    """``comment-N`` for an accepted post, else None."""
    if response.status_code != 303:
        return None
    return response["Location"].rsplit("#", 1)[1]


def test_comment_form_payloads_never_run_script(
    transactional_db: None, live_server: Any, bypass_csp_tab: Any
) -> None:
    open_discussion()
    payloads = all_payloads()
    ledger = Ledger()
    client = Client()
    thread = ArticleFactory(slug="comment-payloads")  # names and comments
    links = ArticleFactory(slug="link-payloads")  # websites
    refused = ArticleFactory(slug="refused-payloads")  # stays empty: the form shown again
    refusals: list[tuple[Payload, str]] = []

    def check_feeds(recent: list[Payload]) -> None:
        shown = [
            entry for payload in recent for entry in entries_for(payload, "author, url, comment")
        ]
        for suffix in FEED_SUFFIXES:
            check_feed(ledger, client, "/comments/" + suffix, shown)
            check_feed(ledger, client, thread.get_absolute_url() + suffix, shown)

    for number, payload in enumerate(payloads, 1):
        key = stored(post(client, thread, author=payload.text, comment=payload.text))
        if key:
            ledger.put(f"#{key}", ROUTE, "author", payload)
            ledger.put(f"#{key}", ROUTE, "comment", payload)
        else:
            for name, typed in (
                ("author", {"author": payload.text, "comment": f"Name test {number}"}),
                ("comment", {"author": f"Reader {number}", "comment": payload.text}),
            ):
                if key := stored(post(client, thread, **typed)):
                    ledger.put(f"#{key}", ROUTE, name, payload)
        link = post(
            client, links, author=f"Linker {number}", comment=f"Link {number}", url=payload.text
        )
        if key := stored(link):
            ledger.put(f"#{key}", ROUTE, "url", payload)
        # Every field at once, with the email as typed: refused, and shown again as typed.
        again = post(
            client,
            refused,
            author=payload.text,
            email=payload.text,
            url=payload.text,
            comment=payload.text,
        )
        if again.status_code != 303:
            html = again.content.decode()
            check_markup(
                ledger,
                f"form shown again ({again.status_code})",
                html,
                entries_for(payload, "author, email, url, comment"),
            )
            refusals.append((payload, html))
        else:
            ledger.put(again["Location"].rsplit("#", 1)[1], ROUTE, "email", payload)
        if number % (FEED_ITEMS // 2) == 0 or number == len(payloads):  # two posts a payload
            check_feeds(list(payloads[max(0, number - FEED_ITEMS // 2) : number]))
    for field in ("author", "email", "url", "comment"):
        tally.payloads_tried(f"{ROUTE}: {field}", len(payloads))

    for comment in Comment.objects.exclude(status=Comment.Status.APPROVED):
        comment.status = Comment.Status.APPROVED
        comment.save()
    for article in (thread, links):
        check_page(ledger, client, article.get_absolute_url(), label="article with the comments")
        check_in_browser(ledger, bypass_csp_tab, live_server.url + article.get_absolute_url())
    # The forms shown again, side by side in one document: one page load for them all.
    shown_again = "".join(main_part(html) for _, html in refusals)
    every = [entry for payload, _ in refusals for entry in entries_for(payload, "every field")]
    check_in_browser(
        ledger,
        bypass_csp_tab,
        "the forms shown again after refusals",
        every,
        html=f"<!doctype html><body>{shown_again}</body>",
    )

    admin = staff_client()
    sign_in_browser(bypass_csp_tab, admin, live_server.url)
    changelist = reverse("admin:comments_comment_changelist")
    pages = -(-Comment.objects.count() // 50)
    for number in range(pages):
        url = f"{changelist}?p={number + 1}" if number else changelist
        check_page(ledger, admin, url, label="admin comment list")
        check_in_browser(ledger, bypass_csp_tab, live_server.url + url)
    # Django's admin escapes every field the same way: one comment in three keeps this short.
    for comment in Comment.objects.order_by("pk")[::ADMIN_SAMPLE]:
        url = reverse("admin:comments_comment_change", args=[comment.pk])
        check_page(
            ledger, admin, url, ledger.entries.get(f"#comment-{comment.pk}"), label="admin comment"
        )
    ledger.assert_clean()


def entries_for(payload: Payload, fields: str) -> list[Entry]:
    return [Entry(ROUTE, fields, payload)]


def main_part(html: str) -> str:
    """The page's <main> element as served: the article, the refusal message and the form."""
    start = html.index("<main")
    return html[start : html.index("</main>", start) + len("</main>")]
