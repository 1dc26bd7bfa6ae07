"""Failed sign-in attempts per account and per client IP, counted in the shared cache (the
file cache by default, Redis when configured) so every worker process sees the same counts."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("broadsheet.security")


def _key(kind: str, value: str) -> str:
    # Hashed: whoever can read the cache learns neither the usernames tried nor the addresses.
    return f"accounts:login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def account_key(username: str) -> str:
    """One key for the spellings of a name: NFKC as Django's form normalises it, trimmed and
    case-folded, so that ``ｅditor`` or ``Editor `` get no fresh set of attempts."""
    return _key("account", unicodedata.normalize("NFKC", username).strip().casefold())


def address_key(ip: str) -> str:
    """One key per IPv4 address and per IPv6 /64, the block one subscriber is usually given."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return _key("ip", ip)
    if address.version == 6:
        return _key("ip", str(ipaddress.ip_network(f"{address}/64", strict=False)))
    return _key("ip", str(address))


def _limits(username: str, ip: str | None) -> dict[str, int]:
    """Cache key → how many failures it allows in a window."""
    limits = {account_key(username): settings.LOGIN_ATTEMPTS}
    if ip:
        limits[address_key(ip)] = settings.LOGIN_ATTEMPTS_PER_IP
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
    cache.delete(account_key(username))


def refusal_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Try again in {minutes} {unit}."
