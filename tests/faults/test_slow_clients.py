"""Slow clients: connections that start a request body and never finish it must neither
freeze the site for everyone else nor stay open for ever."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tests.faults.served import fetch, new_site, serving

SLOW_CONNECTIONS = 16
SILENCE_SECONDS = 2  # BROADSHEET_CLIENT_TIMEOUT for these tests


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data_dir = tmp_path_factory.mktemp("slow")
    new_site(data_dir)
    with serving(data_dir, workers=2, BROADSHEET_CLIENT_TIMEOUT=str(SILENCE_SECONDS)) as (port, _):
        for _ in range(4):  # both workers have rendered the home page once (templates loaded)
            fetch(port, "/", timeout=10)
        yield port


def start_slow_upload(port: int) -> socket.socket:
    """A comment post that declares 999,999 bytes, sends 11 and then nothing."""
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(
        b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 999999\r\n\r\n"
        b"author=abcd"
    )
    return connection


def test_sixteen_stalled_uploads_leave_the_site_answering_within_a_second(served: int) -> None:
    slow = [start_slow_upload(served) for _ in range(SLOW_CONNECTIONS)]
    try:
        time.sleep(0.3)  # every slow request has reached a worker and is waiting for its body
        answers = [fetch(served, "/", timeout=5) for _ in range(10)]
        assert [answer.status for answer in answers] == [200] * 10
        assert max(answer.seconds for answer in answers) < 1.0
    finally:
        for connection in slow:
            connection.close()


def test_a_stalled_upload_is_dropped_after_the_client_timeout(served: int) -> None:
    slow = [start_slow_upload(served) for _ in range(SLOW_CONNECTIONS)]
    started = time.monotonic()
    closed_after = []
    try:
        for connection in slow:
            connection.settimeout(SILENCE_SECONDS + 8)
            try:
                while connection.recv(4096):  # a 408 may come first; then the end
                    pass
            except ConnectionResetError:
                pass
            closed_after.append(time.monotonic() - started)
    except TimeoutError:
        pytest.fail(f"{SLOW_CONNECTIONS - len(closed_after)} stalled connections still open")
    finally:
        for connection in slow:
            connection.close()
    assert max(closed_after) < SILENCE_SECONDS + 5
    assert fetch(served, "/").status == 200


def test_a_body_larger_than_the_site_accepts_is_refused_before_it_is_sent(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=5) as connection:
        connection.sendall(
            b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 500000000\r\n\r\n"
        )
        status_line = connection.makefile("rb").readline()
    assert status_line.split()[1] == b"413"


def test_a_slowly_sent_comment_that_finishes_is_still_taken(served: int) -> None:
    """The guard reads bodies; it must not lose one that arrives in pieces."""
    body = b"comment=Slow+but+steady&author=Ria&email=r%40example.net"
    with socket.create_connection(("127.0.0.1", served), timeout=10) as connection:
        connection.sendall(
            b"POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        for piece in (body[:10], body[10:30], body[30:]):
            time.sleep(SILENCE_SECONDS / 3)
            connection.sendall(piece)
        status_line = connection.makefile("rb").readline()
    # Not a 408: the form itself answers (this post lacks the article and the Origin).
    assert status_line.split()[1] not in {b"408", b"500"}
