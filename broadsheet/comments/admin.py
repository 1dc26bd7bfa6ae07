"""The moderation queue: counts per state, filters, search, bulk decisions, approve-and-reply."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from broadsheet.comments import moderation
from broadsheet.comments.forms import TextField
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import bayes
from broadsheet.core.singleton_admin import SingletonAdmin
from broadsheet.core.text import strip_control_characters

Status = Comment.Status
ACTION_STATUSES = {"approve": Status.APPROVED, "spam": Status.SPAM, "trash": Status.TRASH,
                   "unapprove": Status.PENDING}  # fmt: skip


def status_counts() -> dict[str, int]:
    """How many comments are in each state: one query, for the queue's navigation."""
    rows = Comment.objects.values_list("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(Status.values, 0)
    counts.update(dict(rows))
    return counts


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "author_name",
        "excerpt",
        "article_link",
        "status",
        "spam_percent",
        "created_at",
        "reply_link",
    )
    list_filter = ("status", "created_at")
    search_fields = ("author_name", "author_email", "author_url", "body", "article__title")
    list_select_related = ("article",)
    list_per_page = 50
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},  # Django 6's default
        models.TextField: {"form_class": TextField},  # the body: no control characters
    }
    date_hierarchy = "created_at"
    actions = ("approve_selected", "unapprove_selected", "spam_selected", "trash_selected",
               "delete_for_good")  # fmt: skip
    readonly_fields = ("article", "parent", "created_at", "ip_address", "user_agent",
                       "spam_score", "moderation_reason", "user")  # fmt: skip
    fields = ("author_name", "author_email", "author_url", "body", "status", "notify_replies",
              *readonly_fields)  # fmt: skip

    @admin.display(description="Comment")
    def excerpt(self, comment: Comment) -> str:
        text = " ".join(comment.body.split())
        return text[:120] + ("…" if len(text) > 120 else "")

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, comment: Comment) -> str:
        return format_html(
            '<a href="{}">{}</a>', comment.article.get_absolute_url(), comment.article
        )

    @admin.display(description="Spam score", ordering="spam_score")
    def spam_percent(self, comment: Comment) -> str:
        return "—" if comment.spam_score is None else f"{comment.spam_score:.0%}"

    @admin.display(description="Reply")
    def reply_link(self, comment: Comment) -> str:
        """Approve-and-reply, for comments worth answering (not spam or trash)."""
        if comment.status not in {Status.PENDING, Status.APPROVED}:
            return "—"
        url = reverse("admin:comments_comment_reply", args=[comment.pk])
        return format_html('<a class="comment-reply" href="{}">Reply</a>', url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Comments come from readers; staff answer one with approve-and-reply. (The add form
        # could not work anyway: the article is read-only, so it would be saved without one.)
        return False

    def get_actions(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # ours withdraws the filter's training too
        return actions

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:  # type: ignore[no-untyped-def]
        counts = status_counts()
        base = reverse("admin:comments_comment_changelist")
        shown = request.GET.get("status__exact", "")
        tabs = [
            (label, f"{base}?status__exact={value}", counts[value], value == shown)
            for value, label in Status.choices
        ]
        everything = ("All", base, sum(counts.values()), not request.GET)
        context = {"status_tabs": [everything, *tabs]}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def _decide(self, request: HttpRequest, queryset, status: str, verb: str) -> None:  # type: ignore[no-untyped-def]
        changed = 0
        for comment in queryset.select_related("article", "parent"):
            moderation.set_status(comment, status)
            changed += 1
        self.message_user(request, f"{verb} {changed} comment(s).", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        self._decide(request, queryset, Status.APPROVED, "Approved")

    @admin.action(description="Unapprove (hold) selected comments", permissions=["change"])
    def unapprove_selected(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        self._decide(request, queryset, Status.PENDING, "Held")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def spam_selected(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        self._decide(request, queryset, Status.SPAM, "Marked as spam")

    @admin.action(description="Move selected comments to the trash", permissions=["change"])
    def trash_selected(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        self._decide(request, queryset, Status.TRASH, "Trashed")

    @admin.action(description="Delete selected comments for good", permissions=["delete"])
    def delete_for_good(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        count = 0
        for pk in list(queryset.values_list("pk", flat=True)):
            # Fetched one at a time: deleting a comment moves its replies up, so a reply loaded
            # before that would still name the deleted comment as its parent.
            comment = Comment.objects.filter(pk=pk).first()
            if comment is not None:
                moderation.delete_comment(comment)
                count += 1
        self.message_user(request, f"Deleted {count} comment(s).", messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        """Save the edits, then apply a new state through ``set_status`` as the actions do.

        The row is first saved in its *previous* state, because ``set_status`` compares with
        it to decide on the reply notification. A trained comment whose text or website
        changed is untrained before and retrained after, so the filter's counts stay exact.
        """
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = Comment.objects.get(pk=obj.pk)
        label = stored.trained_as if {"body", "author_url"} & set(form.changed_data) else ""
        if label:
            bayes.forget(stored)
            obj.trained_as = ""
        new_status = obj.status
        obj.status = stored.status
        super().save_model(request, obj, form, change)
        if label:
            bayes.learn(obj, label)
        if new_status != stored.status:
            moderation.set_status(obj, new_status)

    # --- one comment: moderate from an email link, approve-and-reply --------------------
    def get_urls(self):  # type: ignore[no-untyped-def]
        moderate = self.admin_site.admin_view(self.moderate_view)
        reply = self.admin_site.admin_view(self.reply_view)
        return [
            path("<int:comment_id>/moderate/", moderate, name="comments_comment_moderate"),
            path("<int:comment_id>/reply/", reply, name="comments_comment_reply"),
            *super().get_urls(),
        ]

    def moderate_view(self, request: HttpRequest, comment_id: int) -> HttpResponse:
        """GET (from a notification email) asks to confirm; POST decides."""
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
        action = request.POST.get("action") or request.GET.get("action", "approve")
        if not self.has_change_permission(request, comment):
            return HttpResponse("Not allowed.", status=403)
        if action not in ACTION_STATUSES:
            known = ", ".join(ACTION_STATUSES)
            return HttpResponseBadRequest(f"Unknown action; use one of {known}.")
        if request.method == "POST":
            moderation.set_status(comment, ACTION_STATUSES[action])
            self.message_user(request, f"Comment {comment.pk}: {comment.get_status_display()}.")
            return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{action.capitalize()} this comment?",
            "comment": comment,
            "action": action,
        }
        return TemplateResponse(request, "admin/comments/comment/moderate.html", context)

    def reply_view(self, request: HttpRequest, comment_id: int) -> HttpResponse:
        """Approve a comment and answer it as the signed-in editor, in one step."""
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
        if not self.has_change_permission(request, comment):
            return HttpResponse("Not allowed.", status=403)
        error = ""
        if request.method == "POST":
            text = strip_control_characters(request.POST.get("body", "")).strip()
            if not text:
                error = "Please type your reply."
            else:
                if comment.status != Status.APPROVED:
                    moderation.set_status(comment, Status.APPROVED)
                reply = moderation.staff_reply(comment, request.user, text)
                self.message_user(request, f"Approved and replied (comment {reply.pk}).")
                return HttpResponseRedirect(reverse("admin:comments_comment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Reply to {comment.author_name}",
            "comment": comment,
            "error": error,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(SingletonAdmin):
    """One row of settings, edited in place."""
