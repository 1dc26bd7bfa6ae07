"""Links of a term newest first, as an index walk: related articles read the newest few
hundred links of each of an article's terms. SQLite's index on the term already orders each
term's links by id (the row id); PostgreSQL's does not, and sorted every link of a common tag
(3.6 ms at 100,000 articles), so it gets (term, id) indexes."""

from django.db import migrations

INDEXES = (
    ("content_article_tags", "tag_id", "article_tags_recent"),
    ("content_article_categories", "category_id", "article_categories_recent"),
)


def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, name in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}", "id")')


def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("content", "0005_home_live_index")]
    operations = [migrations.RunPython(create, drop)]
