"""The content model. ``save()`` only normalises its own row (slug, path, rendered HTML);
workflows such as publishing and restoring revisions live in ``services.py``."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.core.links import link
from broadsheet.core.markup import markup_problem, render_markdown, sanitize_html, summarize
from broadsheet.core.urls import safe_http_url


def make_slug(text: str, fallback: str = "untitled") -> str:
    """A URL slug that keeps non-Latin letters, so a Cyrillic headline keeps a readable URL."""
    return slugify(text, allow_unicode=True)[:180].strip("-") or fallback


class SiteSettings(models.Model):
    """One row of site-wide settings that editors change in the admin, not in the environment."""

    class HomeShows(models.TextChoices):
        EXCERPT = "excerpt", "Excerpt"
        FULL = "full", "Full text"

    class Permalink(models.TextChoices):
        DAY_AND_NAME = "day-and-name", "Day and name — /2026/11/27/sample-article/"
        MONTH_AND_NAME = "month-and-name", "Month and name — /2026/11/sample-article/"
        NUMERIC = "numeric", "Numeric — /archives/123/"
        POST_NAME = "post-name", "Post name — /sample-article/"

    title = models.CharField(max_length=200, default="The Military Army Blog")
    tagline = models.CharField(
        max_length=300, blank=True, default="Defence, diplomacy and security, reported plainly."
    )
    posts_per_page = models.PositiveSmallIntegerField(default=10)
    home_shows = models.CharField(
        max_length=10, choices=HomeShows.choices, default=HomeShows.EXCERPT
    )
    permalink_style = models.CharField(
        max_length=20, choices=Permalink.choices, default=Permalink.DAY_AND_NAME
    )
    noindex_paginated_archives = models.BooleanField(
        default=True,
        help_text="Ask search engines not to index page 2 and beyond of lists and archives.",
    )
    robots_txt = models.TextField(
        blank=True,
        help_text="Extra lines for /robots.txt (for example “Disallow: /tag/”).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # a singleton: there is exactly one row of settings
        self.posts_per_page = max(1, min(self.posts_per_page, 100))
        super().save(*args, **kwargs)


class AuthorManager(models.Manager):
    def for_user(self, user) -> Author:  # type: ignore[no-untyped-def]
        """The user's byline, created from their name on first use."""
        author = self.filter(user=user).first()
        if author is None:
            name = user.get_full_name() or user.get_username()
            slug, number = make_slug(name, "author"), 2
            while self.filter(slug=slug).exists():
                slug, number = f"{make_slug(name, 'author')}-{number}", number + 1
            author = self.create(user=user, display_name=name, slug=slug)
        return author


