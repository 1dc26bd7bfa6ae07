"""An address holding a control character is a designed 404 on both databases (PostgreSQL
refuses NUL in a query: it was a 500), found by the security suite's fuzzing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/%00/",
    "/x%00y/",
    "/tag/%00/",
    "/author/%00/",
    "/category/a%00/",
    "/comments/unsubscribe/%00/",
    "/media/a%00",
    "/2026/12/06/%00/comment-page-1/",
    "/about%01/",
    "/tag/news%7f/",
]


@pytest.mark.parametrize("path", PATHS)
def test_an_address_with_a_control_character_is_not_found(client: Client, path: str) -> None:
    ArticleFactory(status="published")
    CategoryFactory(slug="a")
    TagFactory(slug="news")
    response = client.get(path)
    assert response.status_code == 404
    assert b"<html" in response.content.lower()
