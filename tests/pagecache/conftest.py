from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


def state_of(client: Client, url: str, **headers: str) -> str:
    """The X-Cache answer for ``url``: hit, miss or bypass."""
    response = client.get(url, **headers)
    return response.get("X-Cache", "")


@pytest.fixture
def warm(client: Client) -> Callable[..., None]:
    """``warm(*urls)``: fetch each page until the cache holds it."""

    def run(*urls: str) -> None:
        for url in urls:
            client.get(url)
            assert state_of(client, url) == "hit", url

    return run
