"""Numbers that come from outside (URLs, query strings, form fields): one parser for all.

``str.isdigit`` says yes to ``"²"``, which ``int`` refuses, and ``int`` takes ``"١٢"``,
``" 12 "`` and ``"1_000"``; a number past 64 bits reaches the database as an overflow. Here
only ASCII digits are a number, and only within the range the databases store.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest value a 64-bit integer column (and SQLite's INTEGER) holds
# Far past the last page of any list, and small enough that page x page size stays an offset
# the databases accept.
MAX_PAGE = 10**9
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_number(text: object, *, low: int, high: int) -> int | None:
    """``text`` as an integer in ``low..high``, or None: ASCII digits only, no sign, no space."""
    if not isinstance(text, str) or not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(text: object) -> int | None:
    """A database id (1 or more) written in ``text``, or None."""
    return parse_number(text, low=1, high=MAX_ID)


def parse_page(text: object) -> int | None:
    """A page number (1 or more) written in ``text``, or None."""
    return parse_number(text, low=1, high=MAX_PAGE)
