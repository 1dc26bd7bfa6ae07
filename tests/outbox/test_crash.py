"""The outbox survives a crash: a served worker SIGKILLed right after a comment was accepted,
while the mail server was down, delivers the moderator's mail after the restart."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from tests.html import parse_html, read_form
from tests.outbox.served import kill, new_site, outbox_rows, serving
from tests.test_cli import free_port

if TYPE_CHECKING:  # imported by pytest_plugins below, so that pytest rewrites its asserts
    from tests.comments.smtp import SmtpServer

pytest_plugins = ["tests.comments.smtp"]  # fixtures: smtp_server


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def post_comment(port: int, path: str, **fields: str) -> int:
    """Post through the article's form as a browser does; the status of the answer."""
    origin = f"http://127.0.0.1:{port}"
    with urllib.request.urlopen(f"{origin}{path}", timeout=10) as page:
        html = page.read()
    form = read_form(html, "commentform")
    action = parse_html(html).find("form", id="commentform").attrs["action"]
    request = urllib.request.Request(
        urllib.parse.urljoin(f"{origin}{path}", action),
        data=urllib.parse.urlencode(form.data(**fields), doseq=True).encode(),
        headers={"Origin": origin},
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as answer:
        return answer.code


def wait_for(condition, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_mail_accepted_before_a_crash_is_delivered_after_the_restart(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    path = new_site(tmp_path)
    smtp_server.clear()
    down = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    with serving(tmp_path, BROADSHEET_EMAIL_URL=down, BROADSHEET_MAIL_RETRY_SECONDS="1") as (
        port,
        server,
    ):
        status = post_comment(
            port, path, comment="Before the crash.", author="Ria", email="r@ex.net"
        )
        assert status == 303
        # The first attempt has been refused (so the row is not held by a live send), then:
        assert wait_for(lambda: [attempts for _, attempts in outbox_rows(tmp_path)] == [1])
        kill(server)

    up = f"smtp://127.0.0.1:{smtp_server.port}"
    with serving(tmp_path, BROADSHEET_EMAIL_URL=up, BROADSHEET_MAIL_RETRY_SECONDS="1"):
        assert wait_for(lambda: bool(smtp_server.to("chief@example.org")))
        assert wait_for(lambda: outbox_rows(tmp_path) == [])
    [mail] = smtp_server.to("chief@example.org")
    assert "Please moderate" in mail.subject
    assert "Before the crash." in mail.text
