"""Emails about comments: to the article's author, to moderators, and to commenters who asked
to hear about replies. All go through Django's email backend (``BROADSHEET_EMAIL_URL``).

Every function here runs after the comment's transaction commits; a mail server that is down
is logged and never turns a reader's successful post into an error.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse

from broadsheet.comments.discussion import discussion_settings
from broadsheet.comments.models import Comment
from broadsheet.content.site import current_site_settings

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "broadsheet.comments.unsubscribe"


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


def _send(subject: str, body: str, to: list[str], **kwargs) -> bool:  # type: ignore[no-untyped-def]
    if not to:
        return False
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, **kwargs)
    try:
        message.send()
    except OSError:
        logger.exception("Could not send the email %r to %d recipient(s)", subject, len(to))
        return False
    return True


def _comment_summary(comment: Comment) -> str:
    lines = [f"Author: {comment.author_name}"]
    if comment.author_url:
        lines.append(f"Website: {comment.author_url}")
    lines += ["", comment.body, ""]
    return "\n".join(lines)


def _moderation_links(comment: Comment) -> str:
    base = reverse("admin:comments_comment_moderate", args=[comment.pk])
    return "\n".join(
        [
            f"Approve it: {absolute(base)}?action=approve",
            f"Mark it as spam: {absolute(base)}?action=spam",
            f"Move it to the trash: {absolute(base)}?action=trash",
            f"Edit it: {absolute(reverse('admin:comments_comment_change', args=[comment.pk]))}",
        ]
    )


def moderator_addresses(comment: Comment) -> list[str]:
    """Administrators and editors, plus the article's author: whoever can act on the comment."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    wanted = users.filter(
        Q(is_superuser=True) | Q(groups__name__in=["Administrator", "Editor"])
    ).values_list("email", flat=True)
    addresses = set(wanted)
    author_user = comment.article.author.user
    if author_user and author_user.email:
        addresses.add(author_user.email)
    return sorted(addresses)


def comment_posted(comment: Comment) -> None:
    """After a new comment is stored: tell the author (published) or moderators (held)."""
    options = discussion_settings()
    site = current_site_settings().title
    title = comment.article.title
    if comment.status == Comment.Status.APPROVED:
        author_user = comment.article.author.user
        own = author_user is not None and comment.user_id == author_user.pk
        if options.notify_article_author and author_user and author_user.email and not own:
            _send(
                f"[{site}] Comment: “{title}”",
                f"New comment on your article “{title}”:\n\n{_comment_summary(comment)}\n"
                f"Read it: {absolute(comment.get_absolute_url())}\n\n"
                f"{_moderation_links(comment)}\n",
                [author_user.email],
                reply_to=[comment.author_email] if comment.author_email else None,
            )
        notify_parent_commenter(comment)
    elif comment.status == Comment.Status.PENDING and options.notify_moderators:
        waiting = Comment.objects.filter(status=Comment.Status.PENDING).count()
        _send(
            f"[{site}] Please moderate: “{title}”",
            f"A new comment on “{title}” is waiting for your approval "
            f"({comment.moderation_reason}).\n\n{_comment_summary(comment)}\n"
            f"{_moderation_links(comment)}\n\n"
            f"Currently {waiting} comment(s) are waiting for approval.\n",
            moderator_addresses(comment),
        )


def comment_approved(comment: Comment) -> None:
    """A held comment was approved: now is when a reply notification makes sense."""
    notify_parent_commenter(comment)


def notify_parent_commenter(reply: Comment) -> None:
    """Email the commenter replied to, if they opted in (and it is not their own reply)."""
    parent = reply.parent
    if parent is None or not parent.notify_replies or not parent.author_email:
        return
    if parent.author_email == reply.author_email:
        return
    token = unsubscribe_token(parent)
    unsubscribe = absolute(reverse("comments:unsubscribe", args=[token]))
    site = current_site_settings().title
    _send(
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
