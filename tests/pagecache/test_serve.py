"""The real thing: ``broadsheet serve`` with two worker processes on the file cache, and a
change made by a third process (the CLI) purging the pages both workers serve."""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import BROADSHEET, free_port, run_cli


def fetch(port: int, path: str) -> tuple[str, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.headers.get("X-Cache", ""), response.read().decode()


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    data_dir = tmp_path_factory.mktemp("served")
    assert run_cli("init", data_dir=data_dir).returncode == 0
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(BROADSHEET_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="broadsheet.settings")
    server = subprocess.Popen(
        [BROADSHEET, "serve", "--port", str(port), "--workers", "2"],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                fetch(port, "/robots.txt")
                break
            except OSError:
                time.sleep(0.1)
        yield data_dir, port
    finally:
        server.terminate()
        server.wait(timeout=10)


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
