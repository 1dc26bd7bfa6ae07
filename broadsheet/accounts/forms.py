"""The sign-in forms: Django's admin password form with the limiter's refusal, and a code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class PasswordStepForm(AdminAuthenticationForm):
    """The admin's own sign-in form; when ``refusal`` is set it fails without checking anything."""

    def __init__(self, *args: Any, refusal: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self) -> dict[str, Any]:
        if self.refusal:
            raise ValidationError(self.refusal, code="throttled")
        return super().clean()

    def failed_credentials(self) -> bool:
        """True when a username and password were given and did not sign anyone in."""
        return self.has_error(forms.forms.NON_FIELD_ERRORS, "invalid_login") or self.has_error(
            forms.forms.NON_FIELD_ERRORS, "inactive"
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        help_text="The six-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )
