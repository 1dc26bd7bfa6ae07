"""The outbox's part in a commenter's privacy requests: mail to them or about them.

A message is theirs when one of its addresses, its subject or its text holds their email
(moderators' notices quote the commenter's address). Matched case-insensitively in Python:
the outbox is short (rows go once sent), and JSON lookups differ between the databases.
"""

from __future__ import annotations

from typing import Any

from broadsheet.outbox.models import Mail


def mail_about(email: str) -> list[Mail]:
    wanted = email.strip().lower()
    if not wanted:
        return []

    def mentions(mail: Mail) -> bool:
        fields = [*mail.recipients(), *mail.reply_to, mail.subject, mail.body]
        return any(wanted in field.lower() for field in fields)

    return [mail for mail in Mail.objects.order_by("created_at", "pk") if mentions(mail)]


def export_mail(email: str) -> list[dict[str, Any]]:
    """Each waiting or failed message to or about ``email``, as JSON-ready data."""
    return [
        {
            "created_at": mail.created_at.isoformat(),
            "to": mail.recipients(),
            "reply_to": mail.reply_to,
            "subject": mail.subject,
            "body": mail.body,
            "status": "failed" if mail.failed_at else "waiting",
        }
        for mail in mail_about(email)
    ]


def erase_mail(email: str) -> int:
    """Delete every unsent message to or about ``email``; how many."""
    found = [mail.pk for mail in mail_about(email)]
    Mail.objects.filter(pk__in=found).delete()
    return len(found)
