"""URL converters: WordPress's zero-padded date parts (``/2026/03/07/``), and page numbers and
ids that match only when they are ones the site can have (anything else is a 404, never an
overflow in the database)."""

from __future__ import annotations

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


class PageNumber:
    """1 up to ``core.numbers.MAX_PAGE``; a ValueError tells Django the URL does not match."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_page(value)
        if number is None:
            raise ValueError(f"not a page number: {value!r}")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


class RowId:
    """A database id: 1 up to the largest 64-bit integer."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
