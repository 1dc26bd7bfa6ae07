"""Error pages in the site's design. The 500 and 503 pages must render even when the database
is down; an error that says the database cannot be reached is answered 503, not 500."""

from __future__ import annotations

import logging
import sys

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.templatetags.static import static

from broadsheet.core.unavailable import RETRY_AFTER_SECONDS, database_unavailable

logger = logging.getLogger(__name__)

FALLBACK_500 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p>Please try again in a moment.</p></html>"
)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("broadsheet/core/404.html", {"path": request.path}, request)
    return HttpResponse(body, status=404)


FALLBACK_503 = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Temporarily unavailable</title>"
    "<h1>We will be back in a moment</h1><p>The site cannot reach its database just now. "
    "Please try again in a minute.</p></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the uncaught error is being handled."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    try:
        body = loader.render_to_string("broadsheet/core/500.html", {}, request)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        logger.exception("The designed 500 page failed to render; sending the plain one.")
        body = FALLBACK_500
    return HttpResponseServerError(body)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After in the site's design; without the site's settings (they are read
    from the database) when they cannot be had, and as plain HTML if even that fails."""
    body = None
    for template_request in (request, None):
        try:
            body = loader.render_to_string(
                "broadsheet/core/503.html",
                {"retry_after_seconds": RETRY_AFTER_SECONDS},
                template_request,
            )
            break
        except Exception:  # noqa: BLE001 - the page must be sent whatever else is down
            continue
    if body is None:
        logger.error("The designed 503 page failed to render; sending the plain one.")
    response = HttpResponse(body or FALLBACK_503, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("broadsheet/core/400.html", {}, request)
    return HttpResponse(body, status=400)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page says; send them to ours."""
    return HttpResponsePermanentRedirect(static("broadsheet/favicon.svg"))
