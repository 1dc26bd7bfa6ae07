"""What "harmless HTML" means to the tests, checked on the parsed tree, not by substring."""

from __future__ import annotations

import re

from tests.html import parse_html

FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form",
                      "base", "meta", "link", "frame", "frameset", "template"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "poster", "action", "formaction", "cite", "data", "background",
                  "srcset", "xlink:href", "longdesc"}  # fmt: skip
# What a browser ignores before it reads a scheme: C0 controls and spaces around it, and
# tabs and newlines anywhere.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def bad_url(value: str) -> bool:
    """Whether a browser would read ``value`` (already entity-decoded) as a script URL."""
    return _IGNORED_IN_URLS.sub("", value).lower().startswith(BAD_SCHEMES)


def assert_harmless_html(html: str, name: str = "HTML") -> None:
    """No script or style elements, no event handler attributes, no script URLs."""
    for element in parse_html(html).iter():
        assert element.tag not in FORBIDDEN_ELEMENTS, f"{name}: <{element.tag}> in {html!r}"
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), f"{name}: {attribute}= in {html!r}"
            assert attribute != "style", f"{name}: style= in {html!r}"
            if attribute in URL_ATTRIBUTES and value:
                for part in value.split(","):
                    assert not bad_url(part), f"{name}: {attribute}={value!r} in {html!r}"
