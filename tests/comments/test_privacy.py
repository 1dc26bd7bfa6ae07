"""A commenter's rights: a copy of their data (``privacy export``) and erasure (``privacy erase``).

The export is read with ``json.loads``; the erased thread is read from the article page's HTML;
"nothing left" is checked against every column of every comment row.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from broadsheet.comments.avatars import avatar_key
from broadsheet.comments.models import Comment, SpamToken
from broadsheet.comments.privacy import erase_commenter, export_commenter, purge_ip_addresses
from broadsheet.comments.spam import bayes
from tests import factories
from tests.factories import ArticleFactory, UserFactory
from tests.html import Element, parse_html

Status = Comment.Status
EMAIL = "ada@example.org"
pytestmark = pytest.mark.django_db


class CommentFactory(factories.CommentFactory):
    status = Status.APPROVED


def privacy(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("privacy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def ada_comment(**fields: object) -> Comment:
    defaults = {
        "author_name": "Ada Lovelace",
        "author_email": EMAIL,
        "author_url": "https://ada.example.org/",
        "ip_address": "198.51.100.7",
        "user_agent": "Mozilla/5.0 (Ada's laptop)",
        "notify_replies": True,
    }
    return CommentFactory(**{**defaults, **fields})


# --- export ------------------------------------------------------------------------------


def test_export_lists_every_field_stored_about_the_commenter_including_private_ones() -> None:
    article = ArticleFactory(title="Frigates ordered")
    comment = ada_comment(article=article, body="Which yard builds them?")

    out, err = privacy("export", EMAIL)
    data = json.loads(out)

    assert set(data) == {"email", "exported_at", "comments", "unsent_mail"}
    assert data["email"] == EMAIL
    assert dt.datetime.fromisoformat(data["exported_at"]) <= timezone.now()
    assert data["comments"] == [
        {
            "id": comment.pk,
            "article": {
                "id": article.pk,
                "title": "Frigates ordered",
                "url": f"{settings.SITE_URL}{article.get_absolute_url()}",
            },
            "author_name": "Ada Lovelace",
            "author_email": EMAIL,
            "author_url": "https://ada.example.org/",
            "body": "Which yard builds them?",
            "status": "approved",
            "created_at": comment.created_at.isoformat(),
            "ip_address": "198.51.100.7",
            "user_agent": "Mozilla/5.0 (Ada's laptop)",
            "notify_replies": True,
            "user": None,
        }
    ]
    assert err == ""


def test_export_matches_the_email_in_any_case_and_leaves_out_other_commenters() -> None:
    mine = [ada_comment(status=status) for status in (Status.APPROVED, Status.SPAM)]
    CommentFactory(author_email="someone.else@example.org", body="Not Ada's.")
    CommentFactory(author_email="", body="No email given.")

    data = json.loads(privacy("export", "  ADA@Example.ORG ")[0])

    assert data["email"] == EMAIL
    assert [item["id"] for item in data["comments"]] == [comment.pk for comment in mine]
    assert {item["author_email"] for item in data["comments"]} == {EMAIL}


def test_export_names_the_linked_account() -> None:
    ada_comment(user=UserFactory(username="ada"))

    [item] = export_commenter(EMAIL)["comments"]

    assert item["user"] == "ada"


def test_export_for_an_unknown_email_is_an_empty_list_and_says_so_on_stderr() -> None:
    CommentFactory()

    out, err = privacy("export", "nobody@example.org")

    assert json.loads(out)["comments"] == []
    assert err.strip() == "No comments by nobody@example.org."


def test_a_blank_email_is_refused_rather_than_matching_comments_without_one() -> None:
    CommentFactory(author_email="")

    for action in ("export", "erase"):
        with pytest.raises(CommandError, match="An email address is required"):
            privacy(action, " ")
    assert Comment.objects.get().author_name != "Anonymous"


# --- erase -------------------------------------------------------------------------------


def own_text(item: Element, comment: Comment) -> tuple[str, str]:
    """Author and text of ``comment`` alone, not of the replies nested in its ``<li>``."""
    body = item.children[0]  # its own card; the replies' cards nest further down
    assert body.tag == "article"
    return (
        body.find(class_="fn").text.strip(),
        body.find("div", class_="comment-content").text.strip(),
    )


def test_erase_anonymises_the_comment_but_keeps_its_words_state_and_thread(
    client: Client,
) -> None:
    article = ArticleFactory()
    erased = ada_comment(article=article, body="Which yard builds them?", user=UserFactory())
    reply = CommentFactory(
        article=article, parent=erased, thread=erased, depth=2, body="Govan, on the Clyde."
    )

    out, _ = privacy("erase", "Ada@Example.org")

    assert out.strip() == f"Anonymised 1 comment(s) by {EMAIL}."
    stored = Comment.objects.get(pk=erased.pk)
    assert (stored.author_name, stored.author_email, stored.author_url) == ("Anonymous", "", "")
    assert (stored.ip_address, stored.user_agent, stored.user_id) == (None, "", None)
    assert stored.notify_replies is False
    assert (stored.body, stored.status) == ("Which yard builds them?", Status.APPROVED)
    assert (stored.parent_id, stored.thread_id, stored.depth) == (None, None, 1)
    assert stored.avatar_key == avatar_key("", "Anonymous") != erased.avatar_key

    page = parse_html(client.get(article.get_absolute_url()).content)
    item = page.find("li", id=f"comment-{erased.pk}")
    assert own_text(item, erased) == ("Anonymous", "Which yard builds them?")
    nested = item.find("li", id=f"comment-{reply.pk}")  # still rendered beneath it
    assert own_text(nested, reply) == (reply.author_name, "Govan, on the Clyde.")


def test_after_erasure_the_email_is_in_no_column_of_any_comment() -> None:
    ada_comment(moderation_reason=f"contains the moderation word “{EMAIL}”")
    ada_comment(author_email=EMAIL.upper(), status=Status.PENDING)
    other = CommentFactory(author_email="grace@example.org")

    assert erase_commenter(EMAIL) == 2

    for row in Comment.objects.values():
        for column, value in row.items():
            assert EMAIL not in str(value).lower(), (row["id"], column)
    assert Comment.objects.get(pk=other.pk).author_email == "grace@example.org"


def test_erase_retrains_the_filter_without_the_commenters_website() -> None:
    comment = ada_comment(author_url="https://ada-lovelace.example/")
    bayes.learn(comment, "ham")
    counted = set(SpamToken.objects.filter(ham__gt=0).values_list("token", flat=True))

    erase_commenter(EMAIL)

    after = set(SpamToken.objects.filter(ham__gt=0).values_list("token", flat=True))
    assert after == bayes.tokens(comment.body) and after < counted
    assert Comment.objects.get(pk=comment.pk).trained_as == "ham"


def test_erasing_an_unknown_email_changes_nothing_and_says_so() -> None:
    comment = CommentFactory()

    out, _ = privacy("erase", "nobody@example.org")

    assert out.strip() == "No comments by nobody@example.org; nothing to erase."
    assert Comment.objects.get(pk=comment.pk).author_name == comment.author_name


# --- IP retention ------------------------------------------------------------------------


def test_purge_ip_addresses_blanks_only_those_past_the_cut_off() -> None:
    now = timezone.now()
    kept = CommentFactory(ip_address="203.0.113.1", created_at=now - dt.timedelta(days=29))
    gone = CommentFactory(ip_address="203.0.113.2", created_at=now - dt.timedelta(days=31))
    CommentFactory(ip_address=None, created_at=now - dt.timedelta(days=90))

    assert purge_ip_addresses(30) == 1

    assert Comment.objects.get(pk=kept.pk).ip_address == "203.0.113.1"
    assert Comment.objects.get(pk=gone.pk).ip_address is None
