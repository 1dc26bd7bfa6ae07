"""``broadsheet articles``: list, publish and unpublish articles from the shell (like WP-CLI)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from broadsheet.content import services
from broadsheet.content.models import Article, Status
from broadsheet.core.text import one_line


class Command(BaseCommand):
    help = "List, publish and unpublish articles."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="one line per article: id, status, date, title")
        listing.add_argument("--status", choices=Status.values, help="only articles in this status")
        for name, text in (
            ("publish", "publish (or schedule) articles"),
            ("unpublish", "back to draft"),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("ids", nargs="+", type=int, metavar="ID")

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        if action == "list":
            self.list_articles(options.get("status"))
            return
        change = services.publish_article if action == "publish" else services.unpublish_article
        articles = Article.objects.in_bulk(options["ids"])
        missing = [str(pk) for pk in options["ids"] if pk not in articles]
        for article in articles.values():
            change(article)
            self.stdout.write(f"{article.pk}\t{article.status}\t{one_line(article.title)}")
        if missing:
            raise CommandError(f"No article with id {', '.join(missing)}.")

    def list_articles(self, status: str | None) -> None:
        articles = Article.objects.select_related("author").order_by("-published_at", "-pk")
        if status:
            articles = articles.filter(status=status)
        for article in articles.iterator():
            when = f"{article.published_at:%Y-%m-%d %H:%M}" if article.published_at else "-"
            author, title = one_line(article.author.display_name), one_line(article.title)
            self.stdout.write(f"{article.pk}\t{article.status}\t{when}\t{author}\t{title}")
