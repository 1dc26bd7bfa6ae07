"""Failed sign-in attempts per account and per client IP, counted in the shared cache (the
file cache by default, Redis when configured) so every worker process sees the same counts."""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("broadsheet.security")


def _key(kind: str, value: str) -> str:
    # Hashed: whoever can read the cache learns neither the usernames tried nor the addresses.
    return f"accounts:login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _limits(username: str, ip: str | None) -> dict[str, int]:
    """Cache key → how many failures it allows in a window."""
    limits = {_key("account", username.strip().lower()): settings.LOGIN_ATTEMPTS}
    if ip:
        limits[_key("ip", ip)] = settings.LOGIN_ATTEMPTS_PER_IP
    return limits


def minutes_blocked(username: str, ip: str | None) -> int:
    """Whole minutes until this account or address may try again; 0 when it may now."""
    now = time.time()
    limits = _limits(username, ip)
    waits = [
        until - now
        for key, (count, until) in cache.get_many(list(limits)).items()
        if count >= limits[key] and until > now
    ]
    return math.ceil(max(waits) / 60) if waits else 0


def record_failure(username: str, ip: str | None, step: str) -> None:
    """Count one failed password or code against the account and the address, and log it.

    A window starts with its first failure and ends ``LOGIN_WINDOW_SECONDS`` later; the
    count is read and written back (another worker's failure at the same instant may be
    lost, which only lets one more attempt through).
    """
    now = time.time()
    window = settings.LOGIN_WINDOW_SECONDS
    for key in _limits(username, ip):
        count, until = cache.get(key) or (0, now + window)
        if until <= now:
            count, until = 0, now + window
        cache.set(key, (count + 1, until), timeout=max(1, math.ceil(until - now)))
    logger.warning("Failed staff sign-in (%s) for account %r from %s", step, username, ip)


def clear_account(username: str) -> None:
    """Forget the account's failures after a successful sign-in (the address keeps its own)."""
    cache.delete(_key("account", username.strip().lower()))


def refusal_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Try again in {minutes} {unit}."
