"""``broadsheet createadmin``: an administrator with a generated password, printed once."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


def create_administrator(username: str, email: str = "") -> tuple[object, str]:
    """Create a superuser in the Administrator role; return it with its one-time password."""
    from broadsheet.content.models import Author
    from broadsheet.content.roles import ADMINISTRATOR

    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise CommandError(f"A user called {username!r} already exists.")
    password = secrets.token_urlsafe(12)
    user = user_model.objects.create_superuser(username=username, email=email, password=password)
    group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    user.groups.add(group)
    Author.objects.for_user(user)
    return user, password


class Command(BaseCommand):
    help = "Create an administrator account and print its password once."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("username", nargs="?", default="admin")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options) -> None:  # type: ignore[no-untyped-def]
        _, password = create_administrator(username, email)
        self.stdout.write(
            f"Administrator created.\n  username: {username}\n  password: {password}\n"
            "This password is shown once. Sign in at /admin/ and change it there."
        )
