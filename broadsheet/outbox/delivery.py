"""Claiming, sending and recording outbox rows; no threads here (``sender.py`` has the one).

Claims make two senders (threads, workers, ``broadsheet mail send``) never send one message
twice: a sender takes rows with one ``UPDATE … WHERE`` the row is still unclaimed, which the
database applies to each row once (SQLite runs one writer at a time; PostgreSQL re-checks
the condition on a row another transaction has just claimed). A claim lapses after
``LEASE``, so the rows of a sender that died are taken up by the next one.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Min, Q
from django.utils import timezone

from broadsheet.outbox.messages import fix_identity, from_row, to_row
from broadsheet.outbox.models import Mail

logger = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)  # far longer than a send takes (EMAIL_TIMEOUT per step)
LONGEST_WAIT = dt.timedelta(hours=6)
BATCH = 20


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed row: sent (``error`` empty) or refused."""

    mail_id: int
    claim: uuid.UUID
    attempts: int  # counting this one
    error: str = ""


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failure: ``MAIL_RETRY_SECONDS`` after the first,
    twice as long after each next one, never more than ``LONGEST_WAIT``."""
    seconds = settings.MAIL_RETRY_SECONDS * 2 ** min(attempts - 1, 30)
    return min(dt.timedelta(seconds=seconds), LONGEST_WAIT)


def store(messages: Iterable[EmailMessage], now: dt.datetime) -> list[Mail]:
    """Write ``messages`` in the caller's transaction, already claimed by the caller (who
    hands them to its sender after the commit), so no other sender takes them meanwhile."""
    claim = uuid.uuid4()
    rows = []
    for message in messages:
        fix_identity(message)
        row = to_row(message)
        row.next_attempt_at, row.claim, row.claimed_until = now, claim, now + LEASE
        rows.append(row)
    return Mail.objects.bulk_create(rows)


def claim_due(now: dt.datetime, limit: int = BATCH, skip: Iterable[int] = ()) -> list[Mail]:
    """Take up to ``limit`` rows that are due and that no live sender holds (but ``skip``)."""
    claim = uuid.uuid4()
    due = Mail.objects.due(now).exclude(pk__in=list(skip))
    candidates = list(due.values_list("pk", flat=True)[:limit])
    if not candidates:
        return []
    Mail.objects.filter(pk__in=candidates).due(now).update(claim=claim, claimed_until=now + LEASE)
    return list(Mail.objects.filter(claim=claim))


def deliver(batch: list[tuple[Mail, EmailMessage]]) -> list[Outcome]:
    """Hand each message to the mail server, over one connection; touches no database.

    A connection that cannot be opened fails the whole batch, logged once; a message the
    server refuses is logged on its own.
    """
    outcomes: list[Outcome] = []
    try:
        with get_connection() as connection:
            for mail, message in batch:
                try:
                    connection.send_messages([message])
                except Exception as error:  # noqa: BLE001 — logged, and kept for a retry
                    log_failure([mail], error)
                    outcomes.append(_failed(mail, error))
                else:
                    outcomes.append(Outcome(mail.pk, mail.claim, mail.attempts + 1))
    except Exception as error:  # noqa: BLE001 — could not connect (logged, retried)
        unsent = [mail for mail, _ in batch[len(outcomes) :]]
        if unsent:
            log_failure(unsent, error)
            outcomes += [_failed(mail, error) for mail in unsent]
    return outcomes


def _failed(mail: Mail, error: BaseException) -> Outcome:
    text = f"{type(error).__name__}: {error}"[:1000]
    return Outcome(mail.pk, mail.claim, mail.attempts + 1, text)


def log_failure(mails: list[Mail], error: BaseException) -> None:
    subjects = sorted({mail.subject for mail in mails})
    logger.warning(
        "Could not send the email %s to %d recipient(s); it stays in the outbox",
        ", ".join(map(repr, subjects)),
        sum(len(mail.recipients()) for mail in mails),
        exc_info=error,
    )


def record(outcome: Outcome, now: dt.datetime) -> None:
    """Delete a sent row; put a refused one back, due after its backoff, or mark it failed
    once it has had ``MAIL_ATTEMPTS``. Only while the claim is still ours."""
    ours = Mail.objects.filter(pk=outcome.mail_id, claim=outcome.claim)
    if not outcome.error:
        ours.delete()
        return
    gave_up = outcome.attempts >= settings.MAIL_ATTEMPTS
    ours.update(
        attempts=outcome.attempts,
        last_error=outcome.error,
        next_attempt_at=now + backoff(outcome.attempts),
        failed_at=now if gave_up else None,
        claim=None,
        claimed_until=None,
    )
    if gave_up:
        logger.error(
            "Gave up on outbox mail %d after %d attempts (%s); `broadsheet mail retry` "
            "sends it again",
            outcome.mail_id,
            outcome.attempts,
            outcome.error,
        )


def send_due(now: dt.datetime | None = None) -> int:
    """Try once each row due at ``now`` (default: the clock's now, read at each step);
    return how many were sent."""
    sent, tried = 0, set[int]()
    while batch := claim_due(now or timezone.now(), skip=tried):
        tried.update(mail.pk for mail in batch)
        outcomes = deliver([(mail, from_row(mail)) for mail in batch])
        for outcome in outcomes:
            record(outcome, now or timezone.now())
        sent += sum(1 for outcome in outcomes if not outcome.error)
    return sent


def next_due(now: dt.datetime) -> dt.datetime | None:
    """When the next waiting row falls due (a claimed one: when its claim lapses, at the
    earliest)."""
    found = Mail.objects.waiting().aggregate(
        due=Min("next_attempt_at", filter=Q(claimed_until__isnull=True)),
        lapse=Min("claimed_until"),
    )
    return min((time for time in found.values() if time is not None), default=None)
