"""Comments and the discussion settings that govern them.

A commenter's email and IP address are stored for moderation, notifications and rate limits
only; nothing here is ever printed on a public page (see ``public.py`` for what is).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from broadsheet.content.models import Article
from broadsheet.core.urls import safe_http_url


class DiscussionSettings(models.Model):
    """WordPress's "Discussion" screen: one row, edited in the admin."""

    class Moderation(models.TextChoices):
        HOLD_ALL = "hold-all", "Hold every comment for moderation"
        HOLD_FIRST_TIME = "hold-first-time", "Hold comments from first-time commenters"
        APPROVE_ALL = "approve-all", "Publish every comment that passes the spam checks"

    class Order(models.TextChoices):
        OLDEST_FIRST = "oldest", "Oldest first"
        NEWEST_FIRST = "newest", "Newest first"

    moderation = models.CharField(
        max_length=20, choices=Moderation.choices, default=Moderation.HOLD_FIRST_TIME
    )
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Hold a comment with this many links or more (0 turns it off)."
    )
    moderation_keys = models.TextField(
        blank=True,
        help_text="One word or phrase per line: a comment containing one is held for moderation.",
    )
    disallowed_keys = models.TextField(
        blank=True, help_text="One word or phrase per line: a comment containing one goes to spam."
    )
    close_after_days = models.PositiveIntegerField(
        default=0, help_text="Close comments on articles older than this many days (0: never)."
    )
    thread_depth = models.PositiveSmallIntegerField(
        default=5, help_text="How deep replies may nest (1 turns threading off)."
    )
    threads_per_page = models.PositiveSmallIntegerField(
        default=50, help_text="Top-level comments per page; replies stay with their thread."
    )
    order = models.CharField(max_length=10, choices=Order.choices, default=Order.OLDEST_FIRST)
    flood_seconds = models.PositiveIntegerField(
        default=15, help_text="Refuse a second comment from one IP or email within this time."
    )
    hourly_limit_per_ip = models.PositiveIntegerField(
        default=20, help_text="Comments one IP address may post per hour (0: no limit)."
    )
    min_seconds_to_write = models.PositiveSmallIntegerField(
        default=3, help_text="A form sent back sooner than this after loading is treated as a bot."
    )
    form_lifetime_hours = models.PositiveSmallIntegerField(
        default=48, help_text="A form older than this must be reloaded before posting."
    )
    spam_threshold = models.FloatField(
        default=0.99, help_text="Learning filter: at or above this spam probability → spam."
    )
    unsure_threshold = models.FloatField(
        default=0.6, help_text="Learning filter: at or above this (but below spam) → held."
    )
    keep_ip_days = models.PositiveSmallIntegerField(
        default=30, help_text="Forget commenters' IP addresses after this many days."
    )
    notify_article_author = models.BooleanField(
        default=True, help_text="Email the article's author about each new published comment."
    )
    notify_moderators = models.BooleanField(
        default=True, help_text="Email administrators and editors about comments held for review."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "discussion settings"

    def __str__(self) -> str:
        return "Discussion settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        self.thread_depth = max(1, min(self.thread_depth, 10))
        self.threads_per_page = max(1, self.threads_per_page)
        super().save(*args, **kwargs)


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def by_email(self, email: str) -> CommentQuerySet:
        return self.filter(author_email__iexact=email.strip())


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    thread = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The top-level comment of this thread; empty for a top-level comment.",
    )
    depth = models.PositiveSmallIntegerField(default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=245)
    author_email = models.EmailField(max_length=100, blank=True)
    author_url = models.URLField(max_length=200, blank=True)
    body = models.TextField(max_length=65525)
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=254, blank=True)
    spam_score = models.FloatField(null=True, blank=True)
    moderation_reason = models.CharField(max_length=200, blank=True)
    trained_as = models.CharField(max_length=4, blank=True, editable=False)
    notify_replies = models.BooleanField(default=False)
    avatar_key = models.CharField(max_length=20, editable=False, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                # id and updated_at too: the page's threads (ordered by created_at, id) and
                # the comment list's version are read from this index alone
                # (comments/listing.py), not from the table.
                fields=["article", "status", "thread", "created_at", "id", "updated_at"],
                name="comment_listing",
            ),
            models.Index(fields=["status", "created_at"], name="comment_status_created"),
            models.Index(fields=["author_email"], name="comment_author_email"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.article_id}: {self.body[:40]}"

    def save(self, *args, **kwargs) -> None:
        from broadsheet.comments.avatars import avatar_key
        from broadsheet.comments.rendering import render_comment

        self.author_name = " ".join(self.author_name.split())
        self.author_email = self.author_email.strip().lower()
        self.author_url = safe_http_url(self.author_url)
        self.body_html = render_comment(self.body)
        self.avatar_key = avatar_key(self.author_email, self.author_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class SpamToken(models.Model):
    """Learning filter memory: how often a token was seen in spam and in good comments."""

    token = models.CharField(max_length=100, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.token} (spam {self.spam}, ham {self.ham})"


class SpamCorpus(models.Model):
    """One row: how many comments the learning filter has been trained on, per label."""

    spam_comments = models.PositiveIntegerField(default=0)
    ham_comments = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "spam filter corpus"

    def __str__(self) -> str:
        return f"{self.spam_comments} spam, {self.ham_comments} good"
