"""django-otp-webauthn's passkey ceremony as the second step of a sign-in: the user is the one
whose password this session just accepted, never whoever a passkey alone names."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django_otp_webauthn.models import AbstractWebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    CompleteCredentialAuthenticationView,
)

from broadsheet.accounts import signin, throttle
from broadsheet.accounts.views.signin import safe_next


class PendingUserMixin:
    request: object

    def get_user(self) -> AbstractBaseUser | None:
        return signin.pending_user(self.request)  # type: ignore[arg-type]


class BeginPasskeySignIn(PendingUserMixin, BeginCredentialAuthenticationView):
    """Options for the pending user's own passkeys (refused when no password was given)."""


class CompletePasskeySignIn(PendingUserMixin, CompleteCredentialAuthenticationView):
    """Check the signed challenge and sign the pending user in, verified by the passkey."""

    def complete_auth(self, device: AbstractWebAuthnCredential) -> None:
        self._next = signin.pending_next(self.request)
        throttle.clear_account(device.user.get_username())
        signin.complete(self.request, device.user, device)

    def get_success_url(self) -> str:
        return safe_next(self.request, getattr(self, "_next", ""))
