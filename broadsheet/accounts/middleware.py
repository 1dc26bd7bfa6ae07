"""Keeps the admin behind the second step: a staff session that has not passed it is signed
out, and with ``REQUIRE_2FA`` an administrator without a device may only enrol one."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from broadsheet.accounts import signin


class TwoFactorAdminMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: public pages never load the session's user for this.
        if request.path.startswith(reverse("admin:index")):
            user = request.user
            if user.is_authenticated and user.is_staff and not user.is_verified():
                if refused := self._refuse(request):
                    return refused
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        if signin.has_second_factor(request.user):
            # Signed in by password alone, and a device was added since (in another session):
            # this session never showed the second factor.
            logout(request)
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('admin:login')}?{query}")
        enrolment = reverse("accounts:two-factor")
        if (
            settings.REQUIRE_2FA
            and request.user.is_superuser
            and not request.path.startswith(enrolment)
            and request.path != reverse("admin:logout")
        ):
            messages.warning(
                request, "Administrators must set up two-factor sign-in before anything else."
            )
            return HttpResponseRedirect(enrolment)
        return None
