"""Mail handed to a thread of the worker's own, so a request never waits on a mail server.

Why: ``broadsheet serve`` runs one request at a time per worker (one thread per worker was
10 % faster than two on every page, cached or not, see the README), so a comment post that
waited on a slow or unreachable SMTP server would hold up every reader that worker serves
— for up to the mail timeout. The messages are built in the request (from what it read and
with the mail settings in force then); only the conversation with the mail server happens
here. A mail server that refuses is logged, as before; nothing is retried.

A worker that exits sends what it still holds first (``atexit``, bounded by ``EXIT_WAIT``).
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from typing import Any

from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)
EXIT_WAIT = 30.0  # seconds a stopping worker gives its unsent mail

_pending: queue.Queue[tuple[Any, list[EmailMessage]]] = queue.Queue()
_sender: threading.Thread | None = None
_starting = threading.Lock()


def send_later(messages: list[EmailMessage]) -> None:
    """Queue ``messages`` to go out over one connection to the mail server configured now."""
    if messages:
        _pending.put((get_connection(), messages))
        _ensure_sender()


def wait_until_sent(timeout: float | None = None) -> bool:
    """Block until everything queued so far has been handed to the mail server (or refused);
    False if ``timeout`` ran out first. Tests call it before reading a mailbox. (``join`` is
    this without the timeout: the queue's own condition, which ``task_done`` notifies.)"""
    with _pending.all_tasks_done:
        return _pending.all_tasks_done.wait_for(lambda: not _pending.unfinished_tasks, timeout)


def _ensure_sender() -> None:
    global _sender
    with _starting:
        # Not alive in a process forked from one that had a sender: threads do not fork.
        if _sender is None or not _sender.is_alive():
            _sender = threading.Thread(target=_send_forever, name="outbox", daemon=True)
            _sender.start()


def _send_forever() -> None:
    while True:
        connection, messages = _pending.get()
        try:
            connection.send_messages(messages)
        except Exception:  # smtplib's errors are OSErrors; nothing may kill this thread
            subjects = sorted({message.subject for message in messages})
            logger.exception(
                "Could not send the email %s to %d recipient(s)",
                ", ".join(map(repr, subjects)),
                len(messages),
            )
        finally:
            _pending.task_done()


@atexit.register
def _send_before_exit() -> None:
    if _pending.unfinished_tasks:
        if not wait_until_sent(EXIT_WAIT):
            logger.error("Exited with %d unsent email batch(es)", _pending.unfinished_tasks)
