"""The admin's sign-in and "Two-factor sign-in" pages, mounted under ``admin/`` before the
admin site itself so that its login address is answered here."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from broadsheet.accounts.views import enrolment, signin

app_name = "accounts"

urlpatterns = [
    path("login/", signin.login, name="login"),
    path("login/verify/", signin.verify, name="verify"),
    path("two-factor/", admin.site.admin_view(enrolment.two_factor), name="two-factor"),
    path(
        "two-factor/authenticator/",
        admin.site.admin_view(enrolment.add_authenticator),
        name="add-authenticator",
    ),
    path(
        "two-factor/backup-codes/",
        admin.site.admin_view(enrolment.new_backup_codes),
        name="backup-codes",
    ),
    path("two-factor/remove/", admin.site.admin_view(enrolment.remove_device), name="remove"),
]
