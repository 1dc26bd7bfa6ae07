"""Highlighted snippets as safe HTML.

The engines mark matches with two private-use characters instead of HTML, so the snippet
can be escaped as plain text first and only then have the markers turned into ``<mark>``.
Indexed text never contains the markers (``strip_markers`` runs on everything indexed)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START = "\ue000"
END = "\ue001"
_MARKED = re.compile(f"{START}([^{START}{END}]+){END}")


def strip_markers(text: str) -> str:
    """``text`` without the markers (and without NUL, which PostgreSQL cannot store)."""
    return text.replace(START, "").replace(END, "").replace("\x00", "")


def highlighted_html(text: str) -> SafeString:
    """Escaped ``text`` with each marked span wrapped in ``<mark>``; stray markers dropped."""
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(strip_markers(escaped))  # escaped above: the only tags are our <mark>s
