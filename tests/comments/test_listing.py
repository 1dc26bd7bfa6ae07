"""The comment list is built once per version of its rows (``comments/listing.py``): every way
a comment can change shows on the very next view, with the page cache off, in the same process
that built the list before."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from broadsheet.comments import listing
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.moderation import delete_comment, set_status, staff_reply
from broadsheet.content.models import Article
from tests.comments.conftest import add_comment
from tests.factories import ArticleFactory, UserFactory
from tests.html import Element, parse_html

pytestmark = pytest.mark.usefixtures("no_page_cache")
Configure = Callable[..., DiscussionSettings]
Status = Comment.Status


def comment_list(article: Article) -> Element | None:
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    found = parse_html(response.content).find_all("ol", class_="comment-list")
    return found[0] if found else None


def children(element: Element, tag: str) -> list[Element]:
    return [c for c in element.children if isinstance(c, Element) and c.tag == tag]


def thread_shape(article: Article) -> list[tuple[int, int]]:
    """(comment id, nesting level) of every comment shown, in page order."""
    found = comment_list(article)
    if found is None:
        return []
    shape: list[tuple[int, int]] = []

    def walk(items: Element, level: int) -> None:
        for item in children(items, "li"):
            shape.append((int((item.attrs["id"] or "").removeprefix("comment-")), level))
            for nested in children(item, "ol"):
                walk(nested, level + 1)

    walk(found, 1)
    return shape


@pytest.fixture
def article(db: None, discussion: Configure) -> Article:
    return ArticleFactory()


def test_moderating_a_comment_shows_on_the_next_view(article: Article) -> None:
    first = add_comment(article)
    held = add_comment(article, status=Status.PENDING)
    assert thread_shape(article) == [(first.pk, 1)]

    set_status(held, Status.APPROVED)
    assert thread_shape(article) == [(first.pk, 1), (held.pk, 1)]

    set_status(first, Status.SPAM)
    assert thread_shape(article) == [(held.pk, 1)]


def test_deleting_a_comment_lifts_its_replies_on_the_next_view(article: Article) -> None:
    top = add_comment(article)
    middle = add_comment(article, parent=top)
    reply = add_comment(article, parent=middle)
    assert thread_shape(article) == [(top.pk, 1), (middle.pk, 2), (reply.pk, 3)]

    delete_comment(middle)
    assert thread_shape(article) == [(top.pk, 1), (reply.pk, 2)]

    delete_comment(top)
    assert thread_shape(article) == [(reply.pk, 1)]


def test_a_staff_reply_and_a_deleted_row_show_on_the_next_view(article: Article) -> None:
    question = add_comment(article, body="When is the frigate due?")
    assert thread_shape(article) == [(question.pk, 1)]
    answer = staff_reply(question, UserFactory(is_staff=True), "In 2028.")
    assert thread_shape(article) == [(question.pk, 1), (answer.pk, 2)]

    Comment.objects.filter(pk=answer.pk).delete()  # no moderation function, no signal needed
    assert thread_shape(article) == [(question.pk, 1)]


def test_an_edited_comment_shows_its_new_text_on_the_next_view(article: Article) -> None:
    # Same rows, same order: only the comment's ``updated_at`` tells the lists apart.
    comment = add_comment(article, body="The frigate is due in 2027.")
    assert "due in 2027" in comment_text(article, comment)
    comment.body = "Correction: the frigate is due in 2028."
    comment.save()
    assert comment_text(article, comment) == "Correction: the frigate is due in 2028."


def comment_text(article: Article, comment: Comment) -> str:
    found = comment_list(article)
    assert found is not None
    item = found.find("li", id=f"comment-{comment.pk}")
    return item.find("div", class_="comment-content").text.strip()


def test_a_change_of_discussion_settings_reshapes_the_list_at_once(
    article: Article, discussion: Configure
) -> None:
    older = add_comment(article)
    newer = add_comment(article)
    reply = add_comment(article, parent=older)
    assert thread_shape(article) == [(older.pk, 1), (reply.pk, 2), (newer.pk, 1)]

    discussion(order=DiscussionSettings.Order.NEWEST_FIRST)
    assert thread_shape(article) == [(newer.pk, 1), (older.pk, 1), (reply.pk, 2)]

    discussion(threads_per_page=1)
    assert thread_shape(article) == [(newer.pk, 1)]


def test_two_articles_never_share_a_list(db: None, discussion: Configure) -> None:
    first, second = ArticleFactory(), ArticleFactory()
    one = add_comment(first, body="On the first story.")
    other = add_comment(second, body="On the second story.")
    assert thread_shape(first) == [(one.pk, 1)]
    assert thread_shape(second) == [(other.pk, 1)]


def test_the_store_of_built_lists_stays_bounded(
    db: None, discussion: Configure, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "BUILT_LISTS", listing.BUILT_LISTS.__class__())
    monkeypatch.setattr(listing, "MAX_BUILT_LISTS", 3)
    articles = [ArticleFactory() for _ in range(5)]
    for article in articles:
        add_comment(article)
        assert comment_list(article) is not None
    assert len(listing.BUILT_LISTS) == 3
    # The oldest went first; the first article's list is built again, correctly.
    assert [key[0] for key in listing.BUILT_LISTS] == [a.pk for a in articles[2:]]
    assert len(thread_shape(articles[0])) == 1
