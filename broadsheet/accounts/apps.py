from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff sign-in: the failed-attempt limiter and two-factor devices."""

    name = "broadsheet.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"
