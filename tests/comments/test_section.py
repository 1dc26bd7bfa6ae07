"""The comment section under an article: who sees what, threads, replies, pages, the
remembered commenter, and a query count that does not grow with the number of comments."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.core import signing
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from broadsheet.comments import visitors
from broadsheet.comments.avatars import avatar_key
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.moderation import set_status
from broadsheet.comments.rendering import render_comment
from broadsheet.content.models import Article
from tests.comments.conftest import (
    add_comment,
    comment_form,
    post_comment,
    posted_comment,
)
from tests.factories import ArticleFactory, UserFactory
from tests.html import Element, parse_html

Configure = Callable[..., DiscussionSettings]
Status = Comment.Status
AWAITING = "Your comment is awaiting moderation."


def document_of(client: Client, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return parse_html(response.content)


def comment_item(document: Element, comment: Comment) -> Element:
    return document.find("li", id=f"comment-{comment.pk}")


def shown_ids(document: Element) -> list[int]:
    """Comment ids in page order."""
    return [
        int(item_id.removeprefix("comment-"))
        for item in document.find_all("li")
        if (item_id := item.attrs.get("id") or "").startswith("comment-")
    ]


def child_elements(element: Element) -> list[Element]:
    return [child for child in element.children if isinstance(child, Element)]


def replies_listed_under(item: Element) -> list[str]:
    """The ids of the comments nested directly under a comment's ``<li>``."""
    nested = [child for child in child_elements(item) if child.tag == "ol"]
    if not nested:
        return []
    (children,) = nested
    assert "children" in (children.attrs["class"] or "").split()
    return [child.attrs["id"] or "" for child in child_elements(children)]


# Held comments


def test_held_comment_is_shown_to_its_author_marked_as_awaiting_moderation(
    client: Client, article: Article, discussion: Configure
) -> None:
    response = post_comment(client, article)
    comment = posted_comment(response)
    assert comment.status == Status.PENDING
    cookie = response.cookies[visitors.PENDING_COOKIE]
    assert cookie["httponly"] is True

    item = comment_item(document_of(client, article.get_absolute_url()), comment)
    assert "comment--pending" in (item.attrs["class"] or "").split()
    assert item.find("p", class_="comment-awaiting-moderation").text == AWAITING
    assert item.find("div", class_="comment-content").find("p").text == comment.body
    assert item.find_all("a", class_="comment-reply-link") == []


def test_held_comment_is_hidden_from_everyone_else(
    client: Client, article: Article, discussion: Configure
) -> None:
    comment = posted_comment(post_comment(client, article))
    stranger = document_of(Client(), article.get_absolute_url())
    assert comment.pk not in shown_ids(stranger)
    assert stranger.find_all(class_="comment-awaiting-moderation") == []
    assert stranger.find("h2", id="comments-title").text == "Comments"


def test_tampered_pending_cookie_reveals_nothing(
    client: Client, article: Article, discussion: Configure
) -> None:
    held = add_comment(article, status=Status.PENDING)
    client.cookies[visitors.PENDING_COOKIE] = f"[{held.pk}]"
    assert held.pk not in shown_ids(document_of(client, article.get_absolute_url()))


def test_approved_comment_is_shown_to_everyone_without_the_moderation_note(
    client: Client, article: Article, discussion: Configure
) -> None:
    comment = posted_comment(post_comment(client, article))
    set_status(comment, Status.APPROVED)
    for viewer in (client, Client()):
        document = document_of(viewer, article.get_absolute_url())
        item = comment_item(document, comment)
        assert item.find_all(class_="comment-awaiting-moderation") == []
        assert item.find(class_="fn").text == comment.author_name
        title = f"One response to “{article.title}”"
        assert document.find("h2", id="comments-title").text == title


def test_comment_author_links_to_their_website_as_external_nofollow_ugc(
    client: Client, article: Article, discussion: Configure
) -> None:
    comment = add_comment(article, author_url="https://grace.example.org/")
    link = comment_item(document_of(client, article.get_absolute_url()), comment).find(class_="fn")
    anchor = link.find("a")
    assert anchor.attrs["href"] == "https://grace.example.org/"
    assert set((anchor.attrs["rel"] or "").split()) == {"external", "nofollow", "ugc"}


# Threads and replies


