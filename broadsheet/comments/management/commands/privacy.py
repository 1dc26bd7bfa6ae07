"""``broadsheet privacy``: answer a commenter's request for their data, or to be forgotten.

The work is done by ``broadsheet.comments.privacy``; this only parses and prints. The export is
the only thing on stdout, so it can be redirected straight into the file sent to the person.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from broadsheet.comments.privacy import erase_commenter, export_commenter


class Command(BaseCommand):
    help = "Export or erase what is stored about one commenter (matched on email)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="print everything stored about EMAIL as JSON")
        export.add_argument("email", metavar="EMAIL")
        erase = actions.add_parser(
            "erase", help="anonymise EMAIL's comments (the text and threads stay)"
        )
        erase.add_argument("email", metavar="EMAIL")

    def handle(self, *args, action: str, email: str, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            if action == "export":
                self.export(email)
            else:
                self.erase(email)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def export(self, email: str) -> None:
        data = export_commenter(email)
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        if not data["comments"]:
            # On stderr, so stdout stays a valid (empty) export.
            self.stderr.write(f"No comments by {data['email']}.")

    def erase(self, email: str) -> None:
        count = erase_commenter(email)
        if count:
            self.stdout.write(f"Anonymised {count} comment(s) by {email.strip().lower()}.")
        else:
            self.stdout.write(f"No comments by {email.strip().lower()}; nothing to erase.")
