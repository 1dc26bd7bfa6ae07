"""The article list's version, changed by the database on every change to which articles a
list shows (see ``ArticleListVersion``). Triggers, not signals: a queryset ``update()``, a
bulk insert or a hand-typed statement must change it too. A new random number rather than the
next one: a transaction that rolls back takes its number with it, and the next change must not
come back to that number, which a worker may have used while it was visible."""

from django.db import migrations, models

ARTICLES = "content_article"
VERSION = "content_articlelistversion"
BUMP = f'UPDATE "{VERSION}" SET "version" = {{random}}'
CHANGED = (
    'OLD."status" IS DISTINCT FROM NEW."status" '
    'OR OLD."published_at" IS DISTINCT FROM NEW."published_at" '
    'OR OLD."sticky" IS DISTINCT FROM NEW."sticky"'
)

SQLITE_BUMP = BUMP.format(random="random()")  # 64 random bits
SQLITE = [
    f'CREATE TRIGGER "article_list_added" AFTER INSERT ON "{ARTICLES}" BEGIN {SQLITE_BUMP}; END',
    f'CREATE TRIGGER "article_list_removed" AFTER DELETE ON "{ARTICLES}" '
    f"BEGIN {SQLITE_BUMP}; END",
    f'CREATE TRIGGER "article_list_changed" AFTER UPDATE ON "{ARTICLES}" '
    f"WHEN {CHANGED.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN {SQLITE_BUMP}; END",
]
POSTGRESQL = [
    "CREATE FUNCTION article_list_bump() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN {BUMP.format(random='(random() * 9.2e18)::bigint')}; RETURN NULL; END $$",
    f'CREATE TRIGGER "article_list_added_or_removed" AFTER INSERT OR DELETE ON "{ARTICLES}" '
    "FOR EACH STATEMENT EXECUTE FUNCTION article_list_bump()",
    f'CREATE TRIGGER "article_list_changed" AFTER UPDATE ON "{ARTICLES}" FOR EACH ROW '
    f"WHEN ({CHANGED}) EXECUTE FUNCTION article_list_bump()",
]
DROP = {
    "sqlite": [
        f'DROP TRIGGER IF EXISTS "{name}"'
        for name in ("article_list_added", "article_list_removed", "article_list_changed")
    ],
    "postgresql": [
        f'DROP TRIGGER IF EXISTS "article_list_added_or_removed" ON "{ARTICLES}"',
        f'DROP TRIGGER IF EXISTS "article_list_changed" ON "{ARTICLES}"',
        "DROP FUNCTION IF EXISTS article_list_bump()",
    ],
}


def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    apps.get_model("content", "ArticleListVersion").objects.get_or_create(pk=1)
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("content", "0006_term_link_recency")]

    operations = [
        migrations.CreateModel(
            name="ArticleListVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
