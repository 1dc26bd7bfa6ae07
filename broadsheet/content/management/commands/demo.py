"""``broadsheet demo load`` adds the demo articles; ``demo generate`` builds a large site."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Demo content: `demo load` adds The Military Army Blog's articles and pages."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("load", help="add the demo authors, categories, articles and pages")
        generate = actions.add_parser("generate", help="add many generated articles and comments")
        generate.add_argument("--articles", type=int, default=1000, help="how many (default 1000)")
        generate.add_argument(
            "--comments", type=int, default=10000, help="how many (default 10000)"
        )
        generate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        if action == "generate":
            self.generate(options["articles"], options["comments"], options["seed"])
            return
        from broadsheet.content.demo import load_demo_content

        self.stdout.write(f"Loaded demo content: {load_demo_content()}.")

    def generate(self, articles: int, comments: int, seed: int) -> None:
        import time

        from broadsheet.content.generate import generate_site
        from broadsheet.core.database import refresh_planner_statistics
        from broadsheet.search.indexing import rebuild_index

        if articles < 0 or comments < 0:
            raise CommandError("--articles and --comments must not be negative.")
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stderr.write(f"\r{message} ({time.monotonic() - started:.0f} s)", ending="")

        made = generate_site(articles, comments, seed=seed, progress=progress)
        self.stderr.write("\rindexing for search…", ending="")
        rebuild_index()  # bulk inserts skip the save hooks that keep the index current
        refresh_planner_statistics()
        self.stderr.write("")
        self.stdout.write(
            f"Generated {made.articles:,} articles and {made.comments:,} comments "
            f"in {time.monotonic() - started:.1f} s."
        )
