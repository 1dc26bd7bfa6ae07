"""Emails about comments: to the article's author, to moderators, and to commenters who asked
to hear about replies. All go through Django's email backend (``BROADSHEET_EMAIL_URL``).

Every function here runs inside the comment's transaction and writes its messages into the
outbox (``broadsheet/outbox``) there, so a comment that is stored cannot lose its mail and
one rolled back sends none. The outbox talks to the mail server after the commit: a mail
server that is slow or down never delays a reader's post, nor turns it into an error.

Moderation links go only to people the admin will let through (see ``can_moderate``), as
WordPress sends them to the post author only "if they can edit the comment": a link that
answers "Not allowed." teaches people to ignore the mail.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from email.utils import formataddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from broadsheet.comments.discussion import discussion_settings
from broadsheet.comments.models import Comment
from broadsheet.content.site import current_site_settings
from broadsheet.outbox.sender import send_later

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "broadsheet.comments.unsubscribe"
MODERATE_PERMISSION = "comments.change_comment"
ACTION_LABELS = {
    "approve": "Approve it",
    "spam": "Mark it as spam",
    "trash": "Move it to the trash",
}
# RFC 3834: tells vacation responders and ticket systems not to answer these mails.
AUTOMATIC = {"Auto-Submitted": "auto-generated"}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_token(comment: Comment) -> str:
    return signing.dumps({"c": comment.pk, "e": comment.author_email}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return int(data["c"]), str(data["e"])


def _send(
    subject: str,
    body: str,
    recipients: list[str],
    *,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """One message per recipient over one connection, so no one learns who else was told.

    Returns how many were queued: the outbox sends them after the commit, and retries a
    refused connection or address. The subject is flattened to one line
    because a line break in a header makes Django refuse the whole message (an imported title
    can carry one).
    """
    if not recipients:
        return 0
    subject = " ".join(subject.split())
    messages = [
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            reply_to=reply_to,
            headers={**AUTOMATIC, **(headers or {})},
        )
        for address in recipients
    ]
    send_later(messages)
    return len(messages)


def can_moderate(user: AbstractBaseUser) -> bool:
    """Whether the admin's moderate view would let ``user`` act: active staff who may change
    comments. Keep in step with ``CommentAdmin.has_change_permission``."""
    return bool(user.is_active and user.is_staff and user.has_perm(MODERATE_PERMISSION))


def moderator_addresses(comment: Comment) -> list[str]:
    """Everyone who can act on the comment: superusers and staff whose role (or own grant)
    lets them change comments. The article's author is among them when their role is."""
    app_label, codename = MODERATE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
    )
    by_address = {email.lower(): email for email in users.values_list("email", flat=True)}
    return sorted(by_address.values())


def _comment_summary(comment: Comment) -> str:
    lines = [f"Author: {comment.author_name}"]
    if comment.author_email:
        lines.append(f"Email: {comment.author_email}")
    if comment.author_url:
        lines.append(f"Website: {comment.author_url}")
    lines += ["Comment:", comment.body, ""]
    return "\n".join(lines)


def _moderation_links(comment: Comment, actions: tuple[str, ...]) -> str:
    base = absolute(reverse("admin:comments_comment_moderate", args=[comment.pk]))
    lines = [f"{ACTION_LABELS[action]}: {base}?action={action}" for action in actions]
    edit = absolute(reverse("admin:comments_comment_change", args=[comment.pk]))
    return "\n".join([*lines, f"Edit it: {edit}"])


def _never_fatal(notify: Callable[[Comment], None]) -> Callable[[Comment], None]:
    """Run ``notify`` in a savepoint; a failure is logged and undone, never the comment."""

    @functools.wraps(notify)
    def guarded(comment: Comment) -> None:
        try:
            with transaction.atomic():
                notify(comment)
        except Exception:  # the reader's comment is kept whatever went wrong here
            logger.exception("Could not queue the emails about comment %s", comment.pk)

    return guarded


@_never_fatal
def comment_posted(comment: Comment) -> None:
    """After a new comment is stored: tell the author (published) or moderators (held)."""
    options = discussion_settings()
    if comment.status == Comment.Status.APPROVED:
        if options.notify_article_author:
            notify_article_author(comment)
        notify_parent_commenter(comment)
    elif comment.status == Comment.Status.PENDING and options.notify_moderators:
        notify_moderators(comment)


@_never_fatal
def comment_approved(comment: Comment) -> None:
    """A held comment was approved: now is when a reply notification makes sense."""
    notify_parent_commenter(comment)


def notify_article_author(comment: Comment) -> bool:
    """WordPress's ``wp_notify_postauthor``: the published comment, with Reply-To set to the
    commenter so answering privately is one click. Never about the author's own comment."""
    author = comment.article.author.user
    if author is None or not author.is_active or not author.email:
        return False
    if comment.user_id == author.pk or comment.author_email == author.email.lower():
        return False
    title = comment.article.title
    body = (
        f"New comment on your article “{title}”:\n\n{_comment_summary(comment)}\n"
        f"Read it: {absolute(comment.get_absolute_url())}\n"
    )
    if can_moderate(author):
        body += f"\n{_moderation_links(comment, ('spam', 'trash'))}\n"
    reply_to = [formataddr((comment.author_name, comment.author_email))]
    sent = _send(
        f"[{current_site_settings().title}] Comment: “{title}”",
        body,
        [author.email],
        reply_to=reply_to if comment.author_email else None,
    )
    return sent > 0


def notify_moderators(comment: Comment) -> int:
    """WordPress's ``wp_notify_moderator``: a held comment, the links to decide it, and how
    many others are waiting."""
    title = comment.article.title
    waiting = Comment.objects.filter(status=Comment.Status.PENDING).count()
    queue = absolute(reverse("admin:comments_comment_changelist"))
    return _send(
        f"[{current_site_settings().title}] Please moderate: “{title}”",
        f"A new comment on “{title}” is waiting for your approval "
        f"({comment.moderation_reason}).\n"
        f"Article: {absolute(comment.article.get_absolute_url())}\n\n"
        f"{_comment_summary(comment)}\n"
        f"{_moderation_links(comment, ('approve', 'spam', 'trash'))}\n\n"
        f"Currently {waiting} comment(s) are waiting for approval.\n"
        f"Moderation queue: {queue}?status__exact={Comment.Status.PENDING}\n",
        moderator_addresses(comment),
    )


def notify_parent_commenter(reply: Comment) -> bool:
    """Email the commenter replied to, if they opted in (and it is not their own reply).

    The parent is read again because the commenter may have unsubscribed, or the comment been
    marked spam, since ``reply.parent`` was loaded; a spammer is never mailed. The mail names
    the replier but never carries their email address.
    """
    if reply.parent_id is None or reply.status != Comment.Status.APPROVED:
        return False
    parent = Comment.objects.filter(pk=reply.parent_id).first()
    if parent is None or not parent.notify_replies or not parent.author_email:
        return False
    if parent.status != Comment.Status.APPROVED or parent.author_email == reply.author_email:
        return False
    unsubscribe = absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    site = current_site_settings().title
    sent = _send(
        f"[{site}] {reply.author_name} replied to your comment on “{reply.article.title}”",
        f"{reply.author_name} replied to your comment:\n\n{reply.body}\n\n"
        f"Read the conversation: {absolute(reply.get_absolute_url())}\n\n"
        f"You get this email because you asked to hear about replies. "
        f"Stop these emails with one click: {unsubscribe}\n",
        [parent.author_email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return sent > 0
