"""Each engine's own behaviour, checked where it runs; and the choice between them."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from broadsheet.search.backends import get_backend
from broadsheet.search.checks import search_backend_fits_database, search_language_exists
from broadsheet.search.models import SearchDocument
from tests.factories import ArticleFactory
from tests.search.conftest import found_titles, on_postgres, on_sqlite, search

pytestmark = pytest.mark.django_db


def other_engine() -> str:
    return "postgres" if connection.vendor == "sqlite" else "sqlite"


def test_auto_picks_the_engine_of_the_database() -> None:
    expected = {"sqlite": "sqlite", "postgresql": "postgres"}[connection.vendor]
    assert get_backend().name == expected


def test_naming_the_other_databases_engine_fails_loudly() -> None:
    with override_settings(SEARCH_BACKEND=other_engine()):
        with pytest.raises(ImproperlyConfigured):
            get_backend()
        assert [error.id for error in search_backend_fits_database()] == ["search.E002"]


# Words a reader might type, and the characters that make query languages stumble.
FRAGMENTS = list("abcxyz019 \"'-*^:()[]{}+~!@#$%&|\\/<>;,.?_=`\t\n") + [
    "AND", "OR", "NOT", "NEAR", "NEAR/2", "title:", "body:", "frigate", "the", "é", "ß",
    "Ж", "東京", "ا", "🙂", "\u0301", "\u200d", "\u200f", "\ue000", "\ue001", "\x00", "\ufffd",
    "%s", "%(x)s", "--", "/*", "*/", "<script>", "&amp;", "\\x00",
]  # fmt: skip


def test_no_text_a_reader_can_type_makes_either_engine_fail(committed) -> None:
    committed(ArticleFactory, title="Frigate trials", body="The frigate (F-230) sailed at 06:00.")
    generator = random.Random(20261127)
    for _ in range(400):
        text = "".join(generator.choices(FRAGMENTS, k=generator.randint(1, 12)))
        results = search(text)
        assert results.total >= 0, text


@on_sqlite
def test_sqlite_folds_case_and_accents_and_stems_english(committed) -> None:
    committed(ArticleFactory, title="Café Crème in Zürich", body="The frigates were sailing.")
    assert found_titles("cafe creme zurich") == ["Café Crème in Zürich"]
    assert found_titles("CAFÉ") == ["Café Crème in Zürich"]
    assert found_titles("frigate sailed") == ["Café Crème in Zürich"]


@on_sqlite
def test_sqlite_fts_index_stays_in_step_with_the_table(committed) -> None:
    article = committed(ArticleFactory, title="Frigate", body="First words.")
    article.body = "Second words."
    committed(article.save)
    committed(ArticleFactory, title="Other")
    committed(article.delete)
    with connection.cursor() as cursor:
        # Raises if the FTS index differs from the external-content table.
        cursor.execute(
            "INSERT INTO search_searchdocument_fts(search_searchdocument_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )


@on_postgres
def test_postgres_weighs_the_title_a_and_the_body_b(committed) -> None:
    committed(ArticleFactory, title="Frigate", body="Corvette.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchdocument")
        (vector,) = cursor.fetchone()
    assert "'frigat':1A" in vector and "'corvett':2B" in vector


@on_postgres
def test_postgres_has_a_gin_index_on_the_vector() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchdocument' "
            "AND indexname = 'search_document_vector'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (vector)" in definition


@on_postgres
def test_postgres_uses_the_configured_language(committed) -> None:
    committed(ArticleFactory, title="The frigates", body="")
    assert found_titles("frigate") == ["The frigates"]  # english: stemmed
    assert found_titles("the") == []  # english: a stop word
    with override_settings(SEARCH_LANGUAGE="simple"):
        from broadsheet.search.indexing import rebuild_index

        rebuild_index()
        assert found_titles("the") == ["The frigates"]
        assert found_titles("frigate") == []
    assert SearchDocument.objects.count() == 1


@on_postgres
def test_an_unknown_search_language_is_reported_by_the_database_check() -> None:
    assert search_language_exists(databases=["default"]) == []
    with override_settings(SEARCH_LANGUAGE="klingon"):
        found = search_language_exists(databases=["default"])
        assert [error.id for error in found] == ["search.E004"]
        # Not asked for the database (every command but `check --database`): not looked at.
        assert search_language_exists() == []


@on_postgres
def test_postgres_finds_the_same_newest_matches_by_either_path(committed) -> None:
    from django.utils import timezone

    from broadsheet.search.backends.postgres import NEWEST_MATCHES, PostgresBackend
    from broadsheet.search.query import parse_query

    for number in range(5):
        committed(ArticleFactory, title=f"Frigate {number}")
    committed(ArticleFactory, title="Corvette")
    backend = PostgresBackend()
    found = {}
    with connection.cursor() as cursor:
        assert backend._common(cursor, '"frigate"', limit=0)
        assert not backend._common(cursor, '"frigate"', limit=10**9)
        for order in ("d.id", "d.id + 0"):
            cursor.execute(
                NEWEST_MATCHES.format(order=order), ["english", '"frigate"', timezone.now(), 3]
            )
            found[order] = [row[0] for row in cursor.fetchall()]
        walked = backend.newest_matches(cursor, parse_query("frigate"), now=timezone.now(), limit=3)
    assert found["d.id"] == found["d.id + 0"] == walked
    assert len(walked) == 3 and walked == sorted(walked, reverse=True)
