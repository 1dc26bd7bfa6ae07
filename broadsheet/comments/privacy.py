"""What a commenter may ask of us: a copy of what we hold about them, and to be forgotten.

Also the retention rule for IP addresses, which are kept for spam checks and rate limits only.
Comments are matched on their email address, case-insensitively, as WordPress's personal-data
tools do: it is the one thing a commenter can prove is theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.comments.spam import bayes
from broadsheet.outbox.privacy import erase_mail, export_mail

ANONYMOUS = "Anonymous"


def purge_ip_addresses(older_than_days: int) -> int:
    """Blank the IP address of every comment created more than ``older_than_days`` ago;
    return how many were blanked. A comment exactly at the cut-off keeps its address."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    return Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )


def _required(email: str) -> str:
    """The email, normalised as ``Comment.save`` stores it. A blank one is refused: it would
    match every comment left without an address."""
    email = email.strip().lower()
    if not email:
        raise ValueError("An email address is required.")
    return email


def export_commenter(email: str) -> dict[str, Any]:
    """Everything stored about the commenter with this email, private fields included, as
    JSON-ready data: ``{"email", "exported_at", "comments": [...]}``, oldest comment first."""
    email = _required(email)
    comments = (
        Comment.objects.by_email(email)
        .select_related("article", "user")
        .order_by("created_at", "pk")
    )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [_exported(comment) for comment in comments],
        "unsent_mail": export_mail(email),  # to them, or quoting their address
    }


def _exported(comment: Comment) -> dict[str, Any]:
    article = comment.article
    return {
        "id": comment.pk,
        "article": {
            "id": article.pk,
            "title": article.title,
            "url": f"{settings.SITE_URL}{article.get_absolute_url()}",
        },
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        "body": comment.body,
        "status": comment.status,
        "created_at": comment.created_at.isoformat(),
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
        "notify_replies": comment.notify_replies,
        "user": comment.user.get_username() if comment.user else None,
    }


@transaction.atomic
def erase_commenter(email: str) -> int:
    """Anonymise every comment by this email; return how many.

    The words stay, in their state and their place in the thread, so replies to them still
    make sense; everything that identifies the writer goes, including the avatar (derived from
    the email) and a moderation note that quotes the address. Comments the spam filter learned
    from are retrained on what remains, so its counts stay exact for a later delete.
    """
    email = _required(email)
    erase_mail(email)  # unsent mail to them or quoting them goes too
    erased = 0
    for comment in Comment.objects.by_email(email).select_for_update().order_by("pk"):
        label = comment.trained_as
        if label:
            bayes.forget(comment)  # subtract the tokens it was counted with (its URL's domain)
        comment.author_name = ANONYMOUS
        comment.author_email = comment.author_url = comment.user_agent = ""
        comment.ip_address = None
        comment.notify_replies = False
        comment.user = None
        if email in comment.moderation_reason.lower():
            comment.moderation_reason = ""
        comment.save()  # recomputes the avatar key from the blanked email
        if label:
            bayes.learn(comment, label)
        erased += 1
    return erased
