"""URL converters: WordPress's zero-padded date parts (``/2026/03/07/``), and page numbers and
ids that match only when they are ones the site can have (anything else is a 404, never an
overflow in the database)."""

from __future__ import annotations

from collections.abc import Callable

from broadsheet.core.numbers import parse_id, parse_page


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class TwoDigit:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


class _Bounded:
    """Digits read by ``parse`` (None when out of range); a ValueError tells Django the URL
    does not match."""

    regex = "[0-9]+"
    parse: Callable[[str], int | None]
    what = ""

    def to_python(self, value: str) -> int:
        number = self.parse(value)
        if number is None:
            raise ValueError(f"not {self.what}: {value!r}")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


class PageNumber(_Bounded):
    """1 up to ``core.numbers.MAX_PAGE``."""

    parse = staticmethod(parse_page)
    what = "a page number"


class RowId(_Bounded):
    """A database id: 1 up to the largest 64-bit integer."""

    parse = staticmethod(parse_id)
    what = "an id"
