"""``reverse`` remembered per process.

Why: a list page builds about forty URLs (each article, author, category); Django's
``reverse`` re-resolves the URLconf and quotes every time, which was a third of the
home page's rendering time. The URLconf never changes while a process runs, so the same
arguments always give the same address; only the script prefix can differ, and it is part
of the key.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=20_000)
def _reverse(prefix: str, name: str, args: tuple, kwargs: tuple) -> str:
    return reverse(name, args=args, kwargs=dict(kwargs))


def link(name: str, *args: object, **kwargs: object) -> str:
    """The path of the named URL, like ``reverse(name, args=args, kwargs=kwargs)``."""
    return _reverse(get_script_prefix(), name, args, tuple(sorted(kwargs.items())))
