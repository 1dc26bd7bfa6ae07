"""The newsroom: Django's admin shaped around writing, scheduling and the four roles."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from broadsheet.content import roles, services
from broadsheet.content.models import (
    Article,
    ArticleRevision,
    Author,
    Category,
    Page,
    SiteSettings,
    Status,
    Tag,
)
from broadsheet.core.singleton_admin import SingletonAdmin


class OwnWorkAdmin(admin.ModelAdmin):
    """Articles and what hangs off them: editors see everyone's, other roles only their own."""

    owner_lookup = "author__user"  # from the model to the user who owns the row

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        rows = super().get_queryset(request)
        if roles.can_edit_others(request.user):
            return rows
        return rows.filter(**{self.owner_lookup: request.user})

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):  # type: ignore[no-untyped-def]
        """Someone else's row is a 404 for those who may only see their own: Django's default,
        a redirect saying it "perhaps was deleted", would be untrue."""
        found = super().get_object(request, object_id, from_field)
        if found is None and not roles.can_edit_others(request.user):
            raise Http404(f"No such {self.opts.verbose_name} among yours.")
        return found


@admin.register(Article)
class ArticleAdmin(OwnWorkAdmin):
    list_display = ("title", "status_label", "author", "published_at", "comment_counts", "sticky")
    list_filter = ("status", "categories", "author", "sticky")
    search_fields = ("title", "body", "excerpt")
    date_hierarchy = "published_at"
    filter_horizontal = ("categories", "tags")
    readonly_fields = ("rendered_preview", "revision_history")
    actions = ("publish_selected", "unpublish_selected", "open_comments", "close_comments")
    list_select_related = ("author",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "body_format", "body", "excerpt")}),
        ("Publishing", {"fields": ("status", "published_at", "author", "sticky", "comments_open")}),
        ("Filed under", {"fields": ("categories", "tags")}),
        ("Link preview", {"fields": ("featured_image", "featured_image_alt")}),
        ("Preview and history", {"fields": ("rendered_preview", "revision_history")}),
    )

    def get_list_filter(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        """Those who see only their own articles have no use for a list of every author."""
        if roles.can_edit_others(request.user):
            return self.list_filter
        return tuple(name for name in self.list_filter if name != "author")

    @admin.display(description="Status", ordering="status")
    def status_label(self, article: Article) -> str:
        if article.status == Status.SCHEDULED and article.is_live:
            return "Published (was scheduled)"
        return article.get_status_display()

    @admin.display(description="Rendered article (as last saved)")
    def rendered_preview(self, article: Article) -> str:
        if not article.pk:
            return "Save the article to see it rendered here."
        # body_html was produced by the shared sanitizer on save.
        return format_html(
            '<div class="broadsheet-preview">{}</div><p><a href="{}">Open the preview page</a></p>',
            mark_safe(article.body_html),  # sanitized on save
            article.get_absolute_url(),
        )

    @admin.display(description="Revisions")
    def revision_history(self, article: Article) -> str:
        if not article.pk:
            return "—"
        rows = [
            format_html(
                '<li><a href="{}">{}</a> by {}</li>',
                reverse("admin:content_article_revision", args=[article.pk, revision.pk]),
                timezone.localtime(revision.saved_at).strftime("%Y-%m-%d %H:%M:%S"),
                revision.saved_by or "system",
            )
            for revision in article.revisions.select_related("saved_by")[:25]
        ]
        return mark_safe("<ul>" + "".join(rows) + "</ul>")  # parts escaped above

    # --- roles -------------------------------------------------------------------------
    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_edit_article(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_edit_article(request.user, obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Article | None = None):  # type: ignore[no-untyped-def]
        fields = list(super().get_readonly_fields(request, obj))
        if not roles.can_edit_others(request.user):
            fields.append("author")
        if not roles.can_publish(request.user):
            fields += ["sticky", "published_at"]
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "status":
            allowed = roles.allowed_statuses(request.user)
            kwargs["choices"] = [c for c in Status.choices if c[0] in allowed]
            # Shown next to the field when a contributor's POST asks for another status.
            labels = " or ".join(str(label) for _, label in kwargs["choices"])
            kwargs["error_messages"] = {
                "invalid_choice": "Your role cannot give an article the status “%(value)s”. "
                f"Choose {labels}."
            }
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        from broadsheet.comments.models import Comment

        approved, pending = Comment.Status.APPROVED, Comment.Status.PENDING
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_comments=Count("comments", filter=Q(comments__status=approved)),
                pending_comments=Count("comments", filter=Q(comments__status=pending)),
            )
        )

    @admin.display(description="Comments", ordering="approved_comments")
    def comment_counts(self, article: Article) -> str:
        if not article.comments_open and not article.approved_comments:
            return "closed"
        label = str(article.approved_comments)
        if article.pending_comments:
            label += f" ({article.pending_comments} pending)"
        if not article.comments_open:
            label += ", closed"
        url = reverse("admin:comments_comment_changelist") + f"?article__id__exact={article.pk}"
        return format_html('<a href="{}">{}</a>', url, label)

    def get_actions(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        actions = super().get_actions(request)
        if not roles.can_publish(request.user):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        if not roles.can_edit_others(request.user):
            obj.author = Author.objects.for_user(request.user)
        if obj.status not in roles.allowed_statuses(request.user):
            # The form's status choices already refuse this; a backstop for other paths.
            raise PermissionDenied("Your role cannot give an article that status.")
        obj.saved_by = request.user
        super().save_model(request, obj, form, change)

    # --- bulk actions ------------------------------------------------------------------
    @admin.action(description="Publish selected articles")
    def publish_selected(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        for article in queryset:
            article.saved_by = request.user
            services.publish_article(article)
        self.message_user(request, f"Published {queryset.count()} article(s).", messages.SUCCESS)

    @admin.action(description="Move selected articles back to draft")
    def unpublish_selected(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        for article in queryset:
            article.saved_by = request.user
            services.unpublish_article(article)
        self.message_user(request, f"Unpublished {queryset.count()} article(s).", messages.SUCCESS)

    @admin.action(description="Open comments on selected articles")
    def open_comments(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        changed = services.set_comments_open(queryset, True)
        self.message_user(request, f"Opened comments on {changed} article(s).", messages.SUCCESS)

    @admin.action(description="Close comments on selected articles")
    def close_comments(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        changed = services.set_comments_open(queryset, False)
        self.message_user(request, f"Closed comments on {changed} article(s).", messages.SUCCESS)

    # --- revisions ---------------------------------------------------------------------
    def get_urls(self):  # type: ignore[no-untyped-def]
        view = self.admin_site.admin_view(self.revision_view)
        return [
            path(
                "<int:article_id>/revisions/<int:revision_id>/",
                view,
                name="content_article_revision",
            ),
            *super().get_urls(),
        ]

    def revision_view(
        self, request: HttpRequest, article_id: int, revision_id: int
    ) -> HttpResponse:
        """Show one revision; POST restores it (a new revision records the restore)."""
        article = get_object_or_404(self.get_queryset(request), pk=article_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, pk=revision_id)
        can_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            services.restore_revision(revision, request.user)
            self.message_user(request, "The revision was restored.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:content_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revision of “{article.title}”",
            "article": article,
            "revision": revision,
            "can_restore": can_restore,
        }
        return TemplateResponse(request, "admin/content/article/revision.html", context)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(OwnWorkAdmin):
    list_display = ("title", "article", "saved_at", "saved_by")
    list_select_related = ("article", "saved_by")
    search_fields = ("title",)
    owner_lookup = "article__author__user"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "path", "status", "menu_order", "show_in_menu", "updated_at")
    list_filter = ("status", "show_in_menu")
    search_fields = ("title", "body")
    fields = (
        "title",
        "slug",
        "parent",
        "body_format",
        "body",
        "status",
        "menu_order",
        "show_in_menu",
        "author",
    )

    def save_model(self, request: HttpRequest, obj: Page, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        services.refresh_descendant_paths(obj)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "path")
    search_fields = ("name", "slug")
    fields = ("name", "slug", "parent", "description")

    def save_model(self, request: HttpRequest, obj: Category, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        services.refresh_descendant_paths(obj)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("display_name", "slug", "user")
    search_fields = ("display_name", "slug")


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonAdmin):
    """One row of settings, edited in place."""
