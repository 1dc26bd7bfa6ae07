"""Unsent mail holds commenters' addresses and words: ``privacy export`` shows it and
``privacy erase`` deletes it, with what the moderators' notices quote."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from broadsheet.outbox import delivery
from broadsheet.outbox.models import Mail

pytestmark = pytest.mark.django_db
ADA = "ada@example.org"


def waiting(subject: str, to: str, body: str = "") -> None:
    """A message in the outbox that nothing sends (no commit hands it to the sender)."""
    with transaction.atomic():
        delivery.store([EmailMessage(subject, body, "site@example.org", [to])], timezone.now())


def privacy(*args: str) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_export_lists_unsent_mail_to_or_about_the_commenter() -> None:
    waiting("Reply to your comment", "Ada@Example.org", "Bob replied.")
    waiting("Please moderate", "editor@example.org", "Author: Ada\nEmail: ada@example.org\n")
    waiting("Unrelated", "bob@example.org", "Nothing about her.")
    data = json.loads(privacy("export", ADA))
    assert sorted(item["subject"] for item in data["unsent_mail"]) == [
        "Please moderate",
        "Reply to your comment",
    ]
    assert {item["status"] for item in data["unsent_mail"]} == {"waiting"}


def test_erase_deletes_unsent_mail_to_or_about_the_commenter_only() -> None:
    waiting("Reply to your comment", ADA)
    waiting("Please moderate", "editor@example.org", "Email: ADA@example.org")
    waiting("Unrelated", "bob@example.org")
    privacy("erase", ADA)
    assert [mail.subject for mail in Mail.objects.all()] == ["Unrelated"]
    assert ADA not in json.dumps(list(Mail.objects.values("to", "body", "subject")))
