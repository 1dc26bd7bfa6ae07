"""``broadsheet comments``: list and moderate comments from the shell (like WP-CLI), and purge
old IP addresses.

Output is one tab-separated line per comment, id first, so it pipes into ``cut`` and ``xargs``.
Moderation goes through ``moderation`` exactly as the admin does, so the learning filter is
trained (approve, spam) and reply notifications are sent (approve).
"""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError

from broadsheet.comments import moderation
from broadsheet.comments.discussion import discussion_settings
from broadsheet.comments.models import Comment
from broadsheet.comments.privacy import purge_ip_addresses
from broadsheet.content.models import Article
from broadsheet.core.text import one_line

Status = Comment.Status
EXCERPT_LENGTH = 60
DECISIONS = {
    "approve": (Status.APPROVED, "publish comments (teaches the filter: good)"),
    "unapprove": (Status.PENDING, "hold comments for moderation again"),
    "spam": (Status.SPAM, "mark comments as spam (teaches the filter: spam)"),
    "trash": (Status.TRASH, "move comments to the trash"),
}


def positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def days(text: str) -> int:
    number = int(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def comment_line(comment: Comment, state: str) -> str:
    return "\t".join(
        [
            str(comment.pk),
            state,
            one_line(comment.author_name),
            one_line(comment.article.title),
            one_line(comment.body, EXCERPT_LENGTH),
        ]
    )


class Command(BaseCommand):
    help = "List and moderate comments; forget old IP addresses."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser(
            "list", help="one line per comment, newest first: id, state, author, article, excerpt"
        )
        listing.add_argument("--status", choices=Status.values, help="only comments in this state")
        listing.add_argument("--article", type=int, metavar="ID", help="only this article's")
        listing.add_argument("--limit", type=positive_int, metavar="N", help="at most N lines")
        for name, (_, text) in DECISIONS.items():
            action = actions.add_parser(name, help=text)
            action.add_argument("ids", nargs="+", type=int, metavar="ID")
        delete = actions.add_parser("delete", help="delete for good (replies move up a level)")
        delete.add_argument("ids", nargs="+", type=int, metavar="ID")
        purge = actions.add_parser("purge-ips", help="blank IP addresses older than N days")
        purge.add_argument(
            "--days", type=days, metavar="N", help="default: the discussion settings' keep_ip_days"
        )

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        if action == "list":
            self.list_comments(options["status"], options["article"], options["limit"])
        elif action == "purge-ips":
            self.purge_ips(options["days"])
        else:
            self.moderate(action, options["ids"])

    def list_comments(self, status: str | None, article_id: int | None, limit: int | None) -> None:
        comments = Comment.objects.select_related("article").order_by("-created_at", "-pk")
        if status:
            comments = comments.filter(status=status)
        if article_id is not None:
            if not Article.objects.filter(pk=article_id).exists():
                raise CommandError(f"No article with id {article_id}.")
            comments = comments.filter(article_id=article_id)
        if limit:
            comments = comments[:limit]
        for comment in comments.iterator():
            self.stdout.write(comment_line(comment, comment.status))

    def moderate(self, action: str, ids: list[int]) -> None:
        """Decide each known comment in the order given, then name the unknown ones."""
        wanted = list(dict.fromkeys(ids))
        known = set(Comment.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        for pk in wanted:
            # Fetched one at a time: deleting one comment moves its replies, so a copy loaded
            # before that would hold a parent that no longer exists.
            comment = Comment.objects.select_related("article").filter(pk=pk).first()
            if comment is None:
                continue
            if action == "delete":
                line = comment_line(comment, "deleted")  # before delete() clears the id
                moderation.delete_comment(comment)
                self.stdout.write(line)
            else:
                moderation.set_status(comment, DECISIONS[action][0])
                self.stdout.write(comment_line(comment, comment.status))
        missing = [str(pk) for pk in wanted if pk not in known]
        if missing:
            raise CommandError(f"No comment with id {', '.join(missing)}.")

    def purge_ips(self, older_than_days: int | None) -> None:
        if older_than_days is None:
            older_than_days = discussion_settings().keep_ip_days
        count = purge_ip_addresses(older_than_days)
        self.stdout.write(
            f"Blanked the IP address of {count} comment(s) older than {older_than_days} day(s)."
        )
