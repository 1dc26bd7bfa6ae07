from django.db import migrations, models

# SQLite: an FTS5 index over the table's title and body ("external content": the text is
# stored once, in the table), kept in step by triggers. Porter stemming over unicode61 with
# diacritics removed; BM25 ranking with the title weighted ten times the body.
SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_searchdocument_fts USING fts5(
        title, body,
        content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rank)
       VALUES ('rank', 'bm25(10.0, 1.0)')""",
    """CREATE TRIGGER search_searchdocument_fts_insert AFTER INSERT ON search_searchdocument
    BEGIN
        INSERT INTO search_searchdocument_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_searchdocument_fts_delete AFTER DELETE ON search_searchdocument
    BEGIN
        INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_searchdocument_fts_update
    AFTER UPDATE OF id, title, body ON search_searchdocument
    BEGIN
        INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_searchdocument_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_update",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS search_searchdocument_fts_insert",
    "DROP TABLE IF EXISTS search_searchdocument_fts",
]

# PostgreSQL: the weighted tsvector, written by the backend in the configured language.
POSTGRES_CREATE = [
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector",
    "CREATE INDEX search_document_vector ON search_searchdocument USING GIN (vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("article", "Article"), ("page", "Page")], max_length=10)),
                ("object_id", models.PositiveBigIntegerField()),
                ("title", models.TextField()),
                ("body", models.TextField(blank=True, help_text="Plain text, without markup.")),
                ("url", models.CharField(max_length=1000)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["published_at"], name="search_document_published")],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_per_object")
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
