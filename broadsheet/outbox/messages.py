"""An ``EmailMessage`` to a ``Mail`` row and back, so a retry sends the very same message."""

from __future__ import annotations

from email.utils import formatdate, make_msgid
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives

from broadsheet.outbox.models import Mail


def fix_identity(message: EmailMessage) -> None:
    """Give ``message`` its Message-ID and Date now: a message sent again after a crash is
    the same message to the mail server and the reader's client, not a second one."""
    domain = urlparse(settings.SITE_URL).hostname or "localhost"
    headers = {name.lower() for name in message.extra_headers}
    if "message-id" not in headers:
        message.extra_headers["Message-ID"] = make_msgid(domain=domain)
    if "date" not in headers:
        message.extra_headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)


def to_row(message: EmailMessage) -> Mail:
    """The unsaved row for ``message``. Attachments are refused: nothing sends them yet."""
    if message.attachments:
        raise ValueError("The outbox does not keep attachments.")
    alternatives = getattr(message, "alternatives", [])
    return Mail(
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=message.subject,
        body=message.body,
        content_subtype=message.content_subtype,
        alternatives=[[content, mimetype] for content, mimetype in alternatives],
        headers=dict(message.extra_headers),
    )


def from_row(mail: Mail) -> EmailMessage:
    message = EmailMultiAlternatives(
        mail.subject,
        mail.body,
        mail.from_email,
        mail.to,
        bcc=mail.bcc,
        cc=mail.cc,
        reply_to=mail.reply_to,
        headers=mail.headers,
        alternatives=[(content, mimetype) for content, mimetype in mail.alternatives],
    )
    message.content_subtype = mail.content_subtype
    return message
