"""What an import did, per kind of object, and the progress line shown while it runs."""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TextIO

KINDS = ("authors", "categories", "tags", "articles", "pages", "media", "comments", "other")
OUTCOMES = ("created", "updated", "skipped", "failed")


@dataclass
class Failure:
    kind: str
    wp_id: int | None
    title: str
    reason: str


@dataclass
class Report:
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    skipped: Counter[str] = field(default_factory=Counter)  # reason → how many
    failures: list[Failure] = field(default_factory=list)
    notes: dict[str, dict[int, None]] = field(default_factory=lambda: defaultdict(dict))
    dry_run: bool = False
    seconds: float = 0.0

    def count(self, kind: str, outcome: str, number: int = 1) -> None:
        if number:
            self.counts[kind][outcome] += number

    def skip(self, kind: str, reason: str, number: int = 1) -> None:
        self.count(kind, "skipped", number)
        self.skipped[reason] += number

    def fail(self, kind: str, wp_id: int | None, title: str, reason: str) -> None:
        self.count(kind, "failed")
        self.failures.append(Failure(kind, wp_id, title, reason))

    def note(self, text: str, wp_id: int) -> None:
        """Something not carried over, and which WordPress item it was in (once each)."""
        self.notes[text][wp_id] = None

    @property
    def failed(self) -> int:
        return sum(counts["failed"] for counts in self.counts.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "counts": {kind: dict(self.counts[kind]) for kind in KINDS if kind in self.counts},
            "skipped": dict(self.skipped),
            "failures": [failure.__dict__ for failure in self.failures],
            "not_converted": {text: list(ids) for text, ids in sorted(self.notes.items())},
        }

    def table(self) -> str:
        """The summary: a row per kind, a column per outcome; then reasons and notes."""
        rows = [("", *OUTCOMES)]
        for kind in KINDS:
            if kind in self.counts:
                rows.append((kind, *(f"{self.counts[kind][o]:,}" for o in OUTCOMES)))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            ).rstrip()
            for row in rows
        ]
        title = "Dry run: nothing was written." if self.dry_run else "Import finished."
        out = [f"{title} ({self.seconds:.1f} s)", *lines]
        if self.skipped:
            out.append("Skipped:")
            out += [f"  {n:,} × {reason}" for reason, n in self.skipped.most_common()]
        if self.failures:
            out.append("Failed:")
            out += [
                f"  {f.kind} {f.wp_id if f.wp_id is not None else '?'} “{f.title}”: {f.reason}"
                for f in self.failures
            ]
        if self.notes:
            out.append("Not converted (kept as noted):")
            for text, found in sorted(self.notes.items()):
                ids = list(found)
                shown = ", ".join(str(pk) for pk in ids[:8]) + (" …" if len(ids) > 8 else "")
                out.append(f"  {text}: {len(ids):,} item(s) ({shown})")
        return "\n".join(out) + "\n"


class Progress:
    """One self-rewriting line on a terminal: a bar, items per second and time left."""

    def __init__(self, total_bytes: int, stream: TextIO | None = None, enabled: bool = True):
        self.total = max(total_bytes, 1)
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.done_bytes = 0
        self.items = 0

    def advance(self, items: int = 0, done_bytes: int | None = None) -> None:
        self.items += items
        if done_bytes is not None:
            self.done_bytes = done_bytes
        now = time.monotonic()
        if self.enabled and now - self.shown_at >= 0.25:
            self.shown_at = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        share = min(self.done_bytes / self.total, 1.0)
        bar = "#" * int(share * 30)
        rate = self.items / elapsed
        left = elapsed * (1 - share) / share if share > 0 else 0
        return (
            f"[{bar:<30}] {share:4.0%}  {self.items:,} items  {rate:,.0f} items/s  "
            f"ETA {int(left) // 60}:{int(left) % 60:02d} "
        )

    def finish(self) -> None:
        if self.enabled:
            self.shown_at = 0
            self.advance()
            self.stream.write("\n")
            self.stream.flush()
