"""The same property against the real server (``broadsheet serve``: granian, the WSGI stack,
the in-memory page replay), where time is real: every fuzzed request to the demo site is
answered, without a server error, within the bound a reader would wait."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.html import parse_html
from tests.pagecache.test_serve import serving
from tests.security import tally
from tests.security.conftest import FUZZ
from tests.security.inputs import headers, query_strings
from tests.security.routes import paths, public_routes
from tests.test_cli import run_cli

SERVED_BOUND_SECONDS = 2.0
SERVED_CASES = 150


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, list[str]]]:
    """The demo site served for real, and the addresses its home page links to."""
    data_dir: Path = tmp_path_factory.mktemp("served-fuzz")
    assert run_cli("init", data_dir=data_dir).returncode == 0
    with serving(data_dir) as port:
        status, _, body = send(port, "GET", "/", {})
        assert status == 200
        links = {
            element.attrs["href"] or ""
            for element in parse_html(body).find_all("a")
            if (element.attrs.get("href") or "").startswith("/")
        }
        yield port, sorted(links)


def send(port: int, method: str, target: str, sent: dict[str, str]) -> tuple[int, float, bytes]:
    """One request exactly as given (no header added but Host's default): status, seconds, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SERVED_BOUND_SECONDS * 3)
    started = time.perf_counter()
    try:
        connection.putrequest(method, target, skip_host="Host" in sent, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value.encode("latin-1"))
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, time.perf_counter() - started, body


def test_served_site_answers_every_fuzzed_request_in_time(
    served_demo: tuple[int, list[str]],
) -> None:
    port, links = served_demo
    routes = public_routes()
    known = {"#paths": [link.lstrip("/") for link in links]}
    any_path = st.one_of(
        st.sampled_from(links), st.sampled_from(routes).flatmap(lambda route: paths(route, known))
    )

    @settings(FUZZ, max_examples=SERVED_CASES)
    @given(
        path=any_path,
        query=query_strings(),
        sent=headers(),
        method=st.sampled_from(["GET", "HEAD", "POST"]),
    )
    def answered_in_time(path: str, query: str, sent: dict[str, str], method: str) -> None:
        tally.fuzz_case("served requests (broadsheet serve)")
        status, seconds, body = send(port, method, path + query, sent)
        where = f"{method} {path + query} {sent}"
        assert status < 500, f"{where}: {status}"
        assert b"Traceback (most recent call last)" not in body, f"{where}: traceback"
        assert seconds < SERVED_BOUND_SECONDS, f"{where}: {seconds:.2f} s"

    answered_in_time()