def test_replies_are_nested_under_their_parents(
    client: Client, article: Article, discussion: Configure
) -> None:
    first = add_comment(article)
    reply = add_comment(article, parent=first)
    reply_to_reply = add_comment(article, parent=reply)
    second = add_comment(article)
    late_reply = add_comment(article, parent=first)  # newer than `second`, still under `first`

    document = document_of(client, article.get_absolute_url())
    top_level = child_elements(document.find("ol", class_="comment-list"))
    assert [item.attrs["id"] for item in top_level] == [
        f"comment-{first.pk}",
        f"comment-{second.pk}",
    ]
    first_item = comment_item(document, first)
    assert replies_listed_under(first_item) == [f"comment-{reply.pk}", f"comment-{late_reply.pk}"]
    assert replies_listed_under(comment_item(document, reply)) == [f"comment-{reply_to_reply.pk}"]
    assert replies_listed_under(comment_item(document, second)) == []


def test_reply_to_a_held_comment_is_shown_under_its_thread(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(thread_depth=3)
    root = add_comment(article)
    held = add_comment(article, parent=root, status=Status.PENDING)
    answer = add_comment(article, parent=held)
    document = document_of(client, article.get_absolute_url())
    assert replies_listed_under(comment_item(document, root)) == [f"comment-{answer.pk}"]
    assert held.pk not in shown_ids(document)
    # Shown one level up, but at the deepest level all the same: no reply link, as for others.
    assert answer.depth == 3
    assert comment_item(document, answer).find_all("a", class_="comment-reply-link") == []


def test_every_approved_comment_has_a_reply_link_whose_page_search_engines_fold_back(
    client: Client, article: Article, discussion: Configure
) -> None:
    """No rel=nofollow on 100 links (bytes on every page): the ``?replytocom`` page names the
    article as its canonical address, so a crawler following one indexes nothing new."""
    comment = add_comment(article)
    link = comment_item(document_of(client, article.get_absolute_url()), comment).find(
        "a", class_="comment-reply-link"
    )
    assert link.attrs["href"] == f"?replytocom={comment.pk}#respond"
    assert link.text == "Reply"
    assert link.attrs["aria-label"] == f"Reply to {comment.author_name}"
    reply_page = document_of(client, f"{article.get_absolute_url()}?replytocom={comment.pk}")
    canonical = reply_page.find("link", rel="canonical").attrs["href"]
    assert canonical.endswith(article.get_absolute_url()) and "replytocom" not in canonical


def test_replytocom_page_offers_a_reply_to_that_comment(
    client: Client, article: Article, discussion: Configure
) -> None:
    comment = add_comment(article, author_name="Grace Hopper")
    response = client.get(f"{article.get_absolute_url()}?replytocom={comment.pk}")
    document = parse_html(response.content)
    title = document.find("h2", id="reply-title")
    assert title.children[0].strip() == "Leave a Reply to Grace Hopper"
    cancel = title.find("a", id="cancel-comment-reply-link")
    assert "hidden" not in cancel.attrs
    assert cancel.attrs["href"] == f"{article.get_absolute_url()}#respond"
    assert comment_form(response).values["comment_parent"] == [str(comment.pk)]


def test_replying_through_the_replytocom_page_threads_the_reply(
    client: Client, article: Article, discussion: Configure
) -> None:
    parent = add_comment(article)
    page = f"{article.get_absolute_url()}?replytocom={parent.pk}"
    reply = posted_comment(post_comment(client, article, page_url=page))
    assert (reply.parent, reply.depth) == (parent, 2)


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM])
def test_replytocom_naming_an_unpublished_comment_offers_a_plain_form(
    client: Client, article: Article, discussion: Configure, status: str
) -> None:
    hidden = add_comment(article, status=status)
    response = client.get(f"{article.get_absolute_url()}?replytocom={hidden.pk}")
    title = parse_html(response.content).find("h2", id="reply-title")
    assert title.children[0].strip() == "Leave a Reply"
    assert comment_form(response).values["comment_parent"] == ["0"]


