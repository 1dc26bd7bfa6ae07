"""Shared set-up for the comment tests: discussion settings, and posting the rendered form.

Every post goes through the form as the article page renders it (``read_form``), so a test
submits exactly what a browser would, hidden fields and signed form token included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.content.models import Article
from tests.html import Element, HtmlForm, parse_html, read_form

FORM_ID = "commentform"
VALID_COMMENT = {
    "comment": "The frigate programme is two years late; the article explains why.",
    "author": "Ada Lovelace",
    "email": "ada@example.org",
}


def configure_discussion(**fields: Any) -> DiscussionSettings:
    """Change the discussion settings row; saving it drops the cached copy (a post_save hook)."""
    options, _ = DiscussionSettings.objects.update_or_create(pk=1, defaults=fields)
    return options


@pytest.fixture
def discussion(db: None) -> Callable[..., DiscussionSettings]:
    """Settings under which a test can post at once and repeatedly: no minimum writing time,
    no flood interval. Tests about those defences switch them back on through the returned
    ``configure_discussion``."""
    configure_discussion(min_seconds_to_write=0, flood_seconds=0)
    return configure_discussion


def comment_form(response: HttpResponse) -> HtmlForm:
    return read_form(response.content, FORM_ID)


def form_element(response: HttpResponse) -> Element:
    return parse_html(response.content).find("form", id=FORM_ID)


def post_rendered_form(client: Client, page: HttpResponse, **changes: str | None) -> HttpResponse:
    """Submit the comment form of an already rendered ``page`` with ``changes`` typed in."""
    action = form_element(page).attrs["action"]
    assert action
    return client.post(action, comment_form(page).data(**changes))


def post_comment(
    client: Client, article: Article, *, page_url: str | None = None, **changes: str | None
) -> HttpResponse:
    """Load the article page (or ``page_url``), fill in a valid comment with ``changes`` applied
    (``None`` leaves a field out of the request) and submit it."""
    page = client.get(page_url or article.get_absolute_url())
    assert page.status_code == 200
    return post_rendered_form(client, page, **{**VALID_COMMENT, **changes})


def posted_comment(response: HttpResponse) -> Comment:
    """The comment a successful post redirected to (``…#comment-N``)."""
    assert response.status_code == 303, response.status_code
    fragment = response["Location"].rsplit("#comment-", 1)[1]
    return Comment.objects.get(pk=int(fragment))


def add_comment(
    article: Article,
    *,
    parent: Comment | None = None,
    status: str = Comment.Status.APPROVED,
    **fields: Any,
) -> Comment:
    """A stored comment, threaded under ``parent`` as posting would thread it."""
    fields.setdefault("author_name", "Grace Hopper")
    fields.setdefault("author_email", "grace@example.org")
    fields.setdefault("body", f"Comment {Comment.objects.count() + 1} on the story.")
    return Comment.objects.create(
        article=article,
        parent=parent,
        thread=(parent.thread or parent) if parent else None,
        depth=parent.depth + 1 if parent else 1,
        status=status,
        **fields,
    )
