"""A worker killed under load (SIGKILL, as the OOM killer does) is replaced: the site keeps
answering, and every comment that was answered 303 is in the database."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

from tests.faults.served import fetch, new_site, post_comment, serving, workers_of


def test_a_killed_worker_is_replaced_and_no_accepted_comment_is_lost(tmp_path: Path) -> None:
    path = new_site(tmp_path)
    with serving(tmp_path, workers=2) as (port, server):
        accepted: list[str] = []
        stop = threading.Event()

        def keep_posting() -> None:
            number = 0
            while not stop.is_set():
                number += 1
                try:
                    status, location = post_comment(
                        port, path, comment=f"Comment {number}", author="Ria", email="r@ex.net"
                    )
                except OSError:
                    continue  # a connection the killed worker held: not accepted, not counted
                if status == 303:
                    accepted.append(location.rpartition("#comment-")[2])

        poster = threading.Thread(target=keep_posting)
        poster.start()
        try:
            time.sleep(1)
            first, second = workers_of(server)
            os.kill(first, signal.SIGKILL)
            killed_at = time.monotonic()
            # Readers: at most 5 s from the kill to a page, and pages from then on.
            answered_at = None
            while time.monotonic() - killed_at < 6:
                try:
                    if fetch(port, "/", timeout=2).status == 200 and answered_at is None:
                        answered_at = time.monotonic()
                except OSError:
                    pass
                time.sleep(0.1)
            assert answered_at is not None and answered_at - killed_at < 5
            replaced = workers_of(server)
            assert len(replaced) == 2 and first not in replaced and second in replaced
            assert fetch(port, "/", timeout=2).status == 200
        finally:
            stop.set()
            poster.join(timeout=30)
        assert server.poll() is None, "granian shut down after losing a worker"
    assert len(accepted) > 5
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        stored = {str(pk) for (pk,) in database.execute("SELECT id FROM comments_comment")}
    assert set(accepted) <= stored
