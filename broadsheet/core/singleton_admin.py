"""Admin for one-row settings models (site settings, discussion settings)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class SingletonAdmin(admin.ModelAdmin):
    """One row (pk 1), never added or deleted: the list view goes straight to it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:  # type: ignore[no-untyped-def]
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        self.model.objects.get_or_create(pk=1)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[1])
        )
