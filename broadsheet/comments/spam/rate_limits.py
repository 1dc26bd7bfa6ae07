"""Flood control and hourly limits, counted in the cache that every worker process shares
(the file cache by default, Redis when configured), so limits hold across processes."""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache

HOUR = 3600


def _key(kind: str, value: str) -> str:
    # Hash the IP or email so cache keys (visible to whoever can read the cache) hold neither.
    return f"comments:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def too_soon(ip: str | None, email: str, seconds: int) -> bool:
    """True when this IP or email posted less than ``seconds`` ago (WordPress's flood rule)."""
    if seconds <= 0:
        return False
    keys = [_key("flood-ip", ip)] if ip else []
    if email:
        keys.append(_key("flood-email", email.lower()))
    return bool(keys) and bool(cache.get_many(keys))


def over_hourly_limit(ip: str | None, limit: int) -> bool:
    if not ip or limit <= 0:
        return False
    count, _ends = cache.get(_key("hour-ip", ip)) or (0, 0.0)
    return count >= limit


def record_post(ip: str | None, email: str, flood_seconds: int) -> None:
    """Remember a post for flood control and the hourly count."""
    if flood_seconds > 0:
        if ip:
            cache.set(_key("flood-ip", ip), 1, flood_seconds)
        if email:
            cache.set(_key("flood-email", email.lower()), 1, flood_seconds)
    if ip:
        _count_in_hour(_key("hour-ip", ip))


def _count_in_hour(key: str) -> None:
    # The entry carries the end of its hour: cache.incr on the file cache writes the value back
    # with the default timeout, which cut the hour to five minutes after the last post.
    now = time.time()
    count, ends = cache.get(key) or (0, 0.0)
    if ends <= now:
        count, ends = 0, now + HOUR
    cache.set(key, (count + 1, ends), max(1, math.ceil(ends - now)))
