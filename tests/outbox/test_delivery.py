"""The outbox with real commits and a real SMTP server: what is accepted is kept until the
mail server takes it, retried with growing waits while it is down, and only then deleted."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.outbox import delivery, sender
from broadsheet.outbox.delivery import send_due
from broadsheet.outbox.models import Mail
from tests.outbox.helpers import MODERATOR, held_comments_site, post_comment

if TYPE_CHECKING:  # imported by pytest_plugins below, so that pytest rewrites its asserts
    from tests.comments.smtp import SmtpServer

pytestmark = pytest.mark.django_db(transaction=True)
pytest_plugins = ["tests.comments.smtp"]  # fixtures: mailbox, mail_server_down


def outbox() -> list[Mail]:
    assert sender.wait_until_settled(timeout=10), "the outbox thread is still at work"
    return list(Mail.objects.all())


def test_a_held_comment_mails_the_moderator_and_leaves_nothing_in_the_outbox(
    client: Client, mailbox: SmtpServer
) -> None:
    article = held_comments_site()
    post_comment(client, article, comment="First!", author="Ria", email="ria@example.net")
    assert outbox() == []
    [mail] = mailbox.to(MODERATOR)
    assert "First!" in mail.text


def test_mail_refused_while_the_server_is_down_is_retried_with_growing_waits(
    client: Client, mail_server_down: SmtpServer, settings: Any
) -> None:
    settings.MAIL_RETRY_SECONDS = 60
    article = held_comments_site()
    before = timezone.now()
    post_comment(client, article, comment="Still here.", author="Ria", email="ria@example.net")
    [kept] = outbox()
    assert kept.attempts == 1 and kept.failed_at is None
    assert "ConnectionRefusedError" in kept.last_error
    first_wait = kept.next_attempt_at - before
    assert dt.timedelta(seconds=59) < first_wait < dt.timedelta(seconds=70)

    assert send_due() == 0  # not due yet: nothing is tried
    assert Mail.objects.get().attempts == 1
    later = kept.next_attempt_at + dt.timedelta(seconds=1)
    assert send_due(later) == 0
    again = Mail.objects.get()
    assert again.attempts == 2
    assert dt.timedelta(seconds=119) < again.next_attempt_at - later < dt.timedelta(seconds=130)

    settings.EMAIL_PORT = mail_server_down.port  # the mail server is back
    assert send_due(again.next_attempt_at) == 1
    assert outbox() == []
    [delivered] = mail_server_down.to(MODERATOR)
    assert "Still here." in delivered.text
    assert delivered.message["Message-ID"] == kept.headers["Message-ID"]  # the same message


def test_mail_is_marked_failed_after_its_last_attempt_until_an_operator_retries_it(
    client: Client, mail_server_down: SmtpServer, settings: Any
) -> None:
    settings.MAIL_ATTEMPTS = 2
    post_comment(client, held_comments_site(), comment="Hello?", author="Ria", email="r@ex.net")
    assert [mail.attempts for mail in outbox()] == [1]  # the worker's own try, refused
    assert send_due(timezone.now() + dt.timedelta(hours=1)) == 0
    [failed] = outbox()
    assert failed.attempts == 2 and failed.failed_at is not None
    assert send_due(timezone.now() + dt.timedelta(days=30)) == 0  # failed mail waits for us

    status = StringIO()
    call_command("mail", "status", stdout=status)
    assert "Failed: 1" in status.getvalue().splitlines()

    settings.EMAIL_PORT = mail_server_down.port
    call_command("mail", "retry", stdout=StringIO())
    sent = StringIO()
    call_command("mail", "send", stdout=sent)
    assert sent.getvalue().strip() == "Sent 1 message(s); 0 left in the outbox."
    assert [m.subject for m in mail_server_down.to(MODERATOR)] == [failed.subject]


def test_a_comment_whose_transaction_rolls_back_sends_no_mail(mailbox: SmtpServer) -> None:
    from broadsheet.comments import notifications

    article = held_comments_site()
    with pytest.raises(RuntimeError), transaction.atomic():
        comment = Comment.objects.create(
            article=article, author_name="Ria", body="Gone", status=Comment.Status.PENDING
        )
        notifications.comment_posted(comment)
        assert Mail.objects.count() == 1  # written with the comment, in its transaction
        raise RuntimeError("the request failed after the comment was written")
    assert outbox() == []
    assert mailbox.messages == []


def test_mail_sent_outside_a_transaction_is_kept_then_sent_at_once(mailbox: SmtpServer) -> None:
    sender.send_later([EmailMessage("Plain", "Text", "site@example.org", ["ann@example.net"])])
    assert outbox() == []
    [mail] = mailbox.to("ann@example.net")
    assert mail.subject == "Plain" and mail.message["Message-ID"]


def test_a_refused_address_does_not_hold_up_the_others(mailbox: SmtpServer) -> None:
    # A header Django refuses to build fails that message alone.
    bad = EmailMessage("Bad", "x", "site@example.org", ["bad@example.net"])
    bad.extra_headers["X-Bad"] = "a\nb"
    good = EmailMessage("Good", "x", "site@example.org", ["good@example.net"])
    sender.send_later([bad, good])
    [kept] = outbox()
    assert kept.to == ["bad@example.net"] and kept.attempts == 1
    assert [m.subject for m in mailbox.to("good@example.net")] == ["Good"]


def test_mail_held_by_a_sender_that_died_goes_out_once_its_claim_lapses(
    mailbox: SmtpServer,
) -> None:
    # Written and claimed as a request does, but never handed over: its process died.
    written = timezone.now()
    delivery.store([EmailMessage("Orphan", "x", "site@example.org", ["o@example.net"])], written)
    assert send_due(written + delivery.LEASE - dt.timedelta(seconds=1)) == 0  # still held
    assert send_due(written + delivery.LEASE) == 1
    assert outbox() == []
    assert [m.subject for m in mailbox.to("o@example.net")] == ["Orphan"]
