"""A field people never see and bots fill in: any value at all means a machine sent the form."""

from __future__ import annotations

FIELD_NAME = "fax_number"  # a name form-filling bots like; hidden from people and screen readers


def is_tripped(posted: dict) -> bool:  # type: ignore[type-arg]
    return bool((posted.get(FIELD_NAME) or "").strip())
