"""``broadsheet search reindex``: rebuild the full-text index from the content."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.search.backends import backend_name
from broadsheet.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Maintain the full-text search index."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "reindex", help="rebuild the index from every published article and page"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        started = time.monotonic()
        counts = rebuild_index()
        self.stdout.write(
            f"Indexed {counts.articles} article{'s' if counts.articles != 1 else ''} and "
            f"{counts.pages} page{'s' if counts.pages != 1 else ''} "
            f"({backend_name()}, {time.monotonic() - started:.1f} s)."
        )
