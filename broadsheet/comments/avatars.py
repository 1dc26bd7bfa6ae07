"""Avatars made here, from a keyed hash of the email: no third party sees who reads what, and
no visitor can match a commenter across sites (Gravatar publishes a plain hash of the email)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

SIZE = 5  # a 5×5 grid mirrored left to right


def avatar_key(email: str, name: str = "") -> str:
    """20 hex characters of HMAC-SHA256(site secret, email). Not reversible, not portable."""
    material = (email or name or "anonymous").strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), material, hashlib.sha256).hexdigest()[:20]


def gravatar_url(email: str, size: int = 96) -> str:
    """Only when the operator turns Gravatar on: then the email's SHA-256 *is* published."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"https://gravatar.com/avatar/{digest}?s={size}&d=identicon"


def identicon_svg(key: str) -> str:
    """A symmetric 5×5 pattern in a colour, both derived from ``key``."""
    digest = hashlib.sha256(key.encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    cells = []
    for row in range(SIZE):
        for column in range((SIZE + 1) // 2):
            if digest[2 + row * 3 + column] % 2:
                for x in {column, SIZE - 1 - column}:
                    cells.append(f'<rect x="{x + 1}" y="{row + 1}" width="1" height="1"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" width="48" height="48">'
        f'<rect width="7" height="7" fill="hsl({hue} 35% 92%)"/>'
        f'<g fill="hsl({hue} 55% 38%)">{"".join(cells)}</g></svg>'
    )
