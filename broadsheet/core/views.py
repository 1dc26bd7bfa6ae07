"""Error pages in the site's design. The 500 page must render even when the database is down."""

from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.templatetags.static import static

logger = logging.getLogger(__name__)

FALLBACK_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p>Please try again in a moment.</p></html>"
)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("broadsheet/core/404.html", {"path": request.path}, request)
    return HttpResponse(body, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.render_to_string("broadsheet/core/500.html", {}, request)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("The designed 500 page failed to render; sending the plain one.")
        body = FALLBACK_500
    return HttpResponseServerError(body)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("broadsheet/core/400.html", {}, request)
    return HttpResponse(body, status=400)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page says; send them to ours."""
    return HttpResponsePermanentRedirect(static("broadsheet/favicon.svg"))
