"""Property: no request to any public route — any path its pattern accepts, any query string,
any headers — gets a server error or a traceback, and every answer comes within a bound.
The routes are read from the URLconf, so a new one is fuzzed without editing this file."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.comments.models import DiscussionSettings
from broadsheet.comments.spam import form_timestamp
from tests.security import tally
from tests.security.conftest import FUZZ
from tests.security.fuzz_site import assert_no_server_error, build_site, timed_request
from tests.security.inputs import as_meta, comment_posts, headers, query_strings
from tests.security.routes import Route, paths, public_routes

ROUTES = public_routes()
CASES_PER_ROUTE = 40
COMMENT_CASES = 150
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS"])


@pytest.fixture
def site(db: None) -> tuple[Any, dict[str, list[str]]]:
    DiscussionSettings.objects.update_or_create(
        pk=1, defaults={"min_seconds_to_write": 0, "flood_seconds": 0}
    )
    return build_site()


@pytest.mark.parametrize("route", ROUTES, ids=[route.label for route in ROUTES])
def test_no_request_to_a_public_route_gets_a_server_error(
    route: Route, site: tuple[Any, dict]
) -> None:  # type: ignore[type-arg]
    _, known = site

    @settings(FUZZ, max_examples=CASES_PER_ROUTE)
    @given(path=paths(route, known), query=query_strings(), sent=headers(), method=METHODS)
    def request_is_answered(path: str, query: str, sent: dict[str, str], method: str) -> None:
        tally.fuzz_case(f"route {route.label}")
        meta = as_meta(sent)
        response, body = timed_request(Client(), method, path + query, **meta)
        assert_no_server_error(method, path + query, meta, response, body)

    request_is_answered()


@pytest.mark.parametrize("endpoint", ["/comments/post/", "/wp-comments-post.php"])
def test_no_comment_post_gets_a_server_error(endpoint: str, site: tuple[Any, dict]) -> None:  # type: ignore[type-arg]
    article, _ = site
    token = form_timestamp.issue(article.pk)

    @settings(FUZZ, max_examples=COMMENT_CASES)
    @given(
        data=comment_posts(article.pk, token),
        sent=headers(),
        encoding=st.sampled_from(["multipart", "urlencoded", "urlencoded", "raw"]),
        raw=st.binary(max_size=200),
    )
    def post_is_answered(
        data: dict[str, list[str]], sent: dict[str, str], encoding: str, raw: bytes
    ) -> None:
        tally.fuzz_case(f"comment post {endpoint}")
        meta = as_meta(sent)
        body, content_type = encoded(data, encoding, raw)
        response, answer = timed_request(
            Client(),
            "POST",
            endpoint,
            data=body,
            content_type=content_type,
            described=(encoding, data, meta),
            **meta,
        )
        assert_no_server_error("POST", endpoint, {"data": data, **meta}, response, answer)

    post_is_answered()


def encoded(data: dict[str, list[str]], encoding: str, raw: bytes) -> tuple[bytes, str]:
    """The form as multipart or urlencoded, as browsers send it; or bytes under no known type."""
    if encoding == "multipart":
        return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT
    if encoding == "urlencoded":
        pairs = [(name, value) for name, values in data.items() for value in values]
        return urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    return raw, "application/octet-stream"
