"""The state a posted comment starts in (WordPress's ``check_comment`` order) and moderators'
decisions. Comments are posted through the rendered form; the stored row is the verdict."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from broadsheet.comments.models import Comment, DiscussionSettings, SpamCorpus
from broadsheet.comments.moderation import delete_comment, set_status
from broadsheet.content.models import Article
from broadsheet.content.roles import AUTHOR, EDITOR
from tests.comments.conftest import (
    VALID_COMMENT,
    add_comment,
    post_comment,
    post_rendered_form,
    posted_comment,
)
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, user_with_role
from tests.html import parse_html

Configure = Callable[..., DiscussionSettings]
Moderation = DiscussionSettings.Moderation
Status = Comment.Status


@pytest.fixture
def approve_all(discussion: Configure) -> Configure:
    """Publish whatever passes the other rules, so one rule at a time can be seen holding."""
    discussion(moderation=Moderation.APPROVE_ALL)
    return discussion


# Who is held


def test_first_comment_from_a_new_commenter_is_held(
    client: Client, article: Article, discussion: Configure
) -> None:
    assert DiscussionSettings.objects.get().moderation == Moderation.HOLD_FIRST_TIME
    comment = posted_comment(post_comment(client, article))
    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "first comment from this commenter"


def test_commenter_with_an_approved_comment_is_published_at_once(
    client: Client, article: Article, discussion: Configure
) -> None:
    first = posted_comment(post_comment(client, article))
    set_status(first, Status.APPROVED)
    second = posted_comment(post_comment(client, article, comment="Following up on that."))
    assert second.status == Status.APPROVED
    assert second.moderation_reason == "passed every check"


def test_returning_commenter_is_recognised_whatever_the_case_of_their_email(
    client: Client, article: Article, discussion: Configure
) -> None:
    set_status(posted_comment(post_comment(client, article)), Status.APPROVED)
    second = posted_comment(
        post_comment(client, article, comment="Again.", email="ADA@Example.ORG")
    )
    assert second.status == Status.APPROVED


def test_held_first_comment_does_not_make_a_commenter_known(
    client: Client, article: Article, discussion: Configure
) -> None:
    posted_comment(post_comment(client, article))
    second = posted_comment(post_comment(client, article, comment="Still waiting."))
    assert second.status == Status.PENDING


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param({"author": "Someone Else"}, id="other-name"),
        pytest.param({"email": "other@example.org"}, id="other-email"),
    ],
)
def test_approval_counts_only_for_the_same_name_and_email(
    client: Client, article: Article, discussion: Configure, changed: dict[str, str]
) -> None:
    set_status(posted_comment(post_comment(client, article)), Status.APPROVED)
    second = posted_comment(post_comment(client, article, comment="Hello again.", **changed))
    assert second.status == Status.PENDING


def test_hold_all_holds_even_a_returning_commenter(
    client: Client, article: Article, discussion: Configure
) -> None:
    set_status(posted_comment(post_comment(client, article)), Status.APPROVED)
    discussion(moderation=Moderation.HOLD_ALL)
    second = posted_comment(post_comment(client, article, comment="One more point."))
    assert second.status == Status.PENDING
    assert second.moderation_reason == "every comment is held for moderation"


def test_approve_all_publishes_a_first_comment(
    client: Client, article: Article, approve_all: Configure
) -> None:
    comment = posted_comment(post_comment(client, article))
    assert comment.status == Status.APPROVED


# Links and word lists


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("See https://one.example.org/a and https://two.example.org/b", id="bare"),
        pytest.param("See [this](https://one.example.org/a) and www.two.example.org", id="mixed"),
    ],
)
def test_comment_with_two_links_is_held_counting_autolinked_urls(
    client: Client, article: Article, approve_all: Configure, text: str
) -> None:
    comment = posted_comment(post_comment(client, article, comment=text))
    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "it has 2 links"


def test_comment_with_one_link_is_not_held_for_it(
    client: Client, article: Article, approve_all: Configure
) -> None:
    comment = posted_comment(post_comment(client, article, comment="See https://example.org/"))
    assert comment.status == Status.APPROVED


def test_link_limit_of_zero_turns_the_rule_off(
    client: Client, article: Article, approve_all: Configure
) -> None:
    approve_all(max_links=0)
    text = " ".join(f"https://site{number}.example.org/" for number in range(5))
    assert posted_comment(post_comment(client, article, comment=text)).status == Status.APPROVED


MATCHED_FIELDS = [
    pytest.param({"comment": "Visit my CASINO tonight."}, id="text"),
    pytest.param({"author": "Casino King"}, id="name"),
    pytest.param({"email": "king@casino.example"}, id="email"),
    pytest.param({"url": "https://casino.example/"}, id="website"),
]


@pytest.mark.parametrize("typed", MATCHED_FIELDS)
def test_moderation_word_holds_a_comment_whichever_field_contains_it(
    client: Client, article: Article, approve_all: Configure, typed: dict[str, str]
) -> None:
    approve_all(moderation_keys="frigate budget\n  Casino  \n")
    comment = posted_comment(post_comment(client, article, **typed))
    assert comment.status == Status.PENDING
    assert comment.moderation_reason == "contains the moderation word “casino”"


@pytest.mark.parametrize("typed", MATCHED_FIELDS)
def test_disallowed_word_sends_a_comment_to_spam_whichever_field_contains_it(
    client: Client, article: Article, approve_all: Configure, typed: dict[str, str]
) -> None:
    approve_all(disallowed_keys="CaSiNo")
    comment = posted_comment(post_comment(client, article, **typed))
    assert comment.status == Status.SPAM
    assert comment.moderation_reason == "contains the disallowed word “casino”"


def test_disallowed_word_wins_over_a_moderation_word(
    client: Client, article: Article, approve_all: Configure
) -> None:
    approve_all(moderation_keys="frigate", disallowed_keys="casino")
    comment = posted_comment(post_comment(client, article, comment="Frigate casino."))
    assert comment.status == Status.SPAM


def test_blank_lines_in_word_lists_match_nothing(
    client: Client, article: Article, approve_all: Configure
) -> None:
    approve_all(moderation_keys="\n   \n", disallowed_keys="\n\n")
    assert posted_comment(post_comment(client, article)).status == Status.APPROVED


def test_spam_comment_is_not_shown_even_to_its_author(
    client: Client, article: Article, approve_all: Configure
) -> None:
    approve_all(disallowed_keys="casino")
    comment = posted_comment(post_comment(client, article, comment="Casino!"))
    page = client.get(article.get_absolute_url())
    assert parse_html(page.content).find_all(id=f"comment-{comment.pk}") == []


# Trusted commenters


def test_article_author_is_published_outright(client: Client, discussion: Configure) -> None:
    discussion(moderation=Moderation.HOLD_ALL)
    writer = user_with_role(AUTHOR)
    article = ArticleFactory(author=AuthorFactory(user=writer))
    client.force_login(writer)
    comment = posted_comment(post_comment(client, article, author=None, email=None))
    assert comment.status == Status.APPROVED
    assert comment.user == writer
    assert comment.moderation_reason == "written by the article's author or a moderator"


def test_another_writer_goes_through_moderation(
    client: Client, article: Article, discussion: Configure
) -> None:
    client.force_login(user_with_role(AUTHOR))
    comment = posted_comment(post_comment(client, article, author=None, email=None))
    assert comment.status == Status.PENDING


@pytest.mark.parametrize(
    "make_moderator",
    [
        pytest.param(lambda: UserFactory(is_superuser=True), id="administrator"),
        pytest.param(lambda: user_with_role(EDITOR), id="editor"),
    ],
)
def test_moderators_are_published_outright(
    client: Client, article: Article, discussion: Configure, make_moderator: Callable
) -> None:
    discussion(moderation=Moderation.HOLD_ALL, max_links=1)
    moderator = make_moderator()
    client.force_login(moderator)
    comment = posted_comment(
        post_comment(client, article, author=None, email=None, comment="https://example.org")
    )
    assert comment.status == Status.APPROVED
    assert (comment.author_name, comment.author_email) == (
        moderator.get_username(),
        moderator.email,
    )


def test_signed_in_commenter_cannot_post_as_someone_else(
    client: Client, article: Article, discussion: Configure
) -> None:
    user = UserFactory(first_name="Real", last_name="Name", is_staff=False)
    client.force_login(user)
    comment = posted_comment(post_comment(client, article, author="Fake", email="f@example.org"))
    assert (comment.author_name, comment.author_email) == ("Real Name", user.email)


# Moderators' decisions train the learning filter


@pytest.mark.parametrize(("status", "label"), [(Status.APPROVED, "ham"), (Status.SPAM, "spam")])
def test_moderator_decision_trains_the_filter(
    client: Client, article: Article, discussion: Configure, status: str, label: str
) -> None:
    comment = posted_comment(post_comment(client, article))
    assert comment.trained_as == ""
    set_status(comment, status)
    comment.refresh_from_db()
    assert (comment.status, comment.trained_as) == (status, label)
    corpus = SpamCorpus.objects.get()
    assert (corpus.spam_comments, corpus.ham_comments) == ((1, 0) if label == "spam" else (0, 1))


def test_changing_a_decision_moves_the_training_rather_than_counting_twice(
    client: Client, article: Article, discussion: Configure
) -> None:
    comment = posted_comment(post_comment(client, article))
    set_status(comment, Status.SPAM)
    set_status(comment, Status.APPROVED)
    set_status(comment, Status.APPROVED)
    comment.refresh_from_db()
    assert comment.trained_as == "ham"
    corpus = SpamCorpus.objects.get()
    assert (corpus.spam_comments, corpus.ham_comments) == (0, 1)


# Where replies land


@pytest.mark.parametrize("parent_status", [Status.TRASH, Status.SPAM])
def test_reply_to_a_removed_comment_becomes_top_level(
    client: Client, article: Article, discussion: Configure, parent_status: str
) -> None:
    parent = add_comment(article)
    page_url = f"{article.get_absolute_url()}?replytocom={parent.pk}"
    page = client.get(page_url)
    parent.status = parent_status
    parent.save()
    reply = posted_comment(post_rendered_form(client, page, **VALID_COMMENT))
    assert (reply.parent, reply.thread, reply.depth) == (None, None, 1)


def test_reply_to_a_held_comment_stays_under_it(
    client: Client, article: Article, discussion: Configure
) -> None:
    parent = add_comment(article, status=Status.PENDING)
    reply = posted_comment(post_comment(client, article, comment_parent=str(parent.pk)))
    assert (reply.parent, reply.thread, reply.depth) == (parent, parent, 2)


def test_reply_naming_a_comment_on_another_article_becomes_top_level(
    client: Client, article: Article, discussion: Configure
) -> None:
    elsewhere = add_comment(ArticleFactory())
    reply = posted_comment(post_comment(client, article, comment_parent=str(elsewhere.pk)))
    assert (reply.article, reply.parent, reply.depth) == (article, None, 1)


def test_reply_to_a_reply_nests_under_it_in_the_same_thread(
    client: Client, article: Article, discussion: Configure
) -> None:
    root = add_comment(article)
    child = add_comment(article, parent=root)
    page = f"{article.get_absolute_url()}?replytocom={child.pk}"
    reply = posted_comment(post_comment(client, article, page_url=page))
    assert (reply.parent, reply.thread, reply.depth) == (child, root, 3)


def test_reply_beyond_the_thread_depth_becomes_a_sibling(
    client: Client, article: Article, discussion: Configure
) -> None:
    discussion(thread_depth=3)
    root = add_comment(article)
    middle = add_comment(article, parent=root)
    deepest = add_comment(article, parent=middle)
    assert deepest.depth == 3
    reply = posted_comment(post_comment(client, article, comment_parent=str(deepest.pk)))
    assert (reply.parent, reply.thread, reply.depth) == (middle, root, 3)


@pytest.mark.django_db
def test_deleting_a_top_level_comment_lifts_its_whole_subtree_intact() -> None:
    article = ArticleFactory()
    root = add_comment(article)
    child = add_comment(article, parent=root)
    grandchild = add_comment(article, parent=child)
    delete_comment(root)
    child.refresh_from_db()
    grandchild.refresh_from_db()
    assert (child.parent_id, child.thread_id, child.depth) == (None, None, 1)
    assert (grandchild.parent_id, grandchild.thread_id, grandchild.depth) == (child.pk, child.pk, 2)


@pytest.mark.django_db
def test_deleting_a_reply_moves_its_replies_up_one_level_in_the_same_thread() -> None:
    article = ArticleFactory()
    root = add_comment(article)
    middle = add_comment(article, parent=root)
    leaf = add_comment(article, parent=middle)
    deeper = add_comment(article, parent=leaf)
    delete_comment(middle)
    leaf.refresh_from_db()
    deeper.refresh_from_db()
    assert (leaf.parent_id, leaf.thread_id, leaf.depth) == (root.pk, root.pk, 2)
    assert (deeper.parent_id, deeper.thread_id, deeper.depth) == (leaf.pk, root.pk, 3)
