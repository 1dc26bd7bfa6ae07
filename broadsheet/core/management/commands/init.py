"""``broadsheet init``: everything a new site needs, safe to run on every start."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from broadsheet.core.database import refresh_planner_statistics
from broadsheet.core.management.commands.createadmin import create_administrator


class Command(BaseCommand):
    help = (
        "Migrate, load demo content into an empty site, create the first admin, "
        "collect static files."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--no-demo", action="store_true", help="start with an empty site")

    def handle(self, *args, no_demo: bool, **options) -> None:  # type: ignore[no-untyped-def]
        from broadsheet.content.demo import load_demo_content
        from broadsheet.content.models import Article, SiteSettings

        call_command("migrate", interactive=False, verbosity=0)
        _, created_settings = SiteSettings.objects.get_or_create(pk=1)
        if created_settings and not no_demo and not Article.objects.exists():
            summary = load_demo_content()
            self.stdout.write(f"Loaded demo content: {summary}.")
        if not get_user_model().objects.filter(is_superuser=True).exists():
            _, password = create_administrator("admin")
            self.stdout.write(
                "\nAn administrator account was created. Its password is shown this once:\n"
                f"  username: admin\n  password: {password}\n"
                "Sign in at /admin/ and change it there.\n"
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        refresh_planner_statistics()
        self.stdout.write("The site is ready.")