def test_no_reply_link_at_the_deepest_level(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(thread_depth=2)
    root = add_comment(article)
    deepest = add_comment(article, parent=root)
    document = document_of(client, article.get_absolute_url())
    assert comment_item(document, root).find_all("a", class_="comment-reply-link")
    deepest_body = comment_item(document, deepest).find("article")
    assert deepest_body.find_all("a", class_="comment-reply-link") == []
    response = client.get(f"{article.get_absolute_url()}?replytocom={deepest.pk}")
    assert comment_form(response).values["comment_parent"] == ["0"]


def test_closed_article_keeps_its_comments_but_offers_no_reply_links(
    client: Client, article: Article, discussion: Configure
) -> None:
    comment = add_comment(article)
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    document = document_of(client, article.get_absolute_url())
    assert comment_item(document, comment).find_all("a", class_="comment-reply-link") == []


# Pages of comments


def threads_with_replies(article: Article, count: int) -> list[tuple[Comment, Comment]]:
    """``count`` top-level comments, oldest first, each with one reply."""
    threads = []
    for number in range(count):
        root = add_comment(article, body=f"Thread {number}.")
        threads.append((root, add_comment(article, parent=root, body=f"Reply {number}.")))
    return threads


def pagination(document: Element) -> dict[str, str]:
    nav = document.find("nav", class_="comment-pagination")
    return {link.attrs["rel"] or "": link.attrs["href"] or "" for link in nav.find_all("a")}


def test_first_page_holds_the_oldest_threads_with_their_replies(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(threads_per_page=2)
    threads = threads_with_replies(article, 5)
    document = document_of(client, article.get_absolute_url())
    expected = [comment.pk for thread in threads[:2] for comment in thread]
    assert shown_ids(document) == expected
    assert pagination(document) == {"next": f"{article.get_absolute_url()}comment-page-2/#comments"}
    assert document.find("h2", id="comments-title").text == f"10 responses to “{article.title}”"


def test_newest_first_order_puts_the_newest_threads_on_the_first_page(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(threads_per_page=2, order=DiscussionSettings.Order.NEWEST_FIRST)
    threads = threads_with_replies(article, 5)
    document = document_of(client, article.get_absolute_url())
    expected = [comment.pk for thread in (threads[4], threads[3]) for comment in thread]
    assert shown_ids(document) == expected


def test_one_page_of_threads_shows_no_pagination(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(threads_per_page=5)
    threads_with_replies(article, 5)  # 10 comments, but five threads
    document = document_of(client, article.get_absolute_url())
    assert document.find_all("nav", class_="comment-pagination") == []


def test_second_page_is_reached_by_following_the_later_comments_link(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(threads_per_page=2)
    threads = threads_with_replies(article, 5)
    first = document_of(client, article.get_absolute_url())
    second = document_of(client, pagination(first)["next"])
    assert shown_ids(second) == [comment.pk for thread in threads[2:4] for comment in thread]
    assert pagination(second) == {
        "prev": f"{article.get_absolute_url()}#comments",
        "next": f"{article.get_absolute_url()}comment-page-3/#comments",
    }
    last = document_of(client, pagination(second)["next"])
    assert shown_ids(last) == [comment.pk for comment in threads[4]]


def test_comment_page_past_the_end_is_not_found(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(threads_per_page=2)
    threads_with_replies(article, 3)
    assert client.get(f"{article.get_absolute_url()}comment-page-2/").status_code == 200
    assert client.get(f"{article.get_absolute_url()}comment-page-3/").status_code == 404
    # Far past any 64-bit offset: still a 404, never a database error.
    huge = f"{article.get_absolute_url()}comment-page-{10**30}/"
    assert client.get(huge).status_code == 404
    held = add_comment(article, status=Comment.Status.PENDING)  # the visitor's own, held
    client.cookies[visitors.PENDING_COOKIE] = signing.dumps([held.pk], salt=visitors.PENDING_SALT)
    assert client.get(huge).status_code == 404


# A fixed number of queries


def bulk_threads(article: Article, threads: int, replies_per_thread: int) -> int:
    """Approved comments stored in bulk: each thread a root and a chain of replies under it."""
    body = "A thoughtful comment about the frigate programme, https://example.org/ included."
    shared = {
        "article": article,
        "author_email": "reader@example.org",
        "avatar_key": avatar_key("reader@example.org"),
        "body": body,
        "body_html": render_comment(body),
        "status": Status.APPROVED,
    }
    roots = Comment.objects.bulk_create(
        [Comment(author_name=f"Reader {n}", **shared) for n in range(threads)]
    )
    previous = {root.pk: root for root in roots}
    for level in range(2, replies_per_thread + 2):
        created = Comment.objects.bulk_create(
            [
                Comment(
                    author_name=f"Replier {root.pk}-{level}",
                    parent=previous[root.pk],
                    thread=root,
                    depth=level,
                    **shared,
                )
                for root in roots
            ]
        )
        previous = {reply.thread_id: reply for reply in created}
    return Comment.objects.filter(article=article).count()


def article_page_queries(client: Client, article: Article) -> tuple[int, HttpResponse]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.usefixtures("no_page_cache")
def test_article_with_5000_comments_takes_as_many_queries_as_one_with_5(
    client: Client, discussion: Configure
) -> None:
    small, large = ArticleFactory(), ArticleFactory()
    assert bulk_threads(small, threads=1, replies_per_thread=4) == 5
    assert bulk_threads(large, threads=1000, replies_per_thread=4) == 5000
    client.get(ArticleFactory().get_absolute_url())  # the settings are now cached

    small_queries, _ = article_page_queries(client, small)
    started = time.perf_counter()
    large_queries, response = article_page_queries(client, large)
    elapsed = time.perf_counter() - started
    # Seen again unchanged, the comment list is not read again (comments/listing.py).
    small_again, _ = article_page_queries(client, small)
    large_again, again = article_page_queries(client, large)

    assert large_queries == small_queries
    assert large_again == small_again == small_queries - 1
    assert shown_ids(parse_html(again.content)) == shown_ids(parse_html(response.content))
    document = parse_html(response.content)
    assert len(shown_ids(document)) == 50 * 5  # one page of threads, replies included
    assert document.find("h2", id="comments-title").text == f"5000 responses to “{large.title}”"
    # About 0.3 s on a laptop (250 comments shown); the bound catches work that grows with
    # the 5,000, not a slow machine.
    assert elapsed < 3.0, f"the page took {elapsed:.2f} s"


@pytest.mark.usefixtures("no_page_cache")
def test_commenter_with_held_comments_costs_two_queries_more_whatever_the_count(
    client: Client, discussion: Configure
) -> None:
    """Their section reads the page's rows and their held comments on its own (the others'
    counts ride along with the neighbours' statement), and no more for a second held one."""
    article = ArticleFactory()
    bulk_threads(article, threads=3, replies_per_thread=1)
    client.get(article.get_absolute_url())
    anonymous, _ = article_page_queries(client, article)
    posted_comment(post_comment(client, article))
    one_held, _ = article_page_queries(client, article)
    posted_comment(post_comment(client, article, comment="And a second held thought."))
    two_held, _ = article_page_queries(client, article)
    assert one_held == two_held == anonymous + 2


# Remembering the commenter


def test_ticked_consent_box_remembers_the_commenter_in_an_httponly_cookie(
    client: Client, article: Article, discussion: Configure
) -> None:
    response = post_comment(client, article, url="https://ada.example.org/", cookies_consent="on")
    cookie = response.cookies[visitors.COMMENTER_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == visitors.COMMENTER_MAX_AGE
    assert cookie["samesite"] == "Lax"

    values = comment_form(client.get(article.get_absolute_url())).values
    assert values["author"] == ["Ada Lovelace"]
    assert values["email"] == ["ada@example.org"]
    assert values["url"] == ["https://ada.example.org/"]
    assert values["cookies_consent"] == ["on"]
    assert values["comment"] == [""]


def test_unticked_consent_box_sets_no_commenter_cookie(
    client: Client, article: Article, discussion: Configure
) -> None:
    response = post_comment(client, article)
    assert visitors.COMMENTER_COOKIE not in response.cookies
    values = comment_form(client.get(article.get_absolute_url())).values
    assert values["author"] == [""]
    assert "cookies_consent" not in values


def test_unticking_the_consent_box_deletes_the_commenter_cookie(
    client: Client, article: Article, discussion: Configure
) -> None:
    post_comment(client, article, cookies_consent="on")
    response = post_comment(client, article, comment="Changed my mind.", cookies_consent=None)
    assert response.status_code == 303
    deleted = response.cookies[visitors.COMMENTER_COOKIE]
    assert deleted.value == ""
    assert deleted["max-age"] == 0
    values = comment_form(client.get(article.get_absolute_url())).values
    assert (values["author"], values["email"]) == ([""], [""])


def test_tampered_commenter_cookie_is_ignored(
    client: Client, article: Article, discussion: Configure
) -> None:
    client.cookies[visitors.COMMENTER_COOKIE] = '{"author": "Mallory"}'
    values = comment_form(client.get(article.get_absolute_url())).values
    assert values["author"] == [""]


def test_signed_in_user_sees_logged_in_as_instead_of_name_fields(
    client: Client, article: Article, discussion: Configure
) -> None:
    client.force_login(UserFactory(first_name="Ada", last_name="Lovelace", is_staff=False))
    response = client.get(article.get_absolute_url())
    document = parse_html(response.content)
    assert document.find("p", class_="logged-in-as").text.startswith("Logged in as Ada Lovelace")
    assert document.find_all(class_="comment-notes") == []
    assert {"author", "email", "url", "cookies_consent"}.isdisjoint(comment_form(response).names)


def test_signed_in_user_gets_no_commenter_cookie(
    client: Client, article: Article, discussion: Configure
) -> None:
    client.force_login(UserFactory(is_staff=False))
    response = post_comment(client, article, author=None, email=None, cookies_consent="on")
    assert response.status_code == 303
    assert visitors.COMMENTER_COOKIE not in response.cookies
