"""Counts of what the security suite tried, printed at the end of the run for the README:
fuzz cases per target, payloads per input field."""

from __future__ import annotations

from collections import Counter

FUZZ_CASES: Counter[str] = Counter()
PAYLOADS: Counter[str] = Counter()


def fuzz_case(target: str) -> None:
    FUZZ_CASES[target] += 1


def payloads_tried(field: str, count: int) -> None:
    PAYLOADS[field] += count


def summary_lines() -> list[str]:
    lines = []
    if FUZZ_CASES:
        lines.append(f"fuzz cases: {sum(FUZZ_CASES.values())} in all")
        lines += [f"  {count:6d}  {target}" for target, count in sorted(FUZZ_CASES.items())]
    if PAYLOADS:
        lines.append(f"XSS payloads tried per field ({len(PAYLOADS)} fields):")
        lines += [f"  {count:6d}  {field}" for field, count in sorted(PAYLOADS.items())]
    return lines
