"""Stored comments re-rendered under the plain-text rule (comments/rendering.py).

Comments were Markdown until now: their ``body_html`` ate what readers typed (``¯\\_(ツ)_/¯``).
A comment posted here keeps its body, the text as typed, and gets its HTML again. A comment
imported from WordPress had its HTML turned into Markdown for the body; its new body is read
back from the HTML it showed (comments/html_text.py), so its bold stays bold. The live
functions are used on purpose: the rule is the one the site now applies to every new comment.
"""

from django.db import migrations
from django.utils import timezone

BATCH = 500


def render_again(apps, schema_editor):
    from broadsheet.comments.html_text import text_from_html
    from broadsheet.comments.rendering import render_comment

    Comment = apps.get_model("comments", "Comment")
    WordPressObject = apps.get_model("importers", "WordPressObject")
    ContentType = apps.get_model("contenttypes", "ContentType")
    comment_type = ContentType.objects.filter(app_label="comments", model="comment").first()
    imported = set()
    if comment_type is not None:
        imported = set(
            WordPressObject.objects.filter(kind="comment", content_type=comment_type).values_list(
                "object_id", flat=True
            )
        )
    now = timezone.now()
    changed = []
    rows = Comment.objects.only("pk", "body", "body_html", "updated_at").order_by("pk")
    for comment in rows.iterator(chunk_size=2000):
        body = text_from_html(comment.body_html) if comment.pk in imported else comment.body
        html = render_comment(body)
        if (body, html) != (comment.body, comment.body_html):
            # Every write to a comment sets updated_at: the comment lists are kept under it.
            comment.body, comment.body_html, comment.updated_at = body, html, now
            changed.append(comment)
        if len(changed) >= BATCH:
            Comment.objects.bulk_update(changed, ["body", "body_html", "updated_at"])
            changed = []
    Comment.objects.bulk_update(changed, ["body", "body_html", "updated_at"])
    if schema_editor.connection.alias == "default":
        # Cached pages still hold the old HTML: every page carries the "site" tag.
        from broadsheet.pagecache.store import purge
        from broadsheet.pagecache.tags import SITE

        purge({SITE})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_listing_with_id"),
        ("importers", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
