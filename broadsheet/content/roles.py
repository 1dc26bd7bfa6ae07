"""WordPress's four editorial roles, as Django groups plus the rules groups cannot express.

Groups carry the model permissions (what the admin shows); the functions below carry the
ownership rules (whose article, which status) that the admin and the CLI both enforce.
"""

from __future__ import annotations

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

from broadsheet.content.models import Article, Status

ADMINISTRATOR = "Administrator"
EDITOR = "Editor"
AUTHOR = "Author"
CONTRIBUTOR = "Contributor"
ROLES = (ADMINISTRATOR, EDITOR, AUTHOR, CONTRIBUTOR)

_ALL = ("add", "change", "delete", "view")
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    ADMINISTRATOR: {
        "content.article": _ALL, "content.page": _ALL, "content.category": _ALL,
        "content.tag": _ALL, "content.author": _ALL, "content.articlerevision": ("view",),
        "content.sitesettings": ("change", "view"), "auth.user": _ALL, "auth.group": ("view",),
        "comments.comment": _ALL, "comments.discussionsettings": ("change", "view"),
    },
    EDITOR: {
        "content.article": _ALL, "content.page": _ALL, "content.category": _ALL,
        "content.tag": _ALL, "content.author": ("view", "change"),
        "content.articlerevision": ("view",), "comments.comment": _ALL,
    },
    AUTHOR: {
        "content.article": _ALL, "content.category": ("view",), "content.tag": ("add", "view"),
        "content.articlerevision": ("view",),
    },
    CONTRIBUTOR: {
        "content.article": ("add", "change", "view"), "content.category": ("view",),
        "content.tag": ("view",), "content.articlerevision": ("view",),
    },
}  # fmt: skip

# What a contributor may leave an article in: they write, editors publish.
CONTRIBUTOR_STATUSES = (Status.DRAFT, Status.PENDING)


def ensure_role_groups(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """post_migrate: create the role groups and (re)grant exactly their permissions.

    Django creates each app's permissions in that app's own post_migrate, and ours runs
    before those of ``auth`` (and, on a fresh database, before our own app's). So the
    permissions are created here first; ``create_permissions`` skips those that exist.
    """
    granting_apps = {
        label.split(".")[0] for grants in ROLE_PERMISSIONS.values() for label in grants
    }
    for app_label in sorted(granting_apps):
        create_permissions(installed_apps.get_app_config(app_label), verbosity=0, using=using)
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for model_label, actions in grants.items():
            app_label, model = model_label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


def role_of(user) -> str | None:  # type: ignore[no-untyped-def]
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    cached = getattr(user, "_broadsheet_role", False)
    if cached is not False:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = next((name for name in ROLES if name in names), None)
    user._broadsheet_role = role
    return role


def can_edit_others(user) -> bool:  # type: ignore[no-untyped-def]
    return role_of(user) in {ADMINISTRATOR, EDITOR}


def can_publish(user) -> bool:  # type: ignore[no-untyped-def]
    return role_of(user) in {ADMINISTRATOR, EDITOR, AUTHOR}


def can_edit_article(user, article: Article) -> bool:  # type: ignore[no-untyped-def]
    """Editors edit everything; authors their own; contributors their own unpublished drafts."""
    role = role_of(user)
    if role is None:
        return False
    if can_edit_others(user):
        return True
    if article.author.user_id != user.pk:
        return False
    if role == CONTRIBUTOR:
        return article.status in CONTRIBUTOR_STATUSES
    return True


def allowed_statuses(user) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    if can_publish(user):
        return tuple(Status.values)
    return CONTRIBUTOR_STATUSES
