"""The admin's "Two-factor sign-in" page: add an authenticator app or a passkey, get backup
codes, remove a device. Every view runs inside ``admin.site.admin_view`` (staff only)."""

from __future__ import annotations

import django_otp
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from broadsheet.accounts import backup_codes, devices, totp
from broadsheet.accounts.forms import CodeForm


def _context(request: HttpRequest, title: str, **extra: object) -> dict[str, object]:
    return {**admin.site.each_context(request), "title": title, "subtitle": None, **extra}


def two_factor(request: HttpRequest) -> HttpResponse:
    """The person's devices and the ways to add one."""
    user = request.user
    context = _context(
        request,
        "Two-factor sign-in",
        devices=devices.listed_devices(user),
        backup_codes_left=backup_codes.remaining_backup_codes(user),
        can_have_backup_codes=devices.has_primary_device(user),
    )
    return TemplateResponse(request, "admin/accounts/two_factor.html", context)


def add_authenticator(request: HttpRequest) -> HttpResponse:
    """Show the new app's QR code; a correct code from the app confirms it."""
    device = totp.unconfirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.confirm(device, form.cleaned_data["code"]):
            if not request.user.is_verified():
                django_otp.login(request, device)
            messages.success(request, "The authenticator app is set up.")
            return HttpResponseRedirect(reverse("accounts:two-factor"))
        form.add_error("code", "That code is not right. Check the app's clock and try again.")
    context = _context(
        request,
        "Add an authenticator app",
        form=form,
        qr_code=totp.qr_code_data_uri(device),
        manual_key=totp.manual_key(device),
    )
    return TemplateResponse(request, "admin/accounts/add_authenticator.html", context)


@require_POST
def new_backup_codes(request: HttpRequest) -> HttpResponse:
    """Fresh backup codes, shown once; the old ones stop working."""
    if not devices.has_primary_device(request.user):
        messages.error(request, "Add an authenticator app or a passkey first.")
        return HttpResponseRedirect(reverse("accounts:two-factor"))
    codes = backup_codes.new_backup_codes(request.user)
    context = _context(request, "Backup codes", codes=codes)
    return TemplateResponse(request, "admin/accounts/backup_codes.html", context)


@require_POST
def remove_device(request: HttpRequest) -> HttpResponse:
    if devices.remove_device(request.user, request.POST.get("device", "")):
        messages.success(request, "The device was removed.")
    else:
        messages.error(request, "That device is not one of yours.")
    return HttpResponseRedirect(reverse("accounts:two-factor"))
