"""What an import leaves behind besides the content itself: media records, and the mapping
from each WordPress id to the object made from it (for idempotent re-runs, old links and a
faithful export)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from broadsheet.content.models import Author, Page
from broadsheet.core.urls import safe_http_url


class Media(models.Model):
    """An uploaded file (WordPress's "attachment"): a copy under MEDIA_ROOT when the import
    had the files, otherwise a link to where the file still lives."""

    title = models.CharField(max_length=300, blank=True)
    file = models.CharField(
        max_length=500, blank=True, help_text="Path under MEDIA_ROOT when the file is stored here."
    )
    original_url = models.URLField(max_length=1000, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    alt_text = models.CharField(max_length=500, blank=True)
    caption = models.TextField(blank=True)
    description = models.TextField(blank=True)
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return self.title or self.url

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        return f"{settings.MEDIA_URL}{self.file}" if self.file else self.original_url


class WordPressObject(models.Model):
    """One WordPress object (post, page, attachment, comment, term, author) and what it
    became here. ``checksum`` is a digest of the source record, so a re-run can tell an
    unchanged item from an edited one; ``old_path`` is the object's old permalink path."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        COMMENT = "comment", "Comment"
        PAGE_COMMENT = "page-comment", "Comment on a page"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    wp_id = models.BigIntegerField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    guid = models.CharField(max_length=500, blank=True)
    old_path = models.CharField(max_length=500, blank=True)
    checksum = models.CharField(max_length=40, blank=True)
    extra = models.JSONField(
        default=dict, blank=True, help_text="WordPress fields with no home here (e.g. an email)."
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "wp_id"], name="wordpress_object_unique_id")
        ]
        indexes = [
            # Only rows that have an old address (not comments): a smaller index, cheaper writes.
            models.Index(
                fields=["old_path"], condition=~Q(old_path=""), name="wordpress_object_old_path"
            ),
        ]

    def __str__(self) -> str:
        return f"WordPress {self.kind} {self.wp_id}"


class PageComment(models.Model):
    """A WordPress comment on a page. Broadsheet's comments belong to articles, so these are
    kept (and exported again) but not shown; the email stays private as everywhere else."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    author_name = models.CharField(max_length=245, blank=True)
    author_email = models.EmailField(max_length=100, blank=True)
    author_url = models.URLField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10)
    comment_type = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_name} on page {self.page_id}"

    def save(self, *args, **kwargs) -> None:
        self.author_url = safe_http_url(self.author_url)
        super().save(*args, **kwargs)
