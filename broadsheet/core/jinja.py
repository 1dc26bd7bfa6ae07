"""The Jinja2 environment for the public pages.

Why Jinja2 there: the home page spent 6.6 ms of CPU rendering ten article summaries through
Django's template engine (each variable a chain of lookups, each include a context push);
Jinja2 compiles templates to Python and rendered the same page in a fraction of that (figures
in the README's benchmark section). The admin keeps Django templates. The helpers below are
the few things templates need from Django: static and reversed URLs, and dates.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.templatetags.static import static as django_static
from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from jinja2 import Environment

from broadsheet.core.links import link, request_prefix

ISO = "Y-m-d\\TH:i:sO"  # what templates write for a <time datetime="…">


def date(value: dt.datetime | dt.date | None, format_string: str) -> str:
    """Django's ``date`` filter: the value in the site's time zone, in a PHP-style format.
    The two formats every list prints (machine and reader dates) skip the general parser."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # The site's one zone (settings.TIME_ZONE; nothing activates another): reading the
        # "current" zone goes through a context-local lookup that cost more than the rest.
        value = value.astimezone(timezone.get_default_timezone())
    if format_string == ISO:
        return value.strftime("%Y-%m-%dT%H:%M:%S%z")
    if format_string == "j F Y":
        return f"{value.day} {MONTHS[value.month]} {value.year}"
    return dateformat.format(value, format_string)


@lru_cache(maxsize=512)
def _static(prefix: str, path: str) -> str:
    return django_static(path)


def static(path: str) -> str:
    """Django's ``static``, remembered per process: the manifest of hashed names is read once
    and never changes while a process runs, yet each lookup (name, hash, URL join) cost about
    12 µs, three times on every page. The script prefix is part of the key, as for links."""
    return _static(request_prefix.get(), path)


def intcomma(value: int) -> str:
    return f"{value:,}"


def environment(**options: object) -> Environment:
    env = Environment(**options)  # noqa: S701 — Django's backend turns autoescape on
    env.globals.update(
        {"static": static, "url": link, "language_code": settings.LANGUAGE_CODE.lower()}
    )
    env.filters.update({"date": date, "intcomma": intcomma})
    return env
