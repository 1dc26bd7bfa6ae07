"""The search index's rows: one per published article or page, as plain text.

The engines' own structures hang off this table and are created by the migration, because
Django has no words for them: on SQLite an FTS5 virtual table kept in step by triggers, on
PostgreSQL a ``vector`` tsvector column with a GIN index, written by the backend.

On SQLite, a future migration that alters this table makes Django rebuild it, which drops
the triggers: such a migration must create them again (see ``0001_initial``).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        PAGE = "page", "Page"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    body = models.TextField(blank=True, help_text="Plain text, without markup.")
    url = models.CharField(max_length=1000)
    # When it becomes visible; empty for pages, which have no date. A scheduled article is
    # indexed ahead of time and only found once this has passed.
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_per_object")
        ]
        indexes = [models.Index(fields=["published_at"], name="search_document_published")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
