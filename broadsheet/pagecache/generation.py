"""The purge generation: one value that changes whenever anything is purged, anywhere.

The WSGI front (front.py) keeps pages in each process's memory and replays one only while the
generation it was kept under is current: one read per request instead of an entry and its tags.

With Redis (or any shared cache but the file system) the generation is a key there. With the
file cache it is eight bytes in a file of the cache folder, written in place by every purge and
read through a shared memory map: the same page of the kernel's cache that the write changed,
so a purge is seen by the very next request of every process on the machine.

Why a memory map: the file used to be replaced on every purge and read with ``os.stat``, which
cost 1.5–2 µs of a cached request's ~20 under load (a replayed article served 8–10 % more
requests/s without it, measured with wrk against bare WSGI callables); reading a map costs
nothing measurable. The one thing a map cannot see is the file itself being deleted or replaced
(an operator clearing the cache folder by hand): each process looks at the path again at most
``RECHECK_SECONDS`` after its last look and maps the new file, so such a purge reaches its
replayed pages within that second.
"""

from __future__ import annotations

import mmap
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

GENERATION_KEY = "pagecache:v1:generation"
FILE_NAME = "pagecache-generation"
SIZE = 8  # the time (ns) of the last purge, little-endian
RECHECK_SECONDS = 1.0

_UNKNOWN = object()
_location: list = [_UNKNOWN]  # the file's path, or None without a file cache (worked out once)


def generation_file() -> str | None:
    found = _location[0]
    if found is _UNKNOWN:
        default = settings.CACHES["default"]
        found = None
        if default["BACKEND"].endswith("FileBasedCache"):
            found = os.path.join(str(default.get("LOCATION", "")), FILE_NAME)
        _location[0] = found
    return found


@receiver(setting_changed)
def _forget_location(setting: str, **kwargs: object) -> None:
    if setting == "CACHES":  # tests switch to Redis and back
        _location[0] = _UNKNOWN


def _open(path: str) -> int:
    """The file, created (zeroed) when missing: readers and writers may both come first."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if os.fstat(descriptor).st_size < SIZE:
        os.ftruncate(descriptor, SIZE)  # grows only: a writer's bytes are never cut
    return descriptor


class _Mapping:
    """This process's map of the file, and when to look at the path again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.path: str | None = None
        self.view: mmap.mmap | None = None
        self.identity: tuple[int, int] | None = None
        self.look_again = 0.0

    def read(self, path: str) -> bytes:
        view = self.view  # a local reference: another thread may swap in a new map
        if view is None or path != self.path or time.monotonic() >= self.look_again:
            view = self.remap(path)
        return view[:SIZE]

    def remap(self, path: str) -> mmap.mmap:
        with self.lock:
            try:
                found = os.stat(path)
                identity = (found.st_dev, found.st_ino)
            except FileNotFoundError:
                identity = None
            if self.view is None or path != self.path or identity != self.identity:
                descriptor = _open(path)
                try:
                    found = os.fstat(descriptor)
                    # Old maps are left to close when the last thread reading one drops it.
                    self.view = mmap.mmap(descriptor, SIZE, access=mmap.ACCESS_READ)
                finally:
                    os.close(descriptor)
                self.path, self.identity = path, (found.st_dev, found.st_ino)
            self.look_again = time.monotonic() + RECHECK_SECONDS
            return self.view


_MAPPING = _Mapping()


def current() -> object:
    """The current purge generation (compare for equality only)."""
    mapped = current_if_mapped()
    return cache.get(GENERATION_KEY) if mapped is None else mapped


def current_if_mapped() -> bytes | None:
    """The current generation when reading it is free (the file cache's map); None with any
    other cache, where reading it is a round trip to the cache."""
    path = generation_file()
    return None if path is None else _MAPPING.read(path)


def advance() -> None:
    """A new generation: every process's replayed pages go back through Django."""
    path = generation_file()
    now = time.time_ns()
    if path is None:
        cache.set(GENERATION_KEY, now, timeout=None)
        return
    descriptor = _open(path)
    try:
        os.pwrite(descriptor, now.to_bytes(SIZE, "little"), 0)
    finally:
        os.close(descriptor)
