"""Zero-padded date parts, as WordPress writes them in permalinks (``/2026/03/07/``)."""

from __future__ import annotations


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
