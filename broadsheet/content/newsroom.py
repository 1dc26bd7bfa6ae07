"""The admin site as a newsroom: the index opens on the state of the desk, not a model list."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Count
from django.http import HttpRequest, HttpResponse


def desk_summary(request: HttpRequest) -> dict[str, object]:
    """Article counts per status (one query) and the signed-in person's latest drafts."""
    from broadsheet.content import roles
    from broadsheet.content.models import Article, Status

    articles = Article.objects.all()
    if not roles.can_edit_others(request.user):
        articles = articles.filter(author__user=request.user)
    counts = dict(articles.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "desk_counts": [(label, value, counts.get(value, 0)) for value, label in Status.choices],
        "my_drafts": articles.filter(
            author__user=request.user, status__in=[Status.DRAFT, Status.PENDING]
        ).order_by("-updated_at")[:5],
    }


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Broadsheet newsroom"
    site_title = "Broadsheet"
    index_title = "Newsroom"
    index_template = "admin/broadsheet_index.html"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """The comment queue's pending count stands in the navigation, as in WordPress."""
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for model in app["models"]:
                if model["object_name"] == "Comment":
                    from broadsheet.comments.models import Comment

                    pending = Comment.objects.filter(status=Comment.Status.PENDING).count()
                    model["name"] = f"Comments ({pending} pending)"
        return apps

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        context = {**desk_summary(request), **(extra_context or {})}
        return super().index(request, extra_context=context)


class NewsroomAdminConfig(AdminConfig):
    default_site = "broadsheet.content.newsroom.NewsroomAdminSite"
