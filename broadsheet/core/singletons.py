"""One-row settings models (site settings, discussion settings), read through the shared cache."""

from __future__ import annotations

from typing import TypeVar

from django.core.cache import cache
from django.db import models

Row = TypeVar("Row", bound=models.Model)


def load_settings_row(model: type[Row], cache_key: str, timeout: int = 300) -> Row:
    """Row 1 of ``model`` from the cache every worker shares, else the database (creating it
    on first use). Whoever saves the row deletes ``cache_key``."""
    found = cache.get(cache_key)
    if found is None:
        found, _ = model.objects.get_or_create(pk=1)
        cache.set(cache_key, found, timeout)
    return found
