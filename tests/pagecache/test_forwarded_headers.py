"""Cache poisoning through forwarded headers, tried against a served site.

Without a trusted proxy (BROADSHEET_BEHIND_PROXY off) X-Forwarded-Host and X-Forwarded-Proto
are anybody's words: they must not choose which cached page another reader gets, and a Host
the site does not serve is refused (400) before any cached page is looked at."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pagecache.served import Answer, ask, serving
from tests.test_cli import free_port, run_cli

SHARED = ["/", "/feed/", "/feed/atom/", "/comments/feed/", "/sitemap.xml", "/sitemap-articles.xml"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("forwarded")
    assert run_cli("init", data_dir=data_dir).returncode == 0
    return data_dir


@pytest.fixture
def direct(site: Path) -> Iterator[tuple[int, str]]:
    """The site served straight to readers: one worker, so every replay comes from its memory."""
    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    with serving(site, port, workers=1, threads=2, BROADSHEET_SITE_URL=site_url) as port:
        ask(port, "/cache-warm-up-404/")
        yield port, site_url


def links(answer: Answer) -> list[str]:
    if answer.headers.get("content-type", "").startswith("text/html"):
        return re.findall(r'<link rel="canonical" href="([^"]+)"', answer.body.decode())
    return [
        value.strip()
        for element in ET.fromstring(answer.body).iter()
        for value in (element.text or "", element.get("href") or "")
        if value.strip().startswith("http") and "sitemaps.org" not in value
    ]


def test_a_forwarded_host_cannot_plant_its_links_in_the_pages_other_readers_get(
    direct: tuple[int, str],
) -> None:
    port, site_url = direct
    for _ in range(3):  # stored, then replayed from the shared cache and from memory
        for path in SHARED:
            ask(port, path, Host=f"localhost:{port}", X_Forwarded_Host=f"127.0.0.1:{port}")
    for path in SHARED:
        for _ in range(3):
            answer = ask(port, path, Host=f"127.0.0.1:{port}")
            assert answer.status == 200, path
            found = links(answer)
            assert found, path
            assert all(link.startswith(f"{site_url}/") for link in found), (path, found)
        assert answer.headers.get("x-cache") == "hit", path  # the readers' own cached copy


def test_a_host_the_site_does_not_serve_is_refused_even_after_it_was_forwarded(
    direct: tuple[int, str],
) -> None:
    port, _ = direct
    for path in ("/", "/feed/", "/sitemap.xml"):
        for _ in range(3):
            forwarded = ask(port, path, Host=f"127.0.0.1:{port}", X_Forwarded_Host="evil.example")
            assert forwarded.status == 200, path  # the header is ignored, not obeyed
        for _ in range(2):
            assert ask(port, path, Host="evil.example").status == 400, path
            assert ask(port, path, Host="evil.example", X_Forwarded_Proto="https").status == 400


def test_a_forwarded_scheme_is_no_key_either(direct: tuple[int, str]) -> None:
    port, site_url = direct
    for _ in range(3):
        ask(port, "/feed/", Host=f"127.0.0.1:{port}", X_Forwarded_Proto="https")
    answer = ask(port, "/feed/", Host=f"127.0.0.1:{port}")
    assert answer.headers.get("x-cache") == "hit"  # the same page: the header changed nothing
    assert all(link.startswith(f"{site_url}/") for link in links(answer))


def test_behind_a_proxy_the_forwarded_host_is_the_host_and_is_checked(site: Path) -> None:
    port = free_port()
    with serving(
        site,
        port,
        workers=1,
        threads=2,
        BROADSHEET_BEHIND_PROXY="true",
        BROADSHEET_SITE_URL="https://news.example",
        BROADSHEET_ALLOWED_HOSTS="news.example,127.0.0.1",
    ) as port:
        proxied = {"Host": f"127.0.0.1:{port}", "X_Forwarded_Proto": "https"}
        for _ in range(3):
            assert ask(port, "/feed/", **proxied, X_Forwarded_Host="news.example").status == 200
        answer = ask(port, "/feed/", **proxied, X_Forwarded_Host="news.example")
        assert answer.headers.get("x-cache") == "hit"
        assert all(link.startswith("https://news.example/") for link in links(answer))
        for _ in range(3):  # the proxy passed on what a client said: still not a host we serve
            assert ask(port, "/feed/", **proxied, X_Forwarded_Host="evil.example").status == 400
            assert ask(port, "/", **proxied, X_Forwarded_Host="evil.example").status == 400
