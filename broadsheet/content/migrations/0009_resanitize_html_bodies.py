"""HTML bodies stored before every writer went through the one sanitizer (an import could
keep a WXR item's HTML as given) are sanitized again, so what is already stored is safe too."""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

from broadsheet.core.markup import sanitize_html


def resanitize(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    for name in ("Article", "Page"):
        model = apps.get_model("content", name)
        rows = model.objects.filter(body_format="html").only("pk", "body_html")
        for row in rows.iterator(chunk_size=500):
            clean = sanitize_html(row.body_html)
            if clean != row.body_html:
                # update(): no revision, no signals; a new updated_at so kept copies renew.
                model.objects.filter(pk=row.pk).update(body_html=clean, updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("content", "0008_term_links_cover_article")]

    operations = [migrations.RunPython(resanitize, migrations.RunPython.noop, elidable=True)]
