"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a port the kernel says is free.

Mail goes through Django's own SMTP backend to this server, which keeps every message it is
handed, parsed as a mail client would, so tests read the headers and text a reader would get
instead of trusting the locmem backend's idea of what would have been sent.

A test module asks for its fixtures (``smtp_server``, ``mailbox``, ``mail_server_down``) with::

    pytest_plugins = ["tests.comments.smtp"]
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from broadsheet.outbox import sender as outbox

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Delivery:
    """One message as the server received it: who the envelope named, and the message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        # Django folds a long encoded subject onto the next line; Python's parser keeps the
        # folding space that mail clients drop.
        return str(self.message["Subject"]).strip()

    @property
    def to(self) -> list[str]:
        return [address.addr_spec for address in self.message["To"].addresses]

    @property
    def text(self) -> str:
        """The plain-text body, decoded from whatever transfer encoding Django chose."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the message has no text/plain part"
        return str(part.get_content()).replace("\r\n", "\n")  # SMTP's line ends, as written


class _Collector:
    """The aiosmtpd handler: accept everything, keep it in arrival order. While ``answering``
    is clear it takes a message's data but keeps the sender waiting for its reply, as a slow
    or overloaded mail server does."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.answering = threading.Event()
        self.answering.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.get_running_loop().run_in_executor(None, self.answering.wait, 30)
        raw = bytes(envelope.original_content or envelope.content)
        message = message_from_bytes(raw, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.received.append(Delivery(envelope.mail_from, tuple(envelope.rcpt_tos), message, raw))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port nothing listens on right now (so also a fine "mail server is down" address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """aiosmtpd in a background thread; a context manager that always stops what it started."""

    def __init__(self) -> None:
        self._collector = _Collector()
        self._controller: Controller | None = None
        self.port = 0

    def start(self) -> None:
        # The port is free when asked for but could be taken before we bind it; try again then.
        for attempt in range(3):
            port = free_port()
            # A fixed server_hostname spares aiosmtpd a getfqdn() DNS lookup that can stall.
            controller = Controller(
                self._collector, hostname=HOST, port=port, server_hostname="localhost"
            )
            try:
                controller.start()
            except OSError:
                if attempt == 2:
                    raise
                continue
            self._controller, self.port = controller, port
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def messages(self) -> list[Delivery]:
        """Everything received, once the outbox has handed over all it was given."""
        assert outbox.wait_until_sent(timeout=10), "the outbox is still sending"
        return list(self._collector.received)

    def to(self, address: str) -> list[Delivery]:
        """Messages whose envelope was addressed to ``address``."""
        wanted = address.lower()
        return [m for m in self.messages if wanted in map(str.lower, m.rcpt_tos)]

    @contextmanager
    def answering_late(self) -> Iterator[list[Delivery]]:
        """While inside, every message is kept waiting for the server's reply; yields what
        has been received so far (a live list)."""
        self._collector.answering.clear()
        try:
            yield self._collector.received
        finally:
            self._collector.answering.set()

    def clear(self) -> None:
        outbox.wait_until_sent(timeout=10)  # nothing of an earlier test's arrives later
        self._collector.received.clear()

    def django_settings(self) -> dict[str, object]:
        """Settings that send through Django's real SMTP backend to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,  # a stuck server fails the test instead of hanging it
        }


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """One server for the whole run: starting aiosmtpd costs more than the tests that use it."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def mailbox(smtp_server: SmtpServer, settings: Any) -> SmtpServer:
    """The running server, emptied, with Django's SMTP backend pointed at it for this test."""
    smtp_server.clear()
    for name, value in smtp_server.django_settings().items():
        setattr(settings, name, value)
    return smtp_server


@pytest.fixture
def mail_server_down(mailbox: SmtpServer, settings: Any) -> SmtpServer:
    """Django's SMTP backend pointed at a port nothing listens on, so connecting is refused.
    Returns the working server, which should receive nothing."""
    settings.EMAIL_PORT = free_port()
    return mailbox
