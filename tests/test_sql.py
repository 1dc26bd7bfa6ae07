"""``core.sql.run`` keeps one cursor per connection: it must still follow the connection
through a close and a reopen, Django's query capture must still see every statement, and
the times it reads must be the ORM's."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.core.sql import Read, run, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_statements_after_the_connection_was_closed_run_on_the_new_one() -> None:
    assert run("SELECT 1") == [(1,)]
    connection.close()
    assert run("SELECT 2") == [(2,)]
    assert connection.connection is not None  # reopened by run, as the ORM would


def test_query_capture_counts_statements_run_before_and_during_it() -> None:
    run("SELECT 1")  # the kept cursor exists before the capture starts
    with CaptureQueriesContext(connection) as captured:
        run("SELECT 2")
        run("SELECT 3")
    assert [query["sql"] for query in captured.captured_queries] == ["SELECT 2", "SELECT 3"]
    with CaptureQueriesContext(connection) as captured_again:
        pass
    run("SELECT 4")  # after the capture: not logged into it
    assert captured_again.captured_queries == []


def test_times_read_by_run_are_the_orms_to_the_microsecond_in_utc() -> None:
    """On PostgreSQL ``run`` reads times with psycopg's own loader, not Django's: the values
    and their zone must not change (templates print them in the site's zone from UTC)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite's times go through Columns' converters)")
    from broadsheet.content.models import Article
    from tests.factories import ArticleFactory

    moments = [
        dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=dt.UTC),
        dt.datetime(1999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(2026, 7, 1, 12, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
    ]
    ids = [ArticleFactory(published_at=moment).pk for moment in moments]
    marks = ", ".join(["%s"] * len(ids))
    rows = run(
        f'SELECT "published_at", "updated_at" FROM "content_article" '
        f'WHERE "id" IN ({marks}) ORDER BY "id"',
        ids,
    )
    expected = (
        Article.objects.filter(pk__in=ids).order_by("pk").values_list("published_at", "updated_at")
    )
    assert rows == list(expected)  # updated_at to the microsecond
    assert [published for published, _ in rows] == moments  # the same instants
    for row in rows:
        for value in row:
            assert value.tzinfo is dt.UTC  # what Django's loader gives
    # A parameter comes back as it went in, whatever the offset it was written with.
    assert run("SELECT %s", [moments[1]]) == [(moments[1],)]
    assert run("SELECT %s", [moments[1]])[0][0].tzinfo is dt.UTC


def test_two_reads_run_together_give_each_its_own_rows_as_run_alone_would() -> None:
    """Columns of different types in the same places (text against a time, a count against
    a title) must not clash, and each read must get back exactly its rows."""
    from broadsheet.content.models import Article
    from tests.factories import ArticleFactory

    first_article, second_article = ArticleFactory(title="Frigates"), ArticleFactory()
    titles = Read(
        'SELECT "id", "title", "published_at" FROM "content_article" ORDER BY "id"', [], 3
    )
    counted = Read(
        'SELECT COUNT(*), MAX("id") FROM "content_article" WHERE "id" >= %s',
        [second_article.pk],
        2,
    )
    run_together(titles, counted)
    alone = run('SELECT "id", "title", "published_at" FROM "content_article" ORDER BY "id"')
    assert sorted(titles.rows) == alone
    assert titles.rows[0][1] == "Frigates" and titles.rows[0][0] == first_article.pk
    assert counted.rows == [(1, second_article.pk)]
    assert Article.objects.count() == len(titles.rows) == 2

    nothing = Read('SELECT "id" FROM "content_article" WHERE "id" < %s', [0], 1)
    run_together(nothing, Read("SELECT %s, %s", ["a", "b"], 2))
    assert nothing.rows == []

    single = Read('SELECT "title" FROM "content_article" WHERE "id" = %s', [first_article.pk], 1)
    run_together(single, None)
    assert single.rows == [("Frigates",)]
