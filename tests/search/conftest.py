from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from broadsheet.search.backends import get_backend
from broadsheet.search.backends.base import SearchResults
from broadsheet.search.query import parse_query

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """``committed(factory_or_callable, **kwargs)``: make a change as if its transaction
    committed, so the index hooks (``transaction.on_commit``) run as in production."""

    def run(change: Callable[..., Any], **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return run


def search(text: str, offset: int = 0, limit: int = 10) -> SearchResults:
    return get_backend().search(parse_query(text), offset=offset, limit=limit)


def found_titles(text: str) -> list[str]:
    """Titles of the hits, best first, without highlighting."""
    from django.utils.html import strip_tags

    return [strip_tags(hit.title_html) for hit in search(text).hits]
