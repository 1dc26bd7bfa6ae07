"""``broadsheet import wxr FILE``: move a WordPress site in (see the README's "Moving from
WordPress")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.importers.wordpress.importing import import_wxr
from broadsheet.importers.wordpress.load import ImportOptions
from broadsheet.importers.wordpress.parse import WXRError


def read_author_map(path: Path) -> dict[str, str]:
    """``wordpress_login = broadsheet_author_slug_or_username`` per line; ``#`` comments."""
    mapping: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        login, sep, target = line.partition("=")
        if not sep or not login.strip() or not target.strip():
            raise CommandError(f"{path}:{number}: expected “wordpress_login = author”")
        mapping[login.strip()] = target.strip()
    return mapping


class Command(BaseCommand):
    help = "Import content from another engine's export (WordPress WXR)."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        wxr = formats.add_parser("wxr", help="a WordPress export file (WXR 1.0–1.2)")
        wxr.add_argument("file", type=Path, metavar="FILE")
        wxr.add_argument("--dry-run", action="store_true", help="report only; change nothing")
        wxr.add_argument(
            "--media-dir",
            type=Path,
            metavar="DIR",
            help="a copy of wp-content/uploads: files are copied from here",
        )
        wxr.add_argument(
            "--author-map",
            type=Path,
            metavar="FILE",
            help="lines of “wordpress_login = author slug or username”",
        )
        wxr.add_argument("--batch-size", type=int, default=1000, help=ARGPARSE_SUPPRESS)
        wxr.add_argument(
            "--report-json", type=Path, metavar="FILE", help="also write the report as JSON"
        )
        wxr.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file: Path, **options) -> None:  # type: ignore[no-untyped-def]
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        media_dir = options.get("media_dir")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir}: no such directory")
        author_map = read_author_map(options["author_map"]) if options.get("author_map") else {}
        import_options = ImportOptions(
            dry_run=options["dry_run"],
            media_dir=media_dir,
            author_map=author_map,
            batch_size=max(1, options["batch_size"]),
        )
        show_progress = not options["no_progress"] and sys.stderr.isatty()
        try:
            report = import_wxr(
                file, import_options, progress=sys.stderr if show_progress else None
            )
        except WXRError as error:
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(report.table())
        if options.get("report_json"):
            options["report_json"].write_text(json.dumps(report.as_dict(), indent=2))
        if report.failed:
            raise CommandError(f"{report.failed} item(s) failed; see the list above.")


ARGPARSE_SUPPRESS = "==SUPPRESS=="
