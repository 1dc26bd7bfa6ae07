"""Turns at running Django: at most ``BROADSHEET_THREADS`` requests of a worker at once.

The server keeps more threads than that (see ``serve.BODY_WAITING_THREADS``) so that requests
still waiting for their body hold a thread, not a turn; pages the cache front replays need
no turn either. Each turn owns its database connections and hands them to whichever thread
takes it, so a worker keeps as many connections open as it has turns, not threads.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections


class Turns:
    def __init__(self, count: int) -> None:
        self._free: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        for _ in range(count):
            self._free.put({})

    def take(self) -> dict[str, Any]:
        """Wait for a free turn and give this thread its connections."""
        held = self._free.get()
        # Django keeps a thread's connections in this Local; put the turn's there instead.
        local = connections._connections
        for alias in settings.DATABASES:
            if alias in held:
                setattr(local, alias, held[alias])
            elif hasattr(local, alias):
                delattr(local, alias)
        return held

    def give_back(self, held: dict[str, Any]) -> None:
        """Keep the connections this thread used with the turn, for the next thread."""
        local = connections._connections
        for alias in settings.DATABASES:
            wrapper = getattr(local, alias, None)
            if wrapper is not None and held.get(alias) is not wrapper:
                # Used by one thread at a time, always under this turn.
                wrapper.inc_thread_sharing()
                held[alias] = wrapper
        self._free.put(held)


class TakingTurns:
    """WSGI: the application runs only while this thread holds a turn."""

    def __init__(self, app: Callable[..., Iterable[bytes]], turns: Turns) -> None:
        self.app = app
        self.turns = turns

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        turn = self.turns.take()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.turns.give_back(turn)
            raise
        # Django's request_finished (closing old connections) runs in close(): keep the turn.
        return TurnHeldUntilClosed(result, lambda: self.turns.give_back(turn))


class TurnHeldUntilClosed:
    """The application's response, with ``close()`` also giving the turn back."""

    def __init__(self, inner: Iterable[bytes], release: Callable[[], None]) -> None:
        self.inner = inner
        self.release: Callable[[], None] | None = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.inner)

    def close(self) -> None:
        try:
            close = getattr(self.inner, "close", None)
            if close is not None:
                close()
        finally:
            if self.release is not None:
                release, self.release = self.release, None
                release()
