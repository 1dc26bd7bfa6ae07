from __future__ import annotations

from html.parser import HTMLParser

import pytest

from broadsheet.content.models import Status
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


class DeskTable(HTMLParser):
    """Rows of the admin index's "Articles by status" table: label → count."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, int] = {}
        self._cells: list[str] = []
        self._in_desk = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if ("id", "newsroom-desk") in attrs:
            self._in_desk = True
        if self._in_desk and tag in {"th", "td"}:
            self._in_cell, self._cells = True, self._cells if tag == "td" else []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"th", "td"}:
            self._in_cell = False
        if self._in_desk and tag == "tr" and len(self._cells) == 2:
            self.rows[self._cells[0].strip()] = int(self._cells[1])
            self._cells = []
        if tag == "table":
            self._in_desk = False

    def handle_data(self, data: str) -> None:
        if self._in_cell and data.strip():
            self._cells.append(data.strip())


def test_admin_index_opens_on_the_desk_with_counts_per_status(client) -> None:
    user = UserFactory(is_superuser=True)
    mine = AuthorFactory(user=user)
    ArticleFactory.create_batch(2)
    ArticleFactory(status=Status.DRAFT, published_at=None, author=mine, title="My draft")
    client.force_login(user)
    response = client.get("/admin/")
    desk = DeskTable()
    desk.feed(response.content.decode())
    assert desk.rows["Published"] == 2
    assert desk.rows["Draft"] == 1
    assert "My draft" in response.content.decode()
