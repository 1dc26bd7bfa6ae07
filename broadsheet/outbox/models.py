"""One row per message not yet accepted by the mail server.

A message is written in the transaction that caused it (a comment, a moderation decision),
so a rolled-back change sends nothing and a committed one cannot be lost. A row is deleted
as soon as the mail server accepts the message: the outbox holds commenters' addresses and
words, and keeps them no longer than it must. A row that ran out of attempts stays, marked
failed, until ``broadsheet mail retry`` or a privacy erasure.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class MailQuerySet(models.QuerySet["Mail"]):
    def waiting(self) -> MailQuerySet:
        return self.filter(failed_at__isnull=True)

    def failed(self) -> MailQuerySet:
        return self.filter(failed_at__isnull=False)

    def unclaimed(self, now: dt.datetime) -> MailQuerySet:
        """Rows no sender holds: never claimed, or the claim's lease ran out (its sender died)."""
        return self.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))

    def due(self, now: dt.datetime) -> MailQuerySet:
        return self.waiting().unclaimed(now).filter(next_attempt_at__lte=now)


class Mail(models.Model):
    """An ``EmailMessage`` taken apart into columns, with its delivery state."""

    created_at = models.DateTimeField(auto_now_add=True)
    from_email = models.CharField(max_length=500)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    subject = models.TextField()
    body = models.TextField()
    content_subtype = models.CharField(max_length=20, default="plain")
    alternatives = models.JSONField(default=list)  # [content, mimetype] pairs
    headers = models.JSONField(default=dict)  # with the Message-ID and Date fixed on creation

    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # Who is sending it now: a random token per claim, and when the claim lapses.
    claim = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    objects = MailQuerySet.as_manager()

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        indexes = [models.Index(fields=["next_attempt_at"], name="outbox_mail_next_attempt")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients())}"

    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]
