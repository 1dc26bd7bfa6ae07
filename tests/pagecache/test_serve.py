"""The real thing: ``broadsheet serve`` with two worker processes on the file cache, and a
change made by a third process (the CLI) purging the pages both workers serve."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pagecache.served import fetch, serving
from tests.test_cli import free_port, run_cli


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    data_dir = tmp_path_factory.mktemp("served")
    assert run_cli("init", data_dir=data_dir).returncode == 0
    with serving(data_dir) as port:
        yield data_dir, port


def test_two_workers_share_pages_and_see_a_purge_made_by_another_process(
    served_site: tuple[Path, int],
) -> None:
    data_dir, port = served_site
    first_state, home = fetch(port, "/")
    assert first_state in {"miss", "hit"}
    states = [fetch(port, "/")[0] for _ in range(12)]  # spread over both workers
    assert states == ["hit"] * 12

    listing = run_cli("articles", "list", "--status", "published", data_dir=data_dir).stdout
    rows = [line.split("\t") for line in listing.splitlines() if line[:1].isdigit()]
    newest_id, title = rows[0][0], rows[0][-1]  # newest first
    assert title in home
    assert run_cli("articles", "unpublish", newest_id, data_dir=data_dir).returncode == 0

    after = [fetch(port, "/") for _ in range(6)]
    assert after[0][0] == "miss"
    assert {state for state, _ in after[1:]} == {"hit"}
    assert all(title not in body for _, body in after)


def test_static_files_have_hashed_names_far_future_caching_and_gzip(
    served_site: tuple[Path, int],
) -> None:
    _, port = served_site
    _, home = fetch(port, "/")
    stylesheet = re.search(r'href="(/static/broadsheet/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the stylesheet's name carries its content hash"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{stylesheet[1]}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response.headers["Content-Encoding"] == "gzip"


def test_cache_purge_on_the_command_line_makes_every_worker_serve_pages_afresh(
    served_site: tuple[Path, int],
) -> None:
    data_dir, port = served_site
    fetch(port, "/")
    assert [fetch(port, "/")[0] for _ in range(4)] == ["hit"] * 4
    done = run_cli("cache", "purge", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Purged every page from the page cache."
    after = [fetch(port, "/")[0] for _ in range(6)]
    assert after[0] == "miss"
    assert set(after[1:]) == {"hit"}


def test_a_restart_with_a_new_configuration_serves_no_page_cached_under_the_old_one(
    tmp_path: Path,
) -> None:
    """Cached pages outlive a restart; pages made under another site address must not."""
    assert run_cli("init", "--no-demo", data_dir=tmp_path).returncode == 0
    port = free_port()  # the same address both times: the same page in the cache
    with serving(tmp_path, port, BROADSHEET_SITE_URL="http://old.example"):
        fetch(port, "/")
        state, home = fetch(port, "/")
        assert state == "hit"
        assert 'href="http://old.example/"' in home
    # Served over plain http here: no redirect to the https address.
    with serving(
        tmp_path, port, BROADSHEET_SITE_URL="https://news.example", BROADSHEET_SSL_REDIRECT="off"
    ):
        state, home = fetch(port, "/")
        assert state == "miss"
        assert 'href="https://news.example/"' in home
        assert "old.example" not in home


def test_settings_and_menu_changed_by_another_process_show_on_every_worker_at_once(
    tmp_path: Path,
) -> None:
    # Each worker keeps the settings row and the menu between requests (core/singletons.py):
    # with the page cache off, the next page from every worker must still show a change.
    data_dir = tmp_path / "site"
    assert run_cli("init", "--no-demo", data_dir=data_dir).returncode == 0
    change = (
        "from broadsheet.content.models import Page, SiteSettings\n"
        "site = SiteSettings.objects.get(pk=1)\n"
        "site.title = 'The Renamed Gazette'\n"
        "site.save()\n"
        "Page.objects.create(title='Corrections policy', slug='corrections', status='published')\n"
    )
    with serving(data_dir, BROADSHEET_PAGE_CACHE="off") as port:
        before = [fetch(port, "/")[1] for _ in range(8)]  # both workers have kept them
        assert not any("The Renamed Gazette" in page for page in before)
        done = run_cli("shell", "-c", change, data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        after = [fetch(port, "/")[1] for _ in range(8)]
    assert all("<title>The Renamed Gazette" in page for page in after)
    assert all('<a href="/corrections/">Corrections policy</a>' in page for page in after)
