"""The migration that re-renders stored comments: Markdown-era HTML is replaced by the
plain-text rule, and imported WordPress comments keep the markup they showed."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from broadsheet.comments.models import Comment
from broadsheet.importers.models import WordPressObject
from tests.comments.conftest import add_comment

pytestmark = pytest.mark.django_db(transaction=True)  # migrate runs its own transactions


def stored_as_before(comment: Comment, body: str, body_html: str) -> None:
    """Write the row as the Markdown renderer left it (update() skips save()'s rendering)."""
    Comment.objects.filter(pk=comment.pk).update(body=body, body_html=body_html)


def test_markdown_era_comments_show_what_was_typed_after_the_migration(article) -> None:  # type: ignore[no-untyped-def]
    typed = add_comment(article, body="x")
    stored_as_before(typed, "¯\\_(ツ)_/¯ and *stars*", "<p>¯_(ツ)_/¯ and <em>stars</em></p>\n")
    imported = add_comment(article, body="x")
    stored_as_before(
        imported, "Fish & chips, **bold**", "<p>Fish &amp; chips, <strong>bold</strong></p>\n"
    )
    WordPressObject.objects.create(
        kind="comment",
        wp_id=77,
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=imported.pk,
    )
    before = Comment.objects.get(pk=typed.pk).updated_at

    call_command("migrate", "comments", "0003", verbosity=0)
    call_command("migrate", "comments", verbosity=0)

    typed.refresh_from_db()
    imported.refresh_from_db()
    assert typed.body_html == "<p>¯\\_(ツ)_/¯ and *stars*</p>\n"
    assert typed.updated_at > before  # the kept comment lists see a new version
    assert imported.body == "Fish & chips, <strong>bold</strong>"
    assert imported.body_html == "<p>Fish &amp; chips, <strong>bold</strong></p>\n"
