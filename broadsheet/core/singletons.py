"""Small site-wide reads every page makes (site settings, discussion settings, the menu):
through the shared cache, and kept in each process while nothing has changed.

Why kept: every page read three such entries from the file cache (open, read, unpickle): about
50 µs of an uncached article's 2 ms of CPU. A process keeps what it read together with the
purge generation of that moment (``pagecache/generation.py``: eight bytes of a memory-mapped
file with the file cache, free to read) and goes back to the shared cache only when the
generation has moved. Whoever changes what an entry holds calls ``forget``: the entry is
deleted at once and again after the commit, and only then does the generation advance — so a
process that keeps an entry under the new generation read it after the change. With Redis
(or any cache but the file cache) reading the generation is itself a round trip, so nothing is
kept and every read goes to the shared cache as before.

What is kept is handed out as a copy: a caller that changes its copy (a form filling in an
instance) changes nothing for the next request.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction

from broadsheet.core.sql import loaded_instance
from broadsheet.pagecache import generation

Row = TypeVar("Row", bound=models.Model)
Value = TypeVar("Value")

# cache key -> (generation when read, kept until (monotonic clock), value)
_kept: dict[str, tuple[bytes, float, Any]] = {}


def read_through(
    cache_key: str, load: Callable[[], Value], timeout: int | None, copy: Callable[[Value], Value]
) -> Value:
    """The value under ``cache_key``: kept here, else from the shared cache, else ``load()``
    (then stored in the shared cache for ``timeout`` seconds)."""
    stamp = generation.current_if_mapped()
    if stamp is not None:
        kept = _kept.get(cache_key)
        if kept is not None and kept[0] == stamp and time.monotonic() < kept[1]:
            return copy(kept[2])
    found = cache.get(cache_key)
    if found is None:
        found = load()
        cache.set(cache_key, found, timeout)
    if stamp is not None:
        # No longer than the shared entry lives: a row changed behind Broadsheet's back (SQL
        # by hand) shows after ``timeout`` here too, as it does through the shared cache.
        until = math.inf if timeout is None else time.monotonic() + timeout
        _kept[cache_key] = (stamp, until, found)
        return copy(found)
    return found


def forget(cache_key: str) -> None:
    """``cache_key`` changes: gone from the shared cache now (readers in this transaction) and
    again after the commit (a reader that filled it in between read the old row), then every
    process's kept copies are given up by advancing the generation."""
    cache.delete(cache_key)
    _kept.pop(cache_key, None)

    def after_commit() -> None:
        cache.delete(cache_key)
        generation.advance()

    transaction.on_commit(after_commit)


def forget_everything_here() -> None:
    """Drop this process's kept values (tests: the database was rolled back under them)."""
    _kept.clear()


def clone_row(row: Row) -> Row:
    """A new instance with the same field values, as loading the row again would give
    (``copy.copy`` of a model instance pickles it: 4 µs against 0.6)."""
    return loaded_instance(row.__class__, row.__dict__, row._state.db)


def load_settings_row(model: type[Row], cache_key: str, timeout: int = 300) -> Row:
    """Row 1 of ``model`` (created on first use); whoever saves the row calls ``forget``."""
    return read_through(cache_key, lambda: model.objects.get_or_create(pk=1)[0], timeout, clone_row)
