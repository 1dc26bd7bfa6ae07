"""What a reader typed, as search terms. Pure: no database, no engine syntax.

Any text is a valid query. Words are searched together (all must match); ``"exact phrase"``
keeps words together; a leading ``-`` excludes a word or phrase. Everything else a search
engine would read as an operator (quotes left open, brackets, ``*``, ``^``, ``:``, ``NEAR``,
``OR``) is plain text here: each engine receives every term quoted, so nothing a reader
types can become a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200  # characters; longer input is refused politely, not searched
MAX_TERMS = 16  # words and phrases beyond this are ignored: they add cost, not precision

# A phrase in quotation marks (closed or left open at the end), or a run of non-space text.
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Term:
    """One word or phrase, as typed but without quotation marks or a leading minus."""

    text: str
    excluded: bool = False


@dataclass(frozen=True)
class SearchQuery:
    terms: tuple[Term, ...]

    @property
    def included(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.excluded)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.excluded)

    @property
    def is_searchable(self) -> bool:
        """Only exclusions ("-war") would mean "everything else": not a search."""
        return bool(self.included)


def _searchable_text(text: str) -> str:
    """``text`` without control and format characters, private-use characters (the
    highlighter's markers) and stray quotation marks; whitespace folded."""
    kept = (
        " " if char.isspace() else char
        for char in text
        if unicodedata.category(char) not in {"Cc", "Cf", "Co", "Cs", "Cn"} or char.isspace()
    )
    return " ".join("".join(kept).replace('"', " ").split())


def _has_word(text: str) -> bool:
    """At least one letter or digit: something both engines will index as a word."""
    return any(unicodedata.category(char)[0] in "LN" for char in text)


def parse_query(text: str) -> SearchQuery:
    """The terms of ``text``: words, ``"phrases"`` and ``-exclusions``, at most MAX_TERMS.

    Terms with no letter or digit in them (``'; --``, ``<>``, ``!!!``) are dropped; so are
    repeated ones. Case and accents are left to the engines, which fold them."""
    terms: list[Term] = []
    seen: set[Term] = set()
    for match in _TERM.finditer(text.replace("\u201c", '"').replace("\u201d", '"')):
        minus, phrase, word_minus, word = match.groups()
        excluded = bool(minus if phrase is not None else word_minus)
        words = _searchable_text(phrase if phrase is not None else word)
        term = Term(words, excluded)
        if _has_word(words) and term not in seen:
            seen.add(term)
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return SearchQuery(tuple(terms))
