"""A small site for the fuzz tests to aim at, and the values in it that URL parameters can
take, so generated requests reach real articles, terms and pages as well as 404s."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from broadsheet.comments.avatars import avatar_key
from broadsheet.comments.models import Comment
from broadsheet.comments.notifications import unsubscribe_token
from broadsheet.content.models import Article
from broadsheet.feeds.sitemaps import SITEMAPS
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, PageFactory, TagFactory

RESPONSE_BOUND_SECONDS = 5.0  # in-process, on a shared machine; the served test is stricter


def build_site() -> tuple[Article, dict[str, list[str]]]:
    """One article with a category, a tag, comments and standing pages; the known values."""
    parent = CategoryFactory(slug="news")
    category = CategoryFactory(slug="defence", parent=parent)
    tag = TagFactory(slug="nato")
    article = ArticleFactory(slug="frigates", categories=[category], tags=[tag])
    comment = CommentFactory(article=article, status=Comment.Status.APPROVED)
    CommentFactory(article=article, status=Comment.Status.APPROVED, parent=comment)
    about = PageFactory(slug="about")
    nested = PageFactory(slug="history", parent=about)
    day = timezone.localdate(article.published_at)
    article_path = article.get_absolute_url().strip("/") + "/"
    roots = [
        article_path,
        f"category/{category.path}/",
        f"tag/{tag.slug}/",
        f"author/{article.author.slug}/",
        "",
    ]
    known = {
        "year": [f"{day.year:04d}"],
        "month": [f"{day.month:02d}"],
        "day": [f"{day.day:02d}"],
        "slug": [article.slug, tag.slug, article.author.slug],
        "path": [category.path, about.path, nested.path, "news/defence/page/2"],
        "pk": [str(article.pk)],
        "page": ["1", "2"],
        "comment_page": ["1", "2"],
        "token": [unsubscribe_token(comment)],
        "section": sorted(SITEMAPS),
        "key": [avatar_key(comment.author_email, comment.author_name)],
        "#paths": [
            root + suffix for root in roots for suffix in ("feed/", "feed/atom/", "feed/json/")
        ],
    }
    return article, known


def timed_request(
    client: Client, method: str, url: str, *, described: object = None, **extra: Any
) -> tuple[HttpResponse, bytes]:
    """The response and its whole body; a view's exception or a slow answer fails the test
    with the request that caused it (``described``, or the request's extra arguments)."""
    described = extra if described is None else described
    started = time.perf_counter()
    try:
        response = client.generic(method, url, **extra)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    except Exception as error:  # noqa: BLE001 - an exception escaping a view is the finding
        raise AssertionError(
            f"{method} {url} {described}: {type(error).__name__}: {error}"
        ) from error
    elapsed = time.perf_counter() - started
    assert elapsed < RESPONSE_BOUND_SECONDS, f"{method} {url} {described}: {elapsed:.1f} s"
    return response, body


def assert_no_server_error(
    method: str, url: str, extra: dict[str, Any], response: HttpResponse, body: bytes
) -> None:
    assert response.status_code < 500, f"{method} {url} {extra}: {response.status_code}"
    assert b"Traceback (most recent call last)" not in body, f"{method} {url} {extra}: traceback"
