"""The WSGI layer in front of everything: a request's body is in before it goes further.

A body larger than Django would accept is refused by its declared length (413) without
being read; any other body is read whole first, while the watchdog drops a client that
stops sending (408), and only then does the request go on to wait for a turn at Django
(core/turns.py). So slow uploads hold only the threads kept for waiting, never a turn.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from broadsheet.core.stalled_bodies import StalledBodies

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
READ_SIZE = 64 * 1024

REFUSALS = {
    400: ("400 Bad Request", "The request's length could not be understood."),
    408: ("408 Request Timeout", "The request took too long to arrive. Please try again."),
    413: ("413 Content Too Large", "The request is larger than this site accepts."),
}


class RequestBodyGuard:
    def __init__(self, app: WSGIApp, *, max_bytes: int, stalled: StalledBodies) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.stalled = stalled

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        declared = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if declared or chunked:
            if declared and not (declared.isascii() and declared.isdigit()):
                return refuse(400, start_response)
            length = int(declared) if declared else None
            if length is not None and length > self.max_bytes:
                return refuse(413, start_response)
            if length != 0:
                body = self._read_body(environ, length)
                if body is None:
                    return refuse(408, start_response)
                if len(body) > self.max_bytes:
                    return refuse(413, start_response)
                environ["wsgi.input"] = io.BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def _read_body(self, environ: dict[str, Any], length: int | None) -> bytes | None:
        """The whole body, or None when the client stopped before its declared length."""
        stream = environ["wsgi.input"]
        chunks: list[bytes] = []
        received = 0
        limit = self.max_bytes + 1 if length is None else length
        with self.stalled.watching(environ):
            while received < limit:
                chunk = stream.read(min(READ_SIZE, limit - received))
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
        if length is not None and received < length:
            return None
        return b"".join(chunks)


def refuse(status: int, start_response: Callable[..., Any]) -> list[bytes]:
    line, sentence = REFUSALS[status]
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{line[4:]}</title><h1>{line[4:]}</h1><p>{sentence}</p></html>"
    ).encode()
    start_response(
        line,
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ],
    )
    return [body]
