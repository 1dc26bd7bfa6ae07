"""``broadsheet cache purge``: forget cached pages by hand (WP-CLI's ``wp cache flush``).

Changes made through Broadsheet purge exactly what they change, and an upgrade or a change of
configuration starts a fresh set of pages (``store.release``); this is for what Broadsheet
cannot see, such as rows edited in the database's own shell. The CDN hook hears it too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.pagecache import store
from broadsheet.pagecache.tags import SITE


class Command(BaseCommand):
    help = "Manage the whole-page cache."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        purge = actions.add_parser("purge", help="forget cached pages (all, or those with TAGs)")
        purge.add_argument(
            "tags", nargs="*", metavar="TAG", help="e.g. article:12 or list:home (default: all)"
        )

    def handle(self, *args: Any, action: str, tags: list[str], **options: Any) -> None:
        store.purge(set(tags) or {SITE})  # every page records the site tag
        what = ", ".join(sorted(tags)) if tags else "every page"
        self.stdout.write(f"Purged {what} from the page cache.")
