"""Cross-site request forgery checks for the comment form, which cached pages share.

A page served from the whole-page cache cannot carry a per-visitor CSRF token, so readers'
forms have none. A signed-in user's form still has one and gets Django's full check; for a
reader the browser's ``Origin`` (or ``Referer``) must name this site. A request with neither
comes from no browser, so a forged cross-site post is not possible with it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_callable


def refuse(request: HttpRequest, reason: str) -> HttpResponse:
    return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=reason)


def allowed_origins(request: HttpRequest) -> set[str]:
    own = f"{request.scheme}://{request.get_host()}"
    return {own, *(origin.rstrip("/") for origin in settings.CSRF_TRUSTED_ORIGINS)}


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def check_comment_post(request: HttpRequest) -> HttpResponse | None:
    """None when the post may proceed, else the 403 response to send."""
    if request.user.is_authenticated:
        return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})  # type: ignore[arg-type,return-value]
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        if origin.rstrip("/") not in allowed_origins(request):
            return refuse(request, f"Origin checking failed - {origin} does not match.")
        return None
    referer = request.META.get("HTTP_REFERER")
    if referer is not None:
        if origin_of(referer) not in allowed_origins(request):
            return refuse(request, "Referer checking failed - the form was not on this site.")
    return None
