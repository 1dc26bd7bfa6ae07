"""Plain-text hygiene shared by every writer and every XML output.

Control characters have no place in a news site's text: XML 1.0 cannot carry them at all (a
feed with one is not a feed) and HTML calls them parse errors. They are removed where text
comes in (forms, imports) and again where XML goes out, so a value stored before this rule,
or written straight to the database, cannot break a feed.
"""

from __future__ import annotations

import re

# Everything XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE/U+FFFF) plus DEL and the C1 controls, which XML allows but HTML does not.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control_characters(text: str) -> str:
    """``text`` without the characters that XML 1.0 or HTML refuse (tab and newlines stay)."""
    return _CONTROL_CHARACTERS.sub("", text) if text else text


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a character that :func:`strip_control_characters` removes."""
    return bool(text) and _CONTROL_CHARACTERS.search(text) is not None


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` as one column of a terminal's tab-separated line: control characters (escape
    sequences a terminal would run) removed, whitespace folded to single spaces, cut to
    ``limit`` characters with an ellipsis."""
    text = " ".join(strip_control_characters(text).split())
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text