class Author(models.Model):
    """A byline. Linked to a login when the person writes here; imported authors may have none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )
    display_name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True)

    objects = AuthorManager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or make_slug(self.display_name, "author")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("content:author", slug=self.slug)


class Category(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, allow_unicode=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or make_slug(self.name, "category")
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("content:category", path=self.path)


class Tag(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or make_slug(self.name, "tag")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("content:tag", slug=self.slug)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING = "pending", "Pending review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    PRIVATE = "private", "Private"


class Format(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"


def body_problems(source: str, body_format: str) -> dict[str, str]:
    """The body's problem for its writer, keyed by field, when it would not render as
    written (``core.markup.markup_problem``); the admin shows it on the form."""
    problem = markup_problem(source, body_format)
    return {"body": problem} if problem else {}


def render_body(source: str, body_format: str) -> str:
    if body_format == Format.HTML:
        return sanitize_html(source)
    return render_markdown(source)


class ArticleQuerySet(models.QuerySet):
    def published(self, before: dt.datetime | None = None) -> ArticleQuerySet:
        """Visible to everyone now. A scheduled article becomes visible when its time comes,
        with no job to flip its status.

        ``before`` keeps only those published earlier than that moment, as one upper bound:
        given "up to now" and "before then" as two, SQLite walked the newest-first index down
        from now (7 ms for the article before one in the middle of 100,000) instead of from
        then (0.04 ms)."""
        now = timezone.now()
        if before is not None and before <= now:
            until = Q(published_at__lt=before)
        else:
            until = Q(published_at__lte=now)
        return self.filter(Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED), until)

    def visible_to(self, user, before: dt.datetime | None = None) -> ArticleQuerySet:  # type: ignore[no-untyped-def]
        """Published articles, plus private ones for signed-in staff."""
        if getattr(user, "is_staff", False):
            return self.filter(
                Q(pk__in=self.published(before).values("pk"))
                | Q(status=Status.PRIVATE, published_at__isnull=False)
            )
        return self.published(before)

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True)
    body_format = models.CharField(max_length=10, choices=Format.choices, default=Format.MARKDOWN)
    body = models.TextField(
        "body", blank=True, help_text="Markdown, or HTML if the format says so."
    )
    body_html = models.TextField(editable=False, blank=True)
    excerpt = models.TextField(blank=True, help_text="Leave empty to use the opening words.")
    featured_image = models.CharField(
        max_length=500,
        blank=True,
        help_text="Address of the image shown in link previews (https://… or /media/…).",
    )
    featured_image_alt = models.CharField(max_length=300, blank=True)
    summary = models.TextField(editable=False, blank=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it goes live. A future time schedules it."
    )
    published_on = models.DateField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    sticky = models.BooleanField(default=False, help_text="Keep at the top of the home page.")
    comments_open = models.BooleanField(default=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["published_on", "slug"], name="article_slug_unique_per_day"
            )
        ]
        indexes = [
            # Not (status, published_at): planners chose it for "the article before this one"
            # and sorted half the archive (7 ms at 100,000 articles) instead of stepping once
            # down the newest-first index. Only the next scheduled article needs the status.
            models.Index(
                fields=["published_at"],
                condition=Q(status=Status.SCHEDULED),
                name="article_scheduled",
            ),
            # Lists walk these backwards instead of sorting every article (home, archives, feeds);
            # with the status in them, a deep page steps over index entries, not rows.
            models.Index(fields=["-published_at", "-id", "status"], name="article_newest_v2"),
            models.Index(
                fields=["-sticky", "-published_at", "-id", "status"], name="article_home_order_v2"
            ),
            # The home page's own walk (content/home_positions.py): only what may be live,
            # so a deep page steps over smaller entries and checks no status on each.
            models.Index(
                fields=["-sticky", "-published_at", "-id"],
                condition=Q(status__in=[Status.PUBLISHED, Status.SCHEDULED]),
                name="article_home_live",
            ),
            models.Index(
                fields=["author", "-published_at", "-id", "status"], name="article_by_author"
            ),
            models.Index(fields=["-updated_at"], name="article_recently_updated"),  # sitemaps
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if (
            self.status in {Status.PUBLISHED, Status.SCHEDULED, Status.PRIVATE}
            and not self.published_at
        ):
            self.published_at = timezone.now()
        if self.published_at:
            self.published_at = self.published_at.replace(microsecond=0)  # as WordPress keeps it
        if (
            self.status == Status.PUBLISHED
            and self.published_at
            and self.published_at > timezone.now()
        ):
            self.status = Status.SCHEDULED
        self.published_on = timezone.localdate(self.published_at) if self.published_at else None
        self.slug = self._free_slug(self.slug or make_slug(self.title))
        self.featured_image = safe_http_url(self.featured_image, relative=True)
        self.body_html = render_body(self.body, self.body_format)
        self.summary = summarize(render_markdown(self.excerpt) if self.excerpt else self.body_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from broadsheet.content.permalinks import article_url

        return article_url(self)

    def clean(self) -> None:
        problems = body_problems(self.body, self.body_format)
        if self.featured_image and not safe_http_url(self.featured_image, relative=True):
            problems["featured_image"] = "Give a web address (https://…) or a path on this site."
        if problems:
            raise ValidationError(problems)

    @cached_property
    def category_list(self) -> list[Category]:
        """The categories: as ``content.reads`` assigned them for a whole page in one query,
        else read on first use (from a ``prefetch_related`` when there was one)."""
        return list(self.categories.all())

    @cached_property
    def tag_list(self) -> list[Tag]:
        return list(self.tags.all())

    @property
    def is_live(self) -> bool:
        return (
            self.status in {Status.PUBLISHED, Status.SCHEDULED}
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def _free_slug(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``… when another article already has it on the same day."""
        if self.published_on is None:
            return wanted
        taken = set(
            Article.objects.filter(published_on=self.published_on, slug__startswith=wanted)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        candidate, number = wanted, 2
        while candidate in taken:
            candidate, number = f"{wanted}-{number}", number + 1
        return candidate


class ArticleListVersion(models.Model):
    """One row whose number the database itself sets anew, at random (triggers, migration
    0007), whenever an article is added or removed or its status, publication time or
    stickiness changes: so it changes with every change to which articles the lists show,
    whoever writes (the ORM, a bulk update, the importer, SQL typed by hand), and never comes
    back to a number a rolled-back transaction had set. ``content/home_positions.py`` keeps
    where deep home pages start, and how many articles are live, while it stays the same."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"article list version {self.version}"


class ArticleRevision(models.Model):
    """A snapshot taken on every save, so an editor can see and restore earlier wording."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=300)
    body_format = models.CharField(max_length=10, choices=Format.choices)
    body = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.saved_at:%Y-%m-%d %H:%M})"


class PageQuerySet(models.QuerySet):
    def published(self) -> PageQuerySet:
        return self.filter(status=Status.PUBLISHED)


# First path segments that belong to other routes; a page there would never be reached.
RESERVED_PAGE_SLUGS = {"admin", "archives", "author", "category", "comments", "feed", "media",
                       "page", "search", "sitemap.xml", "robots.txt", "static", "tag", "wp-admin",
                       "wp-content", "wp-login.php"}  # fmt: skip


class Page(models.Model):
    """A standing page such as About; pages nest (``/about/team/``)."""

    PAGE_STATUSES = [
        (Status.DRAFT, "Draft"),
        (Status.PUBLISHED, "Published"),
        (Status.PRIVATE, "Private"),
    ]
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=600, unique=True, editable=False)
    body_format = models.CharField(max_length=10, choices=Format.choices, default=Format.MARKDOWN)
    body = models.TextField(blank=True)
    body_html = models.TextField(editable=False, blank=True)
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=PAGE_STATUSES, default=Status.DRAFT)
    menu_order = models.IntegerField(default=0)
    show_in_menu = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or make_slug(self.title, "page")
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        self.body_html = render_body(self.body, self.body_format)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("content:page", path=self.path)

    def clean(self) -> None:
        problems = body_problems(self.body, self.body_format)
        slug = self.slug or make_slug(self.title, "page")
        if self.parent is None and (slug in RESERVED_PAGE_SLUGS or slug.isdigit()):
            problems["slug"] = f"“{slug}” is taken by the site's own addresses."
        if problems:
            raise ValidationError(problems)
