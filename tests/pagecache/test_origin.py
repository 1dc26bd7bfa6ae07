"""``core.origin.request_origin`` gives the scheme and host Django itself sees, for the page
cache's keys: forwarded headers only behind a trusted proxy, None for a host not served."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from broadsheet.core.origin import request_origin

HOSTS = [None, "127.0.0.1", "localhost:8000", "evil.example", "a.example, b.example", "[::1]:80"]
FORWARDED_HOSTS = [None, "127.0.0.1:9000", "evil.example", "news.example"]
FORWARDED_PROTOS = [None, "https", "http", "https, http", "evil"]


def environ(host: str | None, forwarded_host: str | None, proto: str | None) -> dict:
    found = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    for name, value in (
        ("HTTP_HOST", host),
        ("HTTP_X_FORWARDED_HOST", forwarded_host),
        ("HTTP_X_FORWARDED_PROTO", proto),
    ):
        if value is not None:
            found[name] = value
    return found


def django_origin(meta: dict) -> str | None:
    request = WSGIRequest(meta)
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None


@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "behind-proxy"])
def test_the_origin_is_the_one_django_builds_urls_from(settings, behind_proxy: bool) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "news.example"]
    settings.USE_X_FORWARDED_HOST = behind_proxy
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if behind_proxy else None
    for combination in itertools.product(HOSTS, FORWARDED_HOSTS, FORWARDED_PROTOS):
        meta = environ(*combination)
        assert request_origin(meta) == django_origin(dict(meta)), combination


def test_without_a_trusted_proxy_forwarded_headers_change_nothing(settings) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    plain = environ("127.0.0.1:8000", None, None)
    assert request_origin(plain) == "http://127.0.0.1:8000"
    assert request_origin(environ("127.0.0.1:8000", "evil.example", "https")) == (
        "http://127.0.0.1:8000"
    )
    assert request_origin(environ("evil.example", "127.0.0.1:8000", None)) is None
