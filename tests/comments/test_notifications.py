"""Comment emails, read off a real SMTP server: the article's author, the moderators, and
reply notifications with their one-click unsubscribe.

Comments are posted the way a reader posts them (load the article, fill in its form, send),
and the on_commit hooks that send the mail run as a real commit would run them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from broadsheet.comments import moderation
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.content.models import Article, SiteSettings
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, user_with_role
from tests.html import parse_html, read_form

if TYPE_CHECKING:  # imported by pytest_plugins below, so that pytest rewrites its asserts
    from tests.comments.smtp import Delivery, SmtpServer

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.comments.smtp"]  # fixtures: mailbox, mail_server_down

SITE = "The Test Gazette"
ANN, BOB = "ann@example.net", "bob.private@example.net"
Status = Comment.Status
Moderation = DiscussionSettings.Moderation
Committed = Callable[[], AbstractContextManager[Any]]
# "Label: https://…" lines: how the plain-text mails present their links.
LINK_LINE = re.compile(r"^(?P<label>[^:\n]+): (?P<url>https?://\S+)$", re.MULTILINE)


def set_discussion(**changes: object) -> None:
    """Discussion settings that let one test client post several comments in a row; saving
    also empties the cached copy (the post_save hook)."""
    defaults = {"min_seconds_to_write": 0, "flood_seconds": 0, "hourly_limit_per_ip": 0}
    DiscussionSettings.objects.update_or_create(pk=1, defaults={**defaults, **changes})


@pytest.fixture(autouse=True)
def _site_publishing_every_comment(db: None) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"title": SITE})
    set_discussion(moderation=Moderation.APPROVE_ALL)


@pytest.fixture(autouse=True)
def _no_failed_on_commit_hooks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Captured robust on_commit hooks log their exceptions instead of raising them; a crashing
    notification must fail its test, not let it pass with an empty mailbox."""
    yield
    failures = [r for r in caplog.get_records("call") if r.name == "django.test"]
    assert not failures, failures[0].getMessage()


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Committed:
    """``with committed():`` runs the on_commit hooks (the emails) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def post_comment(
    client: Client,
    article: Article,
    committed: Committed,
    reply_to: Comment | None = None,
    **fields: str,
) -> Comment:
    """Post as a browser does: load the article (``?replytocom=`` to answer a comment), fill
    in its form, send it; the 303 points at the stored comment."""
    query = f"?replytocom={reply_to.pk}" if reply_to else ""
    page = client.get(f"{article.get_absolute_url()}{query}")
    assert page.status_code == 200
    form = read_form(page.content, "commentform")
    action = parse_html(page.content).find("form", id="commentform").attrs["action"]
    assert action
    with committed():
        response = client.post(action, form.data(**fields))
    assert response.status_code == 303, response.content.decode()[:2000]
    fragment = response["Location"].rpartition("#")[2]
    return Comment.objects.get(pk=fragment.removeprefix("comment-"))


def links(text: str) -> dict[str, str]:
    return {match["label"]: match["url"] for match in LINK_LINE.finditer(text)}


def site_path(url: str) -> str:
    """The part of an absolute link the test client can request; the link must be ours."""
    assert url.startswith(f"{settings.SITE_URL}/"), url
    return url.removeprefix(settings.SITE_URL)


def unsubscribe_link(mail: Delivery) -> str:
    header = str(mail.message["List-Unsubscribe"]).strip()  # folding may leave a space
    assert header.startswith("<") and header.endswith(">"), header
    return header[1:-1]


def article_by(user: AbstractBaseUser, **kwargs: object) -> Article:
    return ArticleFactory(author=AuthorFactory(user=user), **kwargs)


def ask(client: Client, article: Article, committed: Committed, **fields: str) -> Comment:
    """Ann's question, with "email me about replies" ticked."""
    values = {"comment": "Who signed off the refit?", "author": "Ann Asker", "email": ANN}
    return post_comment(client, article, committed, notify_replies="on", **{**values, **fields})


def answer(
    client: Client, article: Article, committed: Committed, question: Comment, **fields: str
) -> Comment:
    """Bob's reply to ``question``."""
    values = {"comment": "The second sea lord did.", "author": "Bob Answerer", "email": BOB}
    return post_comment(client, article, committed, reply_to=question, **{**values, **fields})


# The article's author


