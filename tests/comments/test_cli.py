"""``broadsheet comments``: listing, moderating and purging IP addresses, run in-process.

The listing is read as the tab-separated table it promises to be, column by column.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from broadsheet.comments.models import Comment, DiscussionSettings
from tests.factories import ArticleFactory, CommentFactory

Status = Comment.Status
pytestmark = pytest.mark.django_db


def run(*args: str) -> list[list[str]]:
    """Run ``broadsheet comments ARGS`` and return its output as rows of tab-separated columns."""
    output = StringIO()
    call_command("comments", *args, stdout=output)
    return [line.split("\t") for line in output.getvalue().splitlines()]


def ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


# --- list --------------------------------------------------------------------------------


def test_list_prints_id_state_author_article_and_excerpt_newest_first() -> None:
    article = ArticleFactory(title="Frigates ordered")
    older = CommentFactory(article=article, author_name="Ann Older", created_at=ago(2))
    newer = CommentFactory(
        article=article,
        author_name="Bob Newer",
        body="Short and sweet.",
        status=Status.APPROVED,
        created_at=ago(1),
    )

    rows = run("list")

    assert rows == [
        [str(newer.pk), "approved", "Bob Newer", "Frigates ordered", "Short and sweet."],
        [str(older.pk), "pending", "Ann Older", "Frigates ordered", older.body],
    ]


def test_list_folds_whitespace_and_cuts_the_excerpt_to_sixty_characters() -> None:
    body = "First line\twith a tab.\n\nSecond paragraph " + "goes on and on " * 10
    CommentFactory(body=body)

    [row] = run("list")

    assert len(row) == 5
    excerpt = row[4]
    assert len(excerpt) == 60
    assert excerpt.startswith("First line with a tab. Second paragraph goes on")
    assert excerpt.endswith("…")
    assert "\n" not in excerpt and "  " not in excerpt


def test_list_filters_by_state_and_article_and_limits_the_count() -> None:
    frigates, tanks = ArticleFactory(), ArticleFactory()
    spam = CommentFactory(article=frigates, status=Status.SPAM, created_at=ago(3))
    CommentFactory(article=frigates, status=Status.APPROVED, created_at=ago(2))
    on_tanks = CommentFactory(article=tanks, status=Status.APPROVED, created_at=ago(1))

    assert [row[0] for row in run("list", "--status", "spam")] == [str(spam.pk)]
    assert [row[0] for row in run("list", "--article", str(tanks.pk))] == [str(on_tanks.pk)]
    assert [row[0] for row in run("list", "--limit", "1")] == [str(on_tanks.pk)]
    assert len(run("list", "--article", str(frigates.pk), "--status", "approved")) == 1


def test_list_of_an_unknown_article_is_an_error_not_an_empty_table() -> None:
    with pytest.raises(CommandError, match="No article with id 999999"):
        run("list", "--article", "999999")


# --- moderation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "trained_as"),
    [
        ("approve", Status.APPROVED, "ham"),
        ("spam", Status.SPAM, "spam"),
        ("trash", Status.TRASH, ""),
    ],
)
def test_moderating_changes_the_state_and_trains_the_filter(
    action: str, state: str, trained_as: str
) -> None:
    first, second = CommentFactory(), CommentFactory()

    rows = run(action, str(first.pk), str(second.pk))

    assert [(row[0], row[1]) for row in rows] == [(str(first.pk), state), (str(second.pk), state)]
    for comment in Comment.objects.filter(pk__in=[first.pk, second.pk]):
        assert (comment.status, comment.trained_as) == (state, trained_as)


def test_unapprove_holds_a_published_comment_again() -> None:
    comment = CommentFactory(status=Status.APPROVED)

    [row] = run("unapprove", str(comment.pk))

    assert row[:2] == [str(comment.pk), "pending"]
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_unknown_ids_are_named_after_the_known_ones_are_decided() -> None:
    comment = CommentFactory()
    output = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("comments", "approve", "999998", str(comment.pk), "999999", stdout=output)

    assert str(raised.value) == "No comment with id 999998, 999999."
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED
    assert [line.split("\t")[0] for line in output.getvalue().splitlines()] == [str(comment.pk)]


def test_delete_removes_comments_and_moves_replies_up() -> None:
    root = CommentFactory(status=Status.APPROVED)
    middle = CommentFactory(article=root.article, parent=root, thread=root, depth=2)
    reply = CommentFactory(article=root.article, parent=middle, thread=root, depth=3)

    rows = run("delete", str(middle.pk))

    assert [(row[0], row[1]) for row in rows] == [(str(middle.pk), "deleted")]
    assert not Comment.objects.filter(pk=middle.pk).exists()
    assert Comment.objects.get(pk=reply.pk).parent_id == root.pk


def test_deleting_a_comment_and_its_reply_together_works_in_either_order() -> None:
    root = CommentFactory(status=Status.APPROVED)
    middle = CommentFactory(article=root.article, parent=root, thread=root, depth=2)
    reply = CommentFactory(article=root.article, parent=middle, thread=root, depth=3)

    run("delete", str(middle.pk), str(reply.pk))

    assert list(Comment.objects.values_list("pk", flat=True)) == [root.pk]


# --- purge-ips ---------------------------------------------------------------------------


def test_purge_ips_blanks_addresses_older_than_the_discussion_setting() -> None:
    assert DiscussionSettings().keep_ip_days == 30
    recent = CommentFactory(ip_address="203.0.113.29", created_at=ago(29))
    old = CommentFactory(ip_address="203.0.113.31", created_at=ago(31))
    output = StringIO()

    call_command("comments", "purge-ips", stdout=output)

    assert Comment.objects.get(pk=recent.pk).ip_address == "203.0.113.29"
    assert Comment.objects.get(pk=old.pk).ip_address is None
    assert output.getvalue().strip() == (
        "Blanked the IP address of 1 comment(s) older than 30 day(s)."
    )


def test_purge_ips_follows_a_changed_setting_and_the_days_option() -> None:
    CommentFactory(ip_address="203.0.113.10", created_at=ago(10))
    CommentFactory(ip_address="203.0.113.20", created_at=ago(20))
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"keep_ip_days": 15})

    run("purge-ips")
    assert sorted(Comment.objects.values_list("ip_address", flat=True), key=str) == [
        "203.0.113.10",
        None,
    ]

    run("purge-ips", "--days", "5")
    assert list(Comment.objects.values_list("ip_address", flat=True)) == [None, None]


def test_purge_ips_refuses_a_negative_number_of_days() -> None:
    with pytest.raises(CommandError, match="must be 0 or more"):
        run("purge-ips", "--days", "-1")
