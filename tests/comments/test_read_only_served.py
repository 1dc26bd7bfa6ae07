"""The real thing: ``broadsheet serve`` on SQLite whose database files are made immutable
(``chattr +i``: even root cannot write them, as on a full or read-only disk) while it serves.
A comment posted then is answered 503 with the form as typed; once the files are writable
again, the same form posts."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.html import parse_html, read_form
from tests.pagecache.served import ask, serving
from tests.test_cli import run_cli

TYPED = {
    "comment": "Written while the disk was full ¯\\_(ツ)_/¯",
    "author": "Ada Lovelace",
    "email": "ada@example.org",
}


def can_make_immutable(folder: Path) -> bool:
    probe = folder / "probe"
    probe.touch()
    made = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False)
    subprocess.run(["chattr", "-i", str(probe)], capture_output=True, check=False)
    return made.returncode == 0


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """The files refuse every write until the block ends. The -shm file stays writable: it is
    memory-mapped, and a mapping that cannot be written ends the process, not the request."""
    for path in paths:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        for path in paths:
            subprocess.run(["chattr", "-i", str(path)], check=True)


def post(port: int, path: str, data: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
    """POST the form as a browser on the page would (with its Origin)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = urllib.parse.urlencode(data, doseq=True)
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{port}",
                "Host": f"127.0.0.1:{port}",
            },
        )
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr")
def test_a_served_site_whose_database_cannot_be_written_answers_503_and_keeps_the_comment(
    tmp_path: Path,
) -> None:
    if not can_make_immutable(tmp_path):
        pytest.skip("this file system has no immutable files")
    assert run_cli("init", data_dir=tmp_path).returncode == 0
    with serving(tmp_path, workers=1) as port:
        home = ask(port, "/", Host=f"127.0.0.1:{port}")
        links = [a.attrs.get("href") or "" for a in parse_html(home.body).find_all("a")]
        article = next(link for link in links if link.count("/") >= 5 and link[1:5].isdigit())
        page = ask(port, urllib.parse.urlsplit(article).path, Host=f"127.0.0.1:{port}")
        assert page.status == 200
        data = read_form(page.body, "commentform").data(**TYPED)
        time.sleep(3.5)  # the default shortest time to write a comment
        database = tmp_path / "db.sqlite3"
        files = [path for path in (database, Path(f"{database}-wal")) if path.exists()]
        with immutable(*files):
            status, headers, body = post(port, "/comments/post/", data)
        assert status == 503
        assert int(headers["retry-after"]) > 0
        again = read_form(body, "commentform")
        assert {name: again.values[name] for name in TYPED} == {
            name: [value] for name, value in TYPED.items()
        }
        # Writable again: the form as it came back (with a new token) posts.
        time.sleep(3.5)
        status, headers, _ = post(port, "/comments/post/", again.data())
        assert status == 303, status
        assert "#comment-" in headers["location"]
