"""Comment posts from other sites are refused, though readers' forms carry no CSRF token
(their pages are cached for everyone): the browser's Origin, else Referer, must be ours."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article
from tests.comments.conftest import comment_form, post_rendered_form
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("discussion")


def post_with(client: Client, article: Article, **headers: str):  # type: ignore[no-untyped-def]
    page = client.get(article.get_absolute_url())
    data = comment_form(page).data(
        comment="From somewhere.", author="Reader", email="reader@example.org"
    )
    return client.post("/comments/post/", data, **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        {"HTTP_REFERER": "https://evil.example/page-with-a-form/"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_REFERER": "http://testserver/"},
    ],
    ids=["other-origin", "opaque-origin", "lookalike-host", "other-referer", "origin-wins"],
)
def test_a_readers_post_from_another_site_is_refused(
    client: Client, article: Article, headers: dict[str, str]
) -> None:
    response = post_with(client, article, **headers)
    assert response.status_code == 403
    assert not Comment.objects.filter(article=article).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/2026/01/01/story/"},
        {"HTTP_ORIGIN": "http://127.0.0.1:8000"},  # the site's address (CSRF_TRUSTED_ORIGINS)
        {},  # no browser sent it: nothing to forge
    ],
    ids=["same-origin", "same-referer", "trusted-origin", "no-headers"],
)
def test_a_readers_post_from_this_site_is_accepted(
    client: Client, article: Article, headers: dict[str, str]
) -> None:
    response = post_with(client, article, **headers)
    assert response.status_code == 303
    assert Comment.objects.filter(article=article).count() == 1


def test_a_signed_in_users_post_needs_the_csrf_token(article: Article) -> None:
    user = UserFactory(is_staff=False)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get(article.get_absolute_url())
    data = comment_form(page).data(comment="Signed in and posting.")
    assert data.get("csrfmiddlewaretoken")
    forged = {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"}
    assert browser.post("/comments/post/", forged).status_code == 403
    assert post_rendered_form(browser, page, comment="Signed in and posting.").status_code == 303
