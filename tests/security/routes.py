"""Every public URL pattern, read from the URLconf, as a Hypothesis strategy for paths: a new
route is fuzzed without editing a test. Parameters come from their converter's kind (numbers
huge, negative and in other scripts' digits; segments of any text) or from the site's own
objects, so the views behind a match are reached too, not only their 404s."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import strategies as st

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
NOT_PUBLIC = ("admin/",)  # signed-in staff only; fuzzed through its login page alone

Part = tuple[str, str]  # ("literal", text) | (converter, parameter name) | ("regex", pattern)


@dataclass(frozen=True)
class Route:
    label: str
    parts: tuple[Part, ...]


def public_routes() -> list[Route]:
    routes = [
        r for r in _walk(get_resolver().url_patterns, (), "") if not r.label.startswith(NOT_PUBLIC)
    ]
    return [*routes, Route("admin/login/", (("literal", "admin/login/"),))]


def _walk(patterns: list, prefix: tuple[Part, ...], label: str) -> list[Route]:  # type: ignore[type-arg]
    routes = []
    for entry in patterns:
        parts = prefix + _parts(entry.pattern)
        text = label + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _walk(entry.url_patterns, parts, text)
        elif isinstance(entry, URLPattern):
            routes.append(Route(text or "/", parts))
    return routes


def _parts(pattern: object) -> tuple[Part, ...]:
    if isinstance(pattern, RoutePattern):
        route, parts, at = str(pattern._route), [], 0
        for match in _PARAMETER.finditer(route):
            parts.append(("literal", route[at : match.start()]))
            converter = pattern.converters[match["name"]]
            parts.append((_kind_of(converter.regex), match["name"]))
            at = match.end()
        parts.append(("literal", route[at:]))
        return tuple(part for part in parts if part != ("literal", ""))
    if isinstance(pattern, RegexPattern):
        regex = str(pattern._regex).removeprefix("^").removesuffix("$")
        return (("regex", regex),) if regex else ()
    return ()


def _kind_of(regex: str) -> str:
    """number, path or text: what the converter's own pattern accepts decides the fuzzing."""
    digits, letters = ("1", "12", "123", "1234"), ("a", "ab", "abc", "abcd")
    if any(re.fullmatch(regex, s) for s in digits) and not any(
        re.fullmatch(regex, s) for s in letters
    ):
        return "number"
    return "path" if re.fullmatch(regex, "a/b") else "text"


ODD_NUMBERS = [
    "0",
    "-1",
    "00",
    "007",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "99999999999999999999",
    "1" + "0" * 30,
    "²",
    "١٢",
    "１２",
    "٣",
    "1e3",
    "0x10",
    " 1",
    "1 ",
    "+1",
    "1.0",
    "NaN",
    "∞",
]
SEGMENT_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#"),
    max_size=40,
)
ODD_SEGMENTS = [
    ".",
    "..",
    "%2e%2e",
    "..%2f..%2fetc%2fpasswd",
    "%00",
    "%ff",
    "%c0%af",
    "~",
    "index.php",
    "wp-admin",
    "<svg onload=alert(1)>",
    "a" * 600,
    "%25",
    "\\",
]


def numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_NUMBERS),
        st.sampled_from(ODD_NUMBERS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.integers(min_value=0, max_value=200).map(str),
        st.from_regex(r"[0-9]{1,45}", fullmatch=True),
        st.text(alphabet=st.characters(whitelist_categories=["Nd", "No"]), min_size=1, max_size=6),
    )


def segments() -> st.SearchStrategy[str]:
    return st.one_of(SEGMENT_TEXT, st.sampled_from(ODD_SEGMENTS))


def parameter(kind: str, name: str, known: dict[str, list[str]]) -> st.SearchStrategy[str]:
    """Values for one parameter; the site's own values are drawn often, to reach past 404s."""
    own = known.get(name, [])
    if kind == "number":
        fuzzed = numbers()
    elif kind == "path":
        fuzzed = st.lists(segments(), min_size=1, max_size=4).map("/".join)
    elif kind == "regex":
        raise AssertionError("regex parts are drawn whole")
    else:
        fuzzed = segments()
    return st.one_of(st.sampled_from(own), fuzzed) if own else fuzzed


@st.composite
def paths(draw: st.DrawFn, route: Route, known: dict[str, list[str]]) -> str:
    """A request path for ``route``, percent-encoded as a browser would send it."""
    out = []
    for kind, value in route.parts:
        if kind == "literal":
            out.append(value)
        elif kind == "regex":
            out.append(draw(_regex_part(value, known)))
        else:
            out.append(draw(parameter(kind, value, known)))
    return "/" + quote("".join(out), safe="/%:@!$&'()*+,;=~")


def _regex_part(regex: str, known: dict[str, list[str]]) -> st.SearchStrategy[str]:
    """A string the regex matches: generated, or one of the site's own paths that match it."""
    matching = st.from_regex(regex, fullmatch=True)
    own = [path for path in known.get("#paths", []) if re.fullmatch(regex, path)]
    return st.one_of(st.sampled_from(own), matching) if own else matching
