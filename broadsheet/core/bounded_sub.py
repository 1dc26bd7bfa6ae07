"""Regular-expression substitutions that never rescan text where no match can end.

A lazy or negated scan (``<[^>]*>``, ``<!--.*?-->``) that fails only at the end of the text,
tried again from every earlier start, costs the square of the length on text such as
``<div <div <div…``. When every match must end with a known mark, the text after the last
such mark can be left out of the search: the result is the same, the work linear there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Replacement = str | Callable[[re.Match[str]], str]


def sub_up_to_last(
    mark: str, pattern: re.Pattern[str], replacement: Replacement, text: str, then: str = ""
) -> str:
    """``pattern.sub(replacement, text)`` for a pattern whose matches all end with ``mark``
    (followed by what ``then`` matches, when given)."""
    end = text.rfind(mark)
    if end == -1:
        return text
    end += len(mark)
    if then:
        after = re.compile(then).match(text, end)
        end = after.end() if after else end
    return pattern.sub(replacement, text[:end]) + text[end:]
