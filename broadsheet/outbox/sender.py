"""The worker's sender thread: mail leaves after the commit, never inside a request.

``broadsheet serve`` runs one request at a time per worker, so a post that waited on a slow
or unreachable mail server would hold up every reader the worker serves. ``send_later``
writes the messages into the outbox in the caller's transaction; after the commit this
process's thread sends them and records the outcome. In a serving worker (``watch``, called
from ``wsgi.py``) the thread also looks for due rows: retries after their backoff, and rows a
dead process had claimed.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time

from django.core.mail import EmailMessage
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from broadsheet.outbox import delivery
from broadsheet.outbox.models import Mail

logger = logging.getLogger(__name__)
LOOK_EVERY = 60.0  # seconds at most between looks for due rows in a watching process
RECORD_RETRY = 1.0  # seconds between tries to record an outcome the database refused
EXIT_WAIT = 10.0  # seconds a stopping worker gives the mail it holds

Batch = list[tuple[Mail, EmailMessage]]
_handoff: queue.Queue[Batch | None] = queue.Queue()  # None only wakes the thread
_settled = threading.Condition()
_unrecorded: list[tuple[float, delivery.Outcome]] = []  # guarded by _settled
_watching = False
_thread: threading.Thread | None = None
_thread_pid = 0
_starting = threading.Lock()
_unreadable = False  # the last look could not read the outbox; only the thread sets it


def send_later(messages: list[EmailMessage]) -> None:
    """Keep ``messages`` in the outbox as part of the current transaction; send them from
    this process's thread once it commits (at once outside a transaction)."""
    if messages:
        batch = list(zip(delivery.store(messages, timezone.now()), messages, strict=True))
        transaction.on_commit(lambda: _hand_over(batch))


def watch() -> None:
    """Make this process's thread look for due rows from now on, starting now."""
    global _watching
    _watching = True
    _hand_over(None)


def wait_until_sent(timeout: float | None = None) -> bool:
    """Block until everything handed to this process's thread so far has been handed to
    the mail server (or refused); False if ``timeout`` ran out first."""
    with _handoff.all_tasks_done:
        return _handoff.all_tasks_done.wait_for(lambda: not _handoff.unfinished_tasks, timeout)


def wait_until_settled(timeout: float = 10.0) -> bool:
    """``wait_until_sent``, and until the outcomes are recorded in the database."""
    deadline = time.monotonic() + timeout
    if not wait_until_sent(timeout):
        return False
    _hand_over(None)  # try recording again now rather than after RECORD_RETRY
    with _settled:
        return _settled.wait_for(lambda: not _unrecorded, max(0.0, deadline - time.monotonic()))


def _hand_over(batch: Batch | None) -> None:
    global _thread, _thread_pid
    _handoff.put(batch)
    with _starting:
        # Threads do not survive a fork: a worker forked from a process that had one starts
        # its own.
        if _thread is None or not _thread.is_alive() or _thread_pid != os.getpid():
            _thread = threading.Thread(target=_send_forever, name="outbox", daemon=True)
            _thread_pid = os.getpid()
            _thread.start()


def _send_forever() -> None:
    next_look = time.monotonic()
    while True:
        try:
            next_look = _send_some(next_look)
        except Exception:  # nothing may kill this thread; the rows wait in the database
            logger.exception("The outbox thread failed; it carries on")
            time.sleep(RECORD_RETRY)


def _send_some(next_look: float) -> float:
    """One turn: a handed-over batch (or a timeout), outcomes recorded, a look if due."""
    if _unrecorded:
        wait: float | None = RECORD_RETRY
    elif _watching:
        wait = max(0.0, next_look - time.monotonic())
    else:
        wait = None
    try:
        batch = _handoff.get(timeout=wait)
    except queue.Empty:
        batch = None
    else:
        try:
            if batch:
                outcomes = delivery.deliver(batch)
                with _settled:
                    _unrecorded.extend((time.monotonic(), outcome) for outcome in outcomes)
        finally:
            _handoff.task_done()
    try:
        _record_outcomes()
        if _watching and time.monotonic() >= next_look:
            next_look = _look()
    finally:
        # This thread's connection is closed after each turn: it is idle most of the time,
        # and an open one would keep a database from being dropped or restarted cleanly.
        connections.close_all()
    return next_look


def _record_outcomes() -> None:
    """Write what happened to the rows, oldest first; keep what the database refused, for
    the next turn, until its claim would have lapsed anyway."""
    with _settled:
        pending = list(_unrecorded)
    if not pending:
        return
    done = 0
    for handed_at, outcome in pending:
        try:
            delivery.record(outcome, timezone.now())
        except DatabaseError:
            if time.monotonic() - handed_at < delivery.LEASE.total_seconds():
                break
            logger.exception(
                "Could not record the outcome of outbox mail %d; it may be sent twice",
                outcome.mail_id,
            )
        done += 1
    with _settled:
        del _unrecorded[:done]
        _settled.notify_all()


def _look() -> float:
    """Send the due rows; the monotonic time of the next look. A database that cannot be
    read is logged when it goes and when it is back, not at every look in between."""
    global _unreadable
    try:
        delivery.send_due()
        upcoming = delivery.next_due(timezone.now())
    except DatabaseError as error:
        if not _unreadable:
            logger.warning("Could not read the outbox (%s); its mail waits until it can", error)
            _unreadable = True
        return time.monotonic() + LOOK_EVERY
    if _unreadable:
        logger.info("The outbox can be read again")
        _unreadable = False
    wait = LOOK_EVERY
    if upcoming is not None:
        wait = min(max((upcoming - timezone.now()).total_seconds(), 0.1), LOOK_EVERY)
    return time.monotonic() + wait


@atexit.register
def _send_before_exit() -> None:
    if _thread is not None and _thread.is_alive() and not wait_until_settled(EXIT_WAIT):
        logger.warning(
            "Stopped with outbox mail in hand; it is sent after its claim lapses (%s)",
            delivery.LEASE,
        )