def test_published_comment_is_mailed_to_the_article_author_with_reply_to_the_commenter(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    writer = user_with_role("Editor", email="writer@example.org")
    article = article_by(writer, title="Frigates, late again")
    comment = post_comment(
        client,
        article,
        committed,
        comment="The refit slipped a whole year.",
        author='Zoë "Z" Reader, Esq.',
        email="Zoe@Example.net",
        url="https://zoe.example.net",
    )
    assert comment.status == Status.APPROVED
    [mail] = mailbox.messages
    assert mail.to == ["writer@example.org"]
    assert mail.subject == f"[{SITE}] Comment: “Frigates, late again”"
    [reply_to] = mail.message["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == (
        'Zoë "Z" Reader, Esq.',
        "zoe@example.net",
    )
    assert mail.message["From"].addresses[0].addr_spec == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert "The refit slipped a whole year." in mail.text
    found = links(mail.text)
    assert found.pop("Website") == "https://zoe.example.net"
    assert (
        found["Read it"] == f"{settings.SITE_URL}{article.get_absolute_url()}#comment-{comment.pk}"
    )
    assert set(found) == {"Read it", "Mark it as spam", "Move it to the trash", "Edit it"}
    assert all(url.startswith(f"{settings.SITE_URL}/") for url in found.values())


def test_article_author_gets_no_mail_about_their_own_comment(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    writer = user_with_role("Editor", email="writer@example.org")
    article = article_by(writer)
    client.force_login(writer)
    comment = post_comment(client, article, committed, comment="Update: the ministry replied.")
    assert (comment.user, comment.status) == (writer, Status.APPROVED)
    assert mailbox.messages == []


def test_a_deactivated_author_gets_no_mail(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    writer = user_with_role("Editor", email="left@example.org", is_active=False)
    article = article_by(writer)
    post_comment(client, article, committed, comment="Hi.", author="Ria", email="ria@example.net")
    assert mailbox.messages == []


def test_author_who_cannot_moderate_is_told_without_links_the_admin_would_refuse(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    stringer = user_with_role("Author", email="stringer@example.org")
    article = article_by(stringer)
    comment = post_comment(
        client, article, committed, comment="Good piece.", author="Ria", email="ria@example.net"
    )
    [mail] = mailbox.to("stringer@example.org")
    assert list(links(mail.text)) == ["Read it"]
    # Why: the Author role may not change comments, so the moderate view answers 403.
    client.force_login(stringer)
    moderate = reverse("admin:comments_comment_moderate", args=[comment.pk])
    assert client.get(f"{moderate}?action=trash").status_code == 403


def test_switching_off_article_author_mail_sends_nothing_about_published_comments(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    set_discussion(moderation=Moderation.APPROVE_ALL, notify_article_author=False)
    article = article_by(user_with_role("Editor", email="writer@example.org"))
    comment = post_comment(
        client, article, committed, comment="Noted.", author="Ria", email="ria@example.net"
    )
    assert comment.status == Status.APPROVED
    assert mailbox.messages == []


def test_a_title_with_a_line_break_still_gets_its_mail_on_one_subject_line(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = article_by(user_with_role("Editor", email="writer@example.org"))
    Article.objects.filter(pk=article.pk).update(title="Frigates:\r\nlate again")  # as imported
    article.refresh_from_db()
    post_comment(client, article, committed, comment="Hm.", author="Ria", email="ria@example.net")
    [mail] = mailbox.messages
    assert mail.subject == f"[{SITE}] Comment: “Frigates: late again”"


# Moderators


def test_held_comment_is_mailed_to_each_moderator_with_links_that_open_the_confirm_page(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    set_discussion(moderation=Moderation.HOLD_ALL)
    root = UserFactory(is_superuser=True, email="root@example.org")
    user_with_role("Administrator", email="admin@example.org")
    user_with_role("Editor", email="editor@example.org")
    writer = user_with_role("Editor", email="writer@example.org")
    user_with_role("Author", email="other-author@example.org")
    user_with_role("Contributor", email="contributor@example.org")
    user_with_role("Editor", email="gone@example.org", is_active=False)
    user_with_role("Editor", email="")
    article = article_by(writer, title="Treaty talks")
    Comment.objects.create(article=ArticleFactory(), author_name="Earlier", body="Waiting too.")
    comment = post_comment(
        client,
        article,
        committed,
        comment="Sanctions were never enforced on shipping.",
        author="Ned Reader",
        email="ned@example.net",
    )
    assert comment.status == Status.PENDING
    # One message each, so no one learns the others' addresses.
    assert sorted(mail.to[0] for mail in mailbox.messages) == [
        "admin@example.org",
        "editor@example.org",
        "root@example.org",
        "writer@example.org",
    ]
    assert all(len(mail.to) == 1 and mail.rcpt_tos == tuple(mail.to) for mail in mailbox.messages)
    [mail] = mailbox.to("editor@example.org")
    assert mail.subject == f"[{SITE}] Please moderate: “Treaty talks”"
    assert "Sanctions were never enforced on shipping." in mail.text
    assert "Email: ned@example.net" in mail.text.splitlines()
    assert "Currently 2 comment(s) are waiting for approval." in mail.text.splitlines()
    found = links(mail.text)
    assert found["Article"] == f"{settings.SITE_URL}{article.get_absolute_url()}"

    client.force_login(root)
    decisions = {
        "Approve it": "approve",
        "Mark it as spam": "spam",
        "Move it to the trash": "trash",
    }
    for label, action in decisions.items():
        response = client.get(site_path(found[label]))
        assert response.status_code == 200, label
        confirm = parse_html(response.content).find("input", type="hidden", name="action")
        assert confirm.attrs["value"] == action
    assert client.get(site_path(found["Edit it"])).status_code == 200
    queue = client.get(site_path(found["Moderation queue"]))
    assert queue.status_code == 200
    assert comment in queue.context["cl"].result_list
    comment.refresh_from_db()
    assert comment.status == Status.PENDING  # opening a link only asks to confirm


def test_switching_off_moderator_mail_sends_nothing_about_held_comments(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    set_discussion(moderation=Moderation.HOLD_ALL, notify_moderators=False)
    user_with_role("Administrator", email="admin@example.org")
    article = article_by(user_with_role("Editor", email="writer@example.org"))
    comment = post_comment(
        client, article, committed, comment="Held.", author="Ria", email="ria@example.net"
    )
    assert comment.status == Status.PENDING
    assert mailbox.messages == []


# Reply notifications


def test_reply_to_a_subscriber_is_mailed_with_one_click_unsubscribe_headers(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory(title="Refit delays")
    question = ask(client, article, committed)
    reply = answer(client, article, committed, question)
    assert reply.parent == question
    [mail] = mailbox.messages
    assert mail.to == [ANN]
    assert mail.subject == f"[{SITE}] Bob Answerer replied to your comment on “Refit delays”"
    assert "The second sea lord did." in mail.text
    assert links(mail.text)["Read the conversation"] == (
        f"{settings.SITE_URL}{article.get_absolute_url()}#comment-{reply.pk}"
    )
    unsubscribe = unsubscribe_link(mail)
    assert site_path(unsubscribe).startswith("/comments/unsubscribe/")
    assert unsubscribe in mail.text
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_replier_email_address_never_reaches_the_commenter_they_answered(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    answer(client, article, committed, question, url="https://bob.example.net")
    [mail] = mailbox.to(ANN)
    assert "Bob Answerer" in mail.text
    assert "bob.private" not in mail.text
    assert all("bob.private" not in str(value) for value in mail.message.values())
    assert b"bob.private" not in mail.raw


def test_replying_to_your_own_comment_sends_you_nothing(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    follow_up = answer(client, article, committed, question, author="Ann", email="ANN@example.net")
    assert follow_up.parent == question
    assert mailbox.messages == []


def test_held_reply_is_mailed_to_the_subscriber_only_once_approved(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    set_discussion(moderation=Moderation.HOLD_ALL)
    reply = answer(client, article, committed, question)
    assert reply.status == Status.PENDING
    assert mailbox.to(ANN) == []
    with committed():
        moderation.set_status(reply, Status.APPROVED)
    [mail] = mailbox.to(ANN)
    assert "The second sea lord did." in mail.text


def test_an_editor_answering_from_the_admin_notifies_the_subscriber(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory(title="Refit delays")
    question = ask(client, article, committed)
    editor = user_with_role("Editor", email="desk@example.org", first_name="Dee", last_name="Desk")
    client.force_login(editor)
    with committed():
        response = client.post(
            reverse("admin:comments_comment_reply", args=[question.pk]),
            {"body": "We have asked the ministry."},
        )
    assert response.status_code == 302
    [mail] = mailbox.to(ANN)
    assert mail.subject == f"[{SITE}] Dee Desk replied to your comment on “Refit delays”"
    assert "We have asked the ministry." in mail.text
    assert b"desk@example.org" not in mail.raw


def test_a_comment_marked_spam_gets_no_reply_mail(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    set_discussion(moderation=Moderation.HOLD_ALL)
    reply = answer(client, article, committed, question)
    with committed():
        moderation.set_status(question, Status.SPAM)
        moderation.set_status(reply, Status.APPROVED)
    assert mailbox.to(ANN) == []


def test_the_unsubscribe_link_stops_reply_mail_for_that_article_only(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article, elsewhere = ArticleFactory(), ArticleFactory()
    question = ask(client, article, committed)
    ask(client, article, committed, comment="And who pays for it?")
    ask(client, elsewhere, committed, comment="Same yard as last time?")
    answer(client, article, committed, question)
    [mail] = mailbox.to(ANN)

    page = client.get(site_path(unsubscribe_link(mail)))
    assert page.status_code == 200
    heading = parse_html(page.content).find("h1", id="unsubscribe-heading")
    assert heading.text == "You will get no more reply emails"
    subscribed = Comment.objects.filter(author_email=ANN, notify_replies=True)
    assert list(subscribed.values_list("article", flat=True)) == [elsewhere.pk]

    mailbox.clear()
    answer(client, article, committed, question, comment="Correction: the first sea lord.")
    assert mailbox.messages == []


def test_a_tampered_unsubscribe_token_is_not_found(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    answer(client, article, committed, question)
    [mail] = mailbox.to(ANN)
    path = site_path(unsubscribe_link(mail))
    token = path.rstrip("/").rpartition("/")[2]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("comments:unsubscribe", args=[tampered])).status_code == 404
    assert client.get(reverse("comments:unsubscribe", args=["not-a-token"])).status_code == 404
    question.refresh_from_db()
    assert question.notify_replies


def test_the_resubscribe_button_turns_reply_mail_back_on(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    answer(client, article, committed, question)
    [mail] = mailbox.to(ANN)
    path = site_path(unsubscribe_link(mail))
    page = client.get(path)
    question.refresh_from_db()
    assert not question.notify_replies

    response = client.post(path, read_form(page.content, "resubscribe-form").data())
    assert response.status_code == 200
    heading = parse_html(response.content).find("h1", id="unsubscribe-heading")
    assert heading.text == "You will hear about replies again"
    question.refresh_from_db()
    assert question.notify_replies

    mailbox.clear()
    answer(client, article, committed, question, comment="Correction: the first sea lord.")
    assert len(mailbox.to(ANN)) == 1


def test_a_mail_providers_one_click_post_unsubscribes_without_a_csrf_token(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    article = ArticleFactory()
    question = ask(client, article, committed)
    answer(client, article, committed, question)
    [mail] = mailbox.to(ANN)
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(site_path(unsubscribe_link(mail)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    question.refresh_from_db()
    assert not question.notify_replies


# When the mail server is down


@pytest.mark.parametrize(
    ("policy", "stored_as"),
    [(Moderation.APPROVE_ALL, Status.APPROVED), (Moderation.HOLD_ALL, Status.PENDING)],
)
def test_a_mail_server_that_is_down_does_not_stop_a_comment_being_posted(
    policy: str,
    stored_as: str,
    client: Client,
    mail_server_down: SmtpServer,
    committed: Committed,
    caplog: pytest.LogCaptureFixture,
) -> None:
    set_discussion(moderation=policy)
    user_with_role("Administrator", email="admin@example.org")
    article = article_by(user_with_role("Editor", email="writer@example.org"))
    comment = post_comment(  # asserts the reader's 303
        client, article, committed, comment="Still here.", author="Ria", email="ria@example.net"
    )
    assert Comment.objects.filter(pk=comment.pk, status=stored_as).exists()
    assert mail_server_down.messages == []
    [logged] = [r for r in caplog.records if r.name == "broadsheet.outbox.delivery"]
    assert logged.exc_info is not None and issubclass(logged.exc_info[0], ConnectionRefusedError)


def test_a_slow_mail_server_does_not_hold_up_the_comment_post(
    client: Client, mailbox: SmtpServer, committed: Committed
) -> None:
    # The server keeps the mail waiting longer than Django's mail timeout (5 s in the tests):
    # sent within the request, the post would wait on it and the mail would be lost.
    set_discussion(moderation=Moderation.HOLD_ALL)
    user_with_role("Administrator", email="admin@example.org")
    article = article_by(user_with_role("Editor", email="writer@example.org"))
    with mailbox.answering_late() as received:
        post_comment(
            client, article, committed, comment="Any news?", author="Ria", email="ria@example.net"
        )
        assert received == []  # the reader has their answer; the mail is still going out
    [held] = mailbox.to("admin@example.org")
    assert "Any news?" in held.text
