"""A signed "form issued at" token: posts that come back faster than a person can write, or
from a form loaded days ago (a replayed token), are refused before anything is stored."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

SALT = "broadsheet.comments.form-issued"
FIELD_NAME = "form_token"


# Tokens signed this process, by (article, second, key): every form of an article issued in
# the same second carries the same token, so a busy article signs once a second instead of on
# every view (JSON, HMAC and base64: 10 µs alone, several times that inside a request).
_issued: dict[tuple[int, int, str], str] = {}
MAX_ISSUED = 1_000


def issue(article_id: int, now: float | None = None) -> str:
    second = int(now if now is not None else time.time())
    key = (article_id, second, settings.SECRET_KEY)
    token = _issued.get(key)
    if token is None:
        if len(_issued) >= MAX_ISSUED:
            _issued.clear()
        token = _issued[key] = signing.dumps({"a": article_id, "t": second}, salt=SALT)
    return token


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
