from __future__ import annotations

import pytest

from broadsheet.content.models import Status
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.html import parse_html

pytestmark = pytest.mark.django_db


def test_admin_index_opens_on_the_desk_with_counts_per_status(client) -> None:
    user = UserFactory(is_superuser=True)
    mine = AuthorFactory(user=user)
    ArticleFactory.create_batch(2)
    ArticleFactory(status=Status.DRAFT, published_at=None, author=mine, title="My draft")
    client.force_login(user)
    response = client.get("/admin/")
    desk = parse_html(response.content).find("div", id="newsroom-desk")
    counts = {row.find("th").text.strip(): int(row.find("td").text) for row in desk.find_all("tr")}
    assert counts["Published"] == 2
    assert counts["Draft"] == 1
    assert [link.text for link in desk.find("ul").find_all("a")] == ["My draft"]
