"""Posting a comment as a reader does, for the outbox's tests."""

from __future__ import annotations

from django.test import Client

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.content.models import Article
from tests.factories import ArticleFactory, AuthorFactory, user_with_role
from tests.html import parse_html, read_form

MODERATOR = "editor@example.org"


def held_comments_site() -> Article:
    """Every comment held, so each one mails the one moderator; an article to comment on."""
    DiscussionSettings.objects.update_or_create(
        pk=1,
        defaults={
            "moderation": DiscussionSettings.Moderation.HOLD_ALL,
            "min_seconds_to_write": 0,
            "flood_seconds": 0,
            "hourly_limit_per_ip": 0,
        },
    )
    return ArticleFactory(author=AuthorFactory(user=user_with_role("Editor", email=MODERATOR)))


def post_comment(client: Client, article: Article, **fields: str) -> Comment:
    """Load the article, fill in its form, send it; the 303 points at the stored comment."""
    page = client.get(article.get_absolute_url())
    form = read_form(page.content, "commentform")
    action = parse_html(page.content).find("form", id="commentform").attrs["action"]
    response = client.post(action, form.data(**fields))
    assert response.status_code == 303, response.content.decode()[:2000]
    return Comment.objects.get(pk=response["Location"].rpartition("#comment-")[2])
