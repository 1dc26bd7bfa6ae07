"""The moderation policy: which state a new comment starts in, and moderators' decisions.

``judge`` is WordPress's ``check_comment`` order plus the learning filter; the first rule that
fires wins and its reason is stored, so the admin can say *why* a comment is held.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import bayes
from broadsheet.comments.spam.rules import count_links, matching_key

Status = Comment.Status
Moderation = DiscussionSettings.Moderation


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    spam_score: float | None = None


def is_trusted(comment: Comment) -> bool:
    """The article's own author and those who may moderate skip moderation (not the spam lists)."""
    user = comment.user
    if user is None or not user.is_authenticated:
        return False
    return user.pk == comment.article.author.user_id or user.has_perm("comments.change_comment")


def previously_approved(comment: Comment) -> bool:
    if comment.user_id:
        return Comment.objects.approved().filter(user_id=comment.user_id).exists()
    return (
        Comment.objects.approved()
        .filter(author_name=comment.author_name, author_email=comment.author_email)
        .exists()
    )


def judge(comment: Comment, settings: DiscussionSettings) -> Verdict:
    """The starting state of an unsaved comment whose ``body_html`` is already rendered."""
    fields = (comment.author_name, comment.author_email, comment.author_url, comment.body)
    fields += (comment.ip_address or "", comment.user_agent)
    if key := matching_key(settings.disallowed_keys, *fields):
        return Verdict(Status.SPAM, f"contains the disallowed word “{key}”")
    score = bayes.spam_probability(comment.body, comment.author_url)
    if score is not None and score >= settings.spam_threshold:
        return Verdict(Status.SPAM, f"the learning filter is {score:.0%} sure it is spam", score)
    if is_trusted(comment):
        return Verdict(Status.APPROVED, "written by the article's author or a moderator", score)
    if settings.moderation == Moderation.HOLD_ALL:
        return Verdict(Status.PENDING, "every comment is held for moderation", score)
    links = count_links(comment.body_html)
    if settings.max_links and links >= settings.max_links:
        return Verdict(Status.PENDING, f"it has {links} links", score)
    if key := matching_key(settings.moderation_keys, *fields):
        return Verdict(Status.PENDING, f"contains the moderation word “{key}”", score)
    if score is not None and score >= settings.unsure_threshold:
        return Verdict(Status.PENDING, f"the learning filter rates it {score:.0%} spam", score)
    if settings.moderation == Moderation.HOLD_FIRST_TIME and not previously_approved(comment):
        return Verdict(Status.PENDING, "first comment from this commenter", score)
    return Verdict(Status.APPROVED, "passed every check", score)


@transaction.atomic
def set_status(comment: Comment, status: str) -> Comment:
    """A moderator's decision. Approving teaches the filter "good", marking spam teaches "spam"."""
    previous = comment.status
    comment.status = status
    comment.save(update_fields=["status", "updated_at"])
    if status == Status.APPROVED:
        bayes.learn(comment, "ham")
    elif status == Status.SPAM:
        bayes.learn(comment, "spam")
    if previous != Status.APPROVED and status == Status.APPROVED:
        from broadsheet.comments import notifications

        notifications.comment_approved(comment)  # into the outbox, in this transaction
    return comment


def delete_comment(comment: Comment) -> None:
    """Delete for good: its training is withdrawn; its replies move up one level, keeping
    their own replies, and each moved subtree's thread and depth are recomputed."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)  # callers may be stale
        bayes.forget(comment)
        root_id = comment.thread_id or comment.pk
        family = list(Comment.objects.filter(Q(thread_id=root_id) | Q(pk=root_id)))
        children: dict[int | None, list[Comment]] = {}
        for member in family:
            children.setdefault(member.parent_id, []).append(member)
        moved: list[Comment] = []

        now = timezone.now()

        def lift(node: Comment, thread_id: int | None) -> None:
            node.depth -= 1
            node.updated_at = now
            node.thread_id = thread_id
            moved.append(node)
            for child in children.get(node.pk, []):
                lift(child, thread_id if thread_id is not None else node.pk)

        for child in children.get(comment.pk, []):
            child.parent_id = comment.parent_id
            # A reply to a deleted top-level comment starts a thread of its own.
            lift(child, comment.thread_id)
        # updated_at as well: every write to a comment sets it (comments/listing.py relies on it).
        Comment.objects.bulk_update(moved, ["parent", "thread", "depth", "updated_at"])
        comment.delete()


def staff_reply(parent: Comment, user, text: str) -> Comment:  # type: ignore[no-untyped-def]
    """An editor's answer from the admin: published at once, threaded under ``parent``."""
    from broadsheet.comments.discussion import discussion_settings

    options = discussion_settings()
    reply_to = parent if parent.depth < options.thread_depth else parent.parent
    reply = Comment(
        article=parent.article,
        parent=reply_to,
        thread=(reply_to.thread or reply_to) if reply_to else None,
        depth=reply_to.depth + 1 if reply_to else 1,
        user=user,
        author_name=user.get_full_name() or user.get_username(),
        author_email=user.email,
        body=text,
        status=Status.APPROVED,
        moderation_reason="reply from the admin",
    )
    reply.save()
    from broadsheet.comments import notifications

    notifications.comment_posted(reply)
    return reply
