"""What counts as a script getting through, checked on parsed markup: an event-handler
attribute, a script element that is not the site's own, a script URL, a frame or a refresh.
The same rules run in Chromium (``BROWSER_SCAN``) on the DOM a browser builds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from tests.html import Element, parse_html

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "lowsrc",
    "dynsrc",
    "ping",
    "codebase",
    "srcset",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpeg|webp);", re.IGNORECASE)
# Browsers drop ASCII whitespace and controls inside a scheme ("java\tscript:" runs).
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200d\ufeff]+")


def is_script_url(value: str, *, attribute: str = "href", tag: str = "a") -> bool:
    """A URL that runs script (javascript:, vbscript:) or carries a document (data:), also
    once control characters are taken out: any later step that strips them (an XML writer,
    a cleaner) would make it one."""
    for candidate in value.split(",") if attribute == "srcset" else [value]:
        url = _IGNORED_IN_SCHEME.sub("", candidate).lower()
        if url.startswith(("javascript:", "vbscript:", "livescript:")):
            return True
        if url.startswith("data:") and not (tag == "img" and SAFE_DATA_IMAGE.match(url)):
            return True
    return False


def _walk(element: Element, where: str) -> Iterator[tuple[Element, str]]:
    """Each element with where it is: the nearest id, and the list entry's own address."""
    here = f"#{element.attrs['id']}" if element.attrs.get("id") else where
    if element.tag == "article":
        links = [a.attrs.get("href") for h in element.find_all("h2") for a in h.find_all("a")]
        if links:
            here = f"{here} in article {links[0]}"
    yield element, here
    for child in element.children:
        if isinstance(child, Element):
            yield from _walk(child, here)


def _snippet(element: Element) -> str:
    attrs = " ".join(f"{k}={v!r}" for k, v in element.attrs.items())
    return f"<{element.tag} {attrs}>"[:200]


def markup_findings(markup: str | bytes, *, own_scripts: bool = False) -> list[str]:
    """Every way ``markup`` could run script. ``own_scripts``: a whole page, whose external
    same-site scripts and JSON-LD block are the site's own."""
    found = []
    for element, where in _walk(parse_html(markup), "page"):
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"event handler {name} in {_snippet(element)} near {where}")
            elif name == "srcdoc":
                found.append(f"srcdoc in {_snippet(element)} near {where}")
            elif (
                name in URL_ATTRIBUTES
                and value
                and is_script_url(value, attribute=name, tag=element.tag)
            ):
                found.append(f"script URL in {_snippet(element)} near {where}")
            elif name == "style" and value and re.search(r"javascript:|expression\(", value, re.I):
                found.append(f"script in style of {_snippet(element)} near {where}")
        if element.tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{element.tag}> element {_snippet(element)} near {where}")
        if element.tag == "meta" and (element.attrs.get("http-equiv") or "").lower() == "refresh":
            found.append(f"meta refresh {_snippet(element)} near {where}")
        if element.tag == "script" and not (own_scripts and _is_own_script(element)):
            found.append(f"script element {_snippet(element)} {element.text[:80]!r} near {where}")
    return found


def _is_own_script(element: Element) -> bool:
    if element.attrs.get("type") == "application/ld+json":
        try:
            json.loads(element.text)
        except ValueError:
            return False  # something broke out of, or into, the JSON-LD block
        return True
    src = element.attrs.get("src") or ""
    return src.startswith("/") and not src.startswith("//") and not element.text.strip()


# The same rules on the live DOM (the file's leading comment dropped: Playwright is given a
# bare function); returns one line per finding.
_SCAN_SOURCE = Path(__file__).with_name("browser_scan.js").read_text(encoding="utf-8")
BROWSER_SCAN = (
    "\n".join(line for line in _SCAN_SOURCE.splitlines() if not line.startswith("//"))
    .replace("URL_ATTRIBUTES", json.dumps(sorted(URL_ATTRIBUTES)))
    .replace("FORBIDDEN_ELEMENTS", json.dumps(sorted(FORBIDDEN_ELEMENTS)))
)
