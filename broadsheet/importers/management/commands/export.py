"""``broadsheet export wxr [-o FILE]``: the whole site as a WordPress export (WXR 1.2)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.importers.wordpress.export import export_wxr


class Command(BaseCommand):
    help = "Export the site for another engine (WordPress WXR 1.2)."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        wxr = formats.add_parser("wxr", help="a WordPress export file (WXR 1.2)")
        wxr.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            help="write here instead of standard output",
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:  # type: ignore[no-untyped-def]
        if output is None:
            self.stdout.ending = ""  # the export writes its own line ends
            export_wxr(self.stdout)
            return
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as out:
                counts = export_wxr(out)
            partial.replace(output)  # never leave a half-written file under the real name
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{output}: {error.strerror}") from None
        summary = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
        sys.stderr.write(f"Wrote {output}: {summary}.\n")
