"""A database that refuses writes (disk full, file made read-only, a read-only transaction):
a comment post is answered 503 with the form as the reader filled it in, and nothing of the
comment is stored or sent.

The refusal is the database's own: SQLite's ``query_only`` pragma or PostgreSQL's read-only
transaction on the connection the request uses, so the error is the one a failing machine
raises (SQLite: "attempt to write a readonly database"; PostgreSQL: SQLSTATE 25006).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article
from broadsheet.outbox.models import Mail
from tests.comments.conftest import VALID_COMMENT, comment_form, form_element
from tests.html import parse_html

ENDPOINTS = ["/comments/post/", "/wp-comments-post.php"]
TYPED = {
    **VALID_COMMENT,
    "comment": "Line one ¯\\_(ツ)_/¯\n\nand a second paragraph",
    "url": "https://ada.example.org",
}


@pytest.fixture
def read_only_database(db: None) -> Iterator[None]:
    """From here on the connection refuses every write, as a full or read-only disk would."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        yield
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
        return
    # Inside a savepoint: rolling back to it undoes the setting, so the test's own teardown
    # (which checks deferred constraints) runs read-write again.
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET transaction_read_only = on")
    yield
    transaction.savepoint_rollback(savepoint)


@pytest.fixture
def page(client: Client, article: Article, discussion: object) -> HttpResponse:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_comment_posted_while_the_database_cannot_write_comes_back_with_a_503(
    client: Client,
    page: HttpResponse,
    endpoint: str,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
) -> None:
    data = comment_form(page).data(**TYPED)
    request.getfixturevalue("read_only_database")
    client.raise_request_exception = False
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(endpoint, data)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    errors = parse_html(response.content).find(id="comment-errors")
    assert "try posting it again shortly" in " ".join(errors.text.split())
    values = comment_form(response).values
    for name, typed in TYPED.items():
        assert values[name] == [typed], name
    assert form_element(response).find(name="form_token").attrs["value"]
    assert callbacks == []  # no notification waiting for a commit that never came
    assert not Comment.objects.exists()
    assert not Mail.objects.exists()  # nor a notification in the outbox
