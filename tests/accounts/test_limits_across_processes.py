"""The sign-in limit holds across server processes: two ``broadsheet serve`` servers on one
site share the file cache, and failures counted by one refuse sign-ins at the other."""

from __future__ import annotations

import http.cookiejar
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.accounts.signing_in import PASSWORD
from tests.html import parse_html, read_form
from tests.test_cli import BROADSHEET, free_port, run_cli

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite pass"
)

ATTEMPTS = 3
CREATE_EDITOR = f"""\
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("editor", password={PASSWORD!r}, is_staff=True)
"""


def serve(stack: ExitStack, data_dir: Path, log: Path) -> str:
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        BROADSHEET_DATA_DIR=str(data_dir),
        BROADSHEET_EMAIL_URL="dummy://",
        BROADSHEET_LOGIN_ATTEMPTS=str(ATTEMPTS),
        DJANGO_SETTINGS_MODULE="broadsheet.settings",
    )
    log_file = stack.enter_context(log.open("wb"))
    process = subprocess.Popen(
        [BROADSHEET, "serve", "--port", str(port), "--workers", "1"],
        env=environ,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    stack.callback(process.wait, 10)
    stack.callback(process.terminate)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/admin/login/", timeout=2):
                return url
        except OSError:
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    data_dir = tmp_path / "site"
    for step in (("init",), ("shell", "-c", CREATE_EDITOR)):
        result = run_cli(*step, data_dir=data_dir)
        assert result.returncode == 0, result.stderr
    with ExitStack() as stack:
        yield serve(stack, data_dir, tmp_path / "a.log"), serve(stack, data_dir, tmp_path / "b.log")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def sign_in(server: str, password: str) -> tuple[int, str]:
    """Post the login form to ``server`` as a browser would; the status and the error note."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
    )
    with opener.open(server + "/admin/login/", timeout=15) as page:
        form = read_form(page.read(), "login-form")
    body = urlencode(form.data(username="editor", password=password), doseq=True).encode()
    try:
        with opener.open(server + "/admin/login/", data=body, timeout=15) as answer:
            status, content = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, content = error.code, error.read()
    notes = parse_html(content).find_all(class_="errornote") if content else []
    return status, " ".join(" ".join(note.text.split()) for note in notes)


def test_failures_at_one_server_refuse_the_account_at_the_other(two_servers):
    first, second = two_servers
    for number in range(ATTEMPTS):
        status, _ = sign_in((first, second)[number % 2], "guess")
        assert status == 200
    for server in (first, second):
        assert sign_in(server, PASSWORD) == (
            429,
            "Too many failed sign-in attempts. Try again in 15 minutes.",
        )
