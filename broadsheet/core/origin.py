"""Which scheme and host a request is for: one answer for the page cache's replay key, its
shared entries and Django's own URL building.

It reads the WSGI environ (a Django request's ``META`` is one), so the page cache's front
door can ask before Django runs, and it follows Django's rules exactly: the forwarded headers
count only when BROADSHEET_BEHIND_PROXY set ``USE_X_FORWARDED_HOST`` and
``SECURE_PROXY_SSL_HEADER``, and a host outside ALLOWED_HOSTS has no origin (Django answers
it 400). A key built any other way lets one request's header choose another reader's page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http.request import split_domain_port, validate_host


@dataclass(frozen=True, slots=True)
class Rules:
    """The settings that decide an origin, read once: the front door asks on every request."""

    forwarded_host: bool
    forwarded_port: bool
    proxy_ssl_header: tuple[str, str] | None
    allowed_hosts: tuple[str, ...]


def request_origin(environ: Mapping[str, Any]) -> str | None:
    """``scheme://host[:port]`` of the request, or None when its host is not one we serve."""
    rules = _rules()
    scheme = environ.get("wsgi.url_scheme", "http")
    if rules.proxy_ssl_header is not None:  # HttpRequest.scheme
        header, secure_value = rules.proxy_ssl_header
        value = environ.get(header)
        if value is not None:
            scheme = "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    if rules.forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:  # _get_raw_host
        host = environ["HTTP_X_FORWARDED_HOST"]
    elif "HTTP_HOST" in environ:
        host = environ["HTTP_HOST"]
    else:
        host = _server_host(environ, scheme, rules)
    return _origin(scheme, host, rules.allowed_hosts)


def _server_host(environ: Mapping[str, Any], scheme: str, rules: Rules) -> str:
    """PEP 3333's host, for a request without a Host header."""
    host, port = environ.get("SERVER_NAME", ""), str(environ.get("SERVER_PORT", ""))
    if rules.forwarded_port and "HTTP_X_FORWARDED_PORT" in environ:
        port = environ["HTTP_X_FORWARDED_PORT"]
    return host if port == ("443" if scheme == "https" else "80") else f"{host}:{port}"


@lru_cache(maxsize=1024)
def _origin(scheme: str, host: str, allowed_hosts: tuple[str, ...]) -> str | None:
    domain, _ = split_domain_port(host)  # HttpRequest.get_host's check
    if not domain or not validate_host(domain, allowed_hosts):
        return None
    return f"{scheme}://{host}"


@lru_cache(maxsize=1)
def _rules() -> Rules:
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # Django's own default in DEBUG
    return Rules(
        forwarded_host=settings.USE_X_FORWARDED_HOST,
        forwarded_port=settings.USE_X_FORWARDED_PORT,
        proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
        allowed_hosts=tuple(allowed),
    )


def _forget_rules(**kwargs: object) -> None:
    _rules.cache_clear()


setting_changed.connect(_forget_rules)  # tests change settings while a process runs
