"""Loads the demo site, "The Military Army Blog", from ``demo_data`` (idempotent by slug)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from broadsheet.content.demo_data import DEMO_ARTICLES, DEMO_AUTHORS, DEMO_CATEGORIES, DEMO_PAGES
from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Status, Tag
from broadsheet.content.roles import AUTHOR


@transaction.atomic
def load_demo_content() -> str:
    """Create the demo authors, terms, articles and pages that do not exist yet."""
    site, _ = SiteSettings.objects.get_or_create(pk=1)
    site.title = "The Military Army Blog"
    site.tagline = "Defence, diplomacy and security, reported plainly."
    site.save()

    authors = {}
    author_group, _ = Group.objects.get_or_create(name=AUTHOR)
    for data in DEMO_AUTHORS:
        # Demo writers get accounts without a usable password: only an admin can enable them.
        user, created = get_user_model().objects.get_or_create(
            username=data["username"], defaults={"is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(author_group)
        authors[data["slug"]], _ = Author.objects.get_or_create(
            slug=data["slug"],
            defaults={"display_name": data["display_name"], "bio": data["bio"], "user": user},
        )

    categories: dict[str, Category] = {}
    for data in DEMO_CATEGORIES:
        parent = categories.get(data["parent"]) if data["parent"] else None
        categories[data["slug"]], _ = Category.objects.get_or_create(
            slug=data["slug"],
            parent=parent,
            defaults={"name": data["name"], "description": data["description"]},
        )

    now = timezone.now().replace(second=0, microsecond=0)
    created_articles = 0
    for data in DEMO_ARTICLES:
        if Article.objects.filter(title=data["title"]).exists():
            continue
        published_at = now - dt.timedelta(days=data["days_ago"], hours=len(data["title"]) % 9)
        article = Article.objects.create(
            title=data["title"],
            body=data["body"],
            excerpt=data["excerpt"],
            author=authors[data["author"]],
            status=Status.PUBLISHED,
            published_at=published_at,
            sticky=data["sticky"],
        )
        article.categories.set([categories[slug] for slug in data["categories"]])
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": ""})[0] for name in data["tags"]
        ]
        article.tags.set(tags)
        created_articles += 1

    pages: dict[str, Page] = {}
    for data in DEMO_PAGES:
        parent = pages.get(data["parent"]) if data["parent"] else None
        pages[data["slug"]], _ = Page.objects.get_or_create(
            slug=data["slug"],
            parent=parent,
            defaults={
                "title": data["title"],
                "body": data["body"],
                "menu_order": data["menu_order"],
                "status": Status.PUBLISHED,
                "show_in_menu": parent is None,
            },
        )
    return f"{created_articles} articles, {len(pages)} pages, {len(authors)} authors"
