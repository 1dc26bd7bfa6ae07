"""Records made fit to store before planning: no control characters in any text a WXR file
carries (XML 1.0 refuses them, so one in a title would break every feed that prints it)."""

from __future__ import annotations

import dataclasses

from broadsheet.core.text import has_control_characters, strip_control_characters


def _clean_value(value: object) -> object:
    if isinstance(value, str):
        return strip_control_characters(value) if has_control_characters(value) else value
    if isinstance(value, list):
        return [_clean_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_clean_value(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        clean_record(value)
    return value


def clean_record(record: object) -> object:
    """``record`` with control characters removed from every text field, in place,
    nested comments, terms and meta included."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            if isinstance(value, str | list | tuple) or dataclasses.is_dataclass(value):
                setattr(record, field.name, _clean_value(value))
    return record
