"""Turns at running Django: at most ``BROADSHEET_THREADS`` requests of a worker at once.

The server keeps more threads than that (see ``serve.BODY_WAITING_THREADS``) so that requests
still waiting for their body hold a thread, not a turn. Each turn owns its database
connections and hands them to whichever thread takes it, so a worker keeps as many
connections open as it has turns, not as many as it has threads.
"""

from __future__ import annotations

import queue
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
