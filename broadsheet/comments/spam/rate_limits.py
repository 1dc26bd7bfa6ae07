"""Flood control and hourly limits, counted in the cache that every worker process shares
(the file cache by default, Redis when configured), so limits hold across processes."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


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
    return (cache.get(_key("hour-ip", ip)) or 0) >= limit


def record_post(ip: str | None, email: str, flood_seconds: int) -> None:
    """Remember a post for flood control and the hourly count."""
    if flood_seconds > 0:
        if ip:
            cache.set(_key("flood-ip", ip), 1, flood_seconds)
        if email:
            cache.set(_key("flood-email", email.lower()), 1, flood_seconds)
    if ip:
        hour_key = _key("hour-ip", ip)
        if cache.add(hour_key, 1, 3600):
            return
        try:
            cache.incr(hour_key)
        except ValueError:  # expired between add and incr
            cache.set(hour_key, 1, 3600)
