"""A signed "form issued at" token: posts that come back faster than a person can write, or
from a form loaded days ago (a replayed token), are refused before anything is stored."""

from __future__ import annotations

import time

from django.core import signing

SALT = "broadsheet.comments.form-issued"
FIELD_NAME = "form_token"


def issue(article_id: int, now: float | None = None) -> str:
    return signing.dumps(
        {"a": article_id, "t": int(now if now is not None else time.time())}, salt=SALT
    )


def check(token: str, article_id: int, min_seconds: int, max_hours: int) -> str | None:
    """``None`` when the token is fine, else which way it failed: "missing", "fast" or "expired"."""
    if not token:
        return "missing"
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return "missing"
    if data.get("a") != article_id:
        return "missing"
    age = time.time() - int(data.get("t", 0))
    if age < min_seconds:
        return "fast"
    if age > max_hours * 3600:
        return "expired"
    return None
