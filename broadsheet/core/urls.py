"""The one rule for addresses from outside (a commenter's website, an imported link, a
featured image): a web address or nothing, decided as a browser would read it."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# A browser drops C0 controls and spaces around an address and tabs and newlines inside it
# before reading the scheme: "java\tscript:" and " JaVaScRiPt:" are both "javascript:".
_SURROUNDING = "".join(map(chr, range(0x21)))
_INSIDE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
WEB_SCHEMES = {"http", "https"}


def _as_browsers_read(value: str) -> str:
    return _INSIDE.sub("", value.strip(_SURROUNDING))


def _is_web_address(value: str, *, relative: bool) -> bool:
    scheme = _SCHEME.match(value)
    if scheme is None:
        # No scheme: a path on this site ("/media/a.jpg"), or "//host/…" on the page's own.
        return relative and (not value.startswith("//") or _has_host("https:" + value))
    return scheme.group(1).lower() in WEB_SCHEMES and _has_host(value)


def _has_host(value: str) -> bool:
    try:
        return bool(urlsplit(value.replace("\\", "/")).hostname)
    except ValueError:
        return False


def safe_http_url(value: str | None, *, relative: bool = False) -> str:
    """``value`` if it is an http(s) address with a host (or, with ``relative``, an address
    on this site), else ``""``. Decided on the text and on its entity-decoded form, so the
    answer holds whether the value is later printed escaped or read as HTML."""
    if not value:
        return ""
    cleaned = _as_browsers_read(value)
    decoded = _as_browsers_read(html.unescape(cleaned))
    if not cleaned or any(ord(c) < 0x20 or ord(c) == 0x7F for c in cleaned):
        return ""
    if _is_web_address(cleaned, relative=relative) and _is_web_address(decoded, relative=relative):
        return cleaned
    return ""
