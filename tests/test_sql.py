"""``core.sql.run`` keeps one cursor per connection: it must still follow the connection
through a close and a reopen, and Django's query capture must still see every statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.core.sql import run

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
