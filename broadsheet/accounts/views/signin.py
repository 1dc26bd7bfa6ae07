"""The admin's sign-in: the password step (limited per account and per IP), then the second
step for staff with a device (an app's code, a backup code or a passkey)."""

from __future__ import annotations

import logging

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from broadsheet.accounts import signin, throttle
from broadsheet.accounts.forms import CodeForm, PasswordStepForm
from broadsheet.core.clients import client_ip

logger = logging.getLogger("broadsheet.security")


def safe_next(request: HttpRequest, candidate: str) -> str:
    """``candidate`` when it is an address on this site, else the admin's index."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _blocked_minutes(username: str, ip: str | None) -> int:
    minutes = throttle.minutes_blocked(username, ip)
    if minutes:
        logger.warning(
            "Refused staff sign-in for account %r from %s: too many failures", username, ip
        )
    return minutes


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """Django's admin login page; answers 429 while the account or the address is blocked."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if request.method == "GET" and admin.site.has_permission(request):
        return HttpResponseRedirect(safe_next(request, next_url))
    blocked = 0
    if request.method == "POST":
        username, ip = request.POST.get("username", ""), client_ip(request)
        blocked = _blocked_minutes(username, ip)
        refusal = throttle.refusal_message(blocked) if blocked else ""
        form = PasswordStepForm(request, data=request.POST, refusal=refusal)
        if form.is_valid():
            user = form.get_user()
            throttle.clear_account(username)
            if signin.has_second_factor(user):
                signin.begin(request, user, safe_next(request, next_url))
                return HttpResponseRedirect(reverse("accounts:verify"))
            signin.complete(request, user, None)
            return HttpResponseRedirect(safe_next(request, next_url))
        if not blocked and form.failed_credentials():
            throttle.record_failure(username, ip, "password")
    else:
        form = PasswordStepForm(request)
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": form,
        REDIRECT_FIELD_NAME: next_url or reverse("admin:index"),
    }
    return _answer(TemplateResponse(request, "admin/login.html", context), blocked)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app or a backup code (a passkey signs in by script)."""
    user = signin.pending_user(request)
    if user is None:
        return HttpResponseRedirect(reverse("admin:login"))
    blocked = 0
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if blocked := _blocked_minutes(user.get_username(), ip):
            form.add_error(None, throttle.refusal_message(blocked))
        elif device := signin.device_for_code(user, form.cleaned_data["code"]):
            throttle.clear_account(user.get_username())
            next_url = signin.pending_next(request)
            signin.complete(request, user, device)
            return HttpResponseRedirect(safe_next(request, next_url))
        else:
            throttle.record_failure(user.get_username(), ip, "code")
            form.add_error("code", "That code is not right. Check it and try again.")
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor sign-in",
        "subtitle": None,
        "form": form,
        "pending_username": user.get_username(),
        "has_passkey": signin.has_passkey(user),
    }
    return _answer(TemplateResponse(request, "admin/accounts/verify.html", context), blocked)


def _answer(response: TemplateResponse, blocked_minutes: int) -> TemplateResponse:
    """The page, as 429 Too Many Requests with Retry-After while the sign-in is blocked."""
    if blocked_minutes:
        response.status_code = 429
        response["Retry-After"] = str(blocked_minutes * 60)
    return response
