"""``broadsheet demo load``: add the demo articles to this site."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo content: `demo load` adds The Military Army Blog's articles and pages."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("load", help="add the demo authors, categories, articles and pages")

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        from broadsheet.content.demo import load_demo_content

        self.stdout.write(f"Loaded demo content: {load_demo_content()}.")
