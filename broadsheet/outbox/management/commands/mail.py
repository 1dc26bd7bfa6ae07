"""``broadsheet mail``: see the outbox, send what is due, give failed mail another go."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from broadsheet.outbox.delivery import send_due
from broadsheet.outbox.models import Mail


class Command(BaseCommand):
    help = "Show the mail outbox (status), send what is due (send), retry failed mail (retry)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("status", help="count waiting and failed mail; list failures")
        actions.add_parser("send", help="send every message that is due now")
        actions.add_parser(
            "retry", help="make failed and waiting mail due now (then run `mail send`)"
        )

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        getattr(self, action)()

    def status(self) -> None:
        now = timezone.now()
        waiting = Mail.objects.waiting()
        due = waiting.filter(next_attempt_at__lte=now).count()
        self.stdout.write(f"Waiting: {waiting.count()} (due now: {due})")
        failed = list(Mail.objects.failed())
        self.stdout.write(f"Failed: {len(failed)}")
        for mail in [*waiting.filter(attempts__gt=0), *failed]:
            state = (
                "failed" if mail.failed_at else f"next try {mail.next_attempt_at:%Y-%m-%d %H:%M:%S}"
            )
            self.stdout.write(
                f"{mail.pk}\t{mail.attempts} attempt(s)\t{state}\t{mail.subject}\t{mail.last_error}"
            )

    def send(self) -> None:
        sent = send_due()
        left = Mail.objects.count()
        self.stdout.write(f"Sent {sent} message(s); {left} left in the outbox.")

    def retry(self) -> None:
        now = timezone.now()
        count = Mail.objects.filter(Q(failed_at__isnull=False) | Q(attempts__gt=0)).update(
            failed_at=None, attempts=0, next_attempt_at=now
        )
        self.stdout.write(f"{count} message(s) due again; `broadsheet mail send` sends them now.")
