"""Accepting a comment: the checks WordPress makes, in its order, plus our spam defences.

``submit_comment`` either stores the comment (in the state the moderation policy gives it) or
raises ``Rejected`` with the HTTP status and a message meant for the commenter. Nothing is
stored on rejection, and the caller keeps the commenter's input to show it again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import transaction

from broadsheet.comments import notifications
from broadsheet.comments.discussion import comments_are_open
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.moderation import judge
from broadsheet.comments.privacy import purge_ip_addresses
from broadsheet.comments.rendering import render_comment
from broadsheet.comments.spam import form_timestamp, honeypot, rate_limits
from broadsheet.content.models import Article


@dataclass
class Rejected(Exception):
    status: int
    message: str
    field: str | None = None  # the form field the message belongs next to, if any


CLOSED = Rejected(403, "Sorry, comments are closed for this article.")
BOT = Rejected(400, "Your comment could not be accepted. If you are a person, please try again.")
TOO_FAST = Rejected(
    400, "That was quicker than anyone can type. Please check your comment and post it again."
)
EXPIRED = Rejected(
    400, "This form was loaded too long ago. Your comment is still here: please post it again."
)
DUPLICATE = Rejected(
    409, "Duplicate comment detected; it looks as though you’ve already said that!"
)
FLOOD = Rejected(429, "You are posting comments too quickly. Slow down, and try again in a moment.")
HOURLY = Rejected(429, "You have posted a lot of comments this hour. Please try again later.")


def refusal(template: Rejected) -> Rejected:
    """A fresh exception from one of the templates above. Raising a module-level instance again
    and again would chain every raise's traceback onto it: memory that grows with each refused
    post, holding the frames (and the commenters' details) of requests long finished."""
    return replace(template)


def resolve_parent(article: Article, parent_id: int | None, max_depth: int) -> Comment | None:
    """The comment replied to, if it is on this article and visible or pending; a reply at the
    deepest level becomes a sibling rather than nesting further."""
    if not parent_id:
        return None
    parent = (
        Comment.objects.filter(
            pk=parent_id,
            article=article,
            status__in=[Comment.Status.APPROVED, Comment.Status.PENDING],
        )
        .select_related("parent")
        .first()
    )
    while parent is not None and parent.depth >= max_depth:
        parent = parent.parent
    return parent


def check_defences(posted: dict, article: Article, settings: DiscussionSettings) -> None:  # type: ignore[type-arg]
    if honeypot.is_tripped(posted):
        raise refusal(BOT)
    problem = form_timestamp.check(
        posted.get(form_timestamp.FIELD_NAME, ""),
        article.pk,
        settings.min_seconds_to_write,
        settings.form_lifetime_hours,
    )
    if problem == "fast":
        raise refusal(TOO_FAST)
    if problem == "expired":
        raise refusal(EXPIRED)
    if problem == "missing":
        raise refusal(BOT)


def is_duplicate(comment: Comment) -> bool:
    same = Comment.objects.filter(
        article=comment.article,
        parent=comment.parent,
        author_name=comment.author_name,
        body=comment.body,
    ).exclude(status=Comment.Status.TRASH)
    if comment.author_email:
        same = same.filter(author_email=comment.author_email)
    return same.exists()


@transaction.atomic
def submit_comment(
    comment: Comment,
    posted: dict,
    settings: DiscussionSettings,
    *,
    exempt_from_limits: bool = False,
) -> Comment:  # type: ignore[type-arg]
    """Check and store ``comment`` (unsaved, fields filled from the form)."""
    # Normalised as save() stores them, so the duplicate and "previously approved" lookups
    # compare like with like ("Ada@Example.org" is the commenter of "ada@example.org").
    comment.author_name = " ".join(comment.author_name.split())
    comment.author_email = comment.author_email.strip().lower()
    if not comments_are_open(comment.article, settings):
        raise refusal(CLOSED)
    check_defences(posted, comment.article, settings)
    if is_duplicate(comment):
        raise refusal(DUPLICATE)
    if not exempt_from_limits:
        if rate_limits.too_soon(comment.ip_address, comment.author_email, settings.flood_seconds):
            raise refusal(FLOOD)
        if rate_limits.over_hourly_limit(comment.ip_address, settings.hourly_limit_per_ip):
            raise refusal(HOURLY)
    comment.body_html = render_comment(comment.body)  # the link-count rule reads it
    verdict = judge(comment, settings)
    comment.status, comment.moderation_reason = verdict.status, verdict.reason[:200]
    comment.spam_score = verdict.spam_score
    comment.save()
    # Counted once stored: a database that fails at COMMIT (a full disk) must not leave the
    # commenter flood-limited for a comment that was never kept.
    transaction.on_commit(
        lambda: rate_limits.record_post(
            comment.ip_address, comment.author_email, settings.flood_seconds
        ),
        robust=True,
    )
    notifications.comment_posted(comment)  # into the outbox, in this transaction
    forget_old_ip_addresses(settings.keep_ip_days)
    return comment


def forget_old_ip_addresses(keep_days: int) -> int:
    """Blank IP addresses older than ``keep_days``; at most once an hour, on the posting path,
    so no scheduler is needed."""
    if not cache.add("comments:ip-purge", 1, 3600):
        return 0
    return purge_ip_addresses(keep_days)
