"""What a commenter's browser remembers, in signed, HttpOnly cookies readable by no script:
their details (only when they tick the box) and which of their comments await moderation."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COMMENTER_COOKIE = "broadsheet_commenter"
PENDING_COOKIE = "broadsheet_pending"
COMMENTER_SALT = "broadsheet.comments.commenter"
PENDING_SALT = "broadsheet.comments.pending"
COMMENTER_MAX_AGE = 30_000_000  # WordPress's lifetime, about 347 days
PENDING_MAX_AGE = 14 * 24 * 3600
PENDING_KEEP = 20  # the newest pending comment ids a browser remembers


def _set(response: HttpResponse, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def remembered_commenter(request: HttpRequest) -> dict[str, str]:
    """Name, email and website from the consent cookie, or nothing."""
    raw = request.COOKIES.get(COMMENTER_COOKIE)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=COMMENTER_SALT, max_age=COMMENTER_MAX_AGE)
    except signing.BadSignature:
        return {}
    return {key: str(data.get(key, "")) for key in ("author", "email", "url")}


def remember_commenter(response: HttpResponse, author: str, email: str, url: str) -> None:
    value = signing.dumps({"author": author, "email": email, "url": url}, salt=COMMENTER_SALT)
    _set(response, COMMENTER_COOKIE, value, COMMENTER_MAX_AGE)


def forget_commenter(request: HttpRequest, response: HttpResponse) -> None:
    if COMMENTER_COOKIE in request.COOKIES:
        response.delete_cookie(COMMENTER_COOKIE, samesite="Lax")


def own_pending_ids(request: HttpRequest) -> list[int]:
    raw = request.COOKIES.get(PENDING_COOKIE)
    if not raw:
        return []
    try:
        ids = signing.loads(raw, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return []
    return [int(pk) for pk in ids if isinstance(pk, int)]


def remember_pending(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    ids = [*own_pending_ids(request), comment_id][-PENDING_KEEP:]
    _set(response, PENDING_COOKIE, signing.dumps(ids, salt=PENDING_SALT), PENDING_MAX_AGE)
