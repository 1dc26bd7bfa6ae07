"""Signing in to the admin as a browser would: read the rendered form, post it back."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.html import parse_html, read_form

PASSWORD = "correct horse battery staple"


def post_password(client: Client, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    """Fill in the admin's login form with ``username`` and ``password`` and submit it."""
    page = client.get(reverse("admin:login"), **extra)
    form = read_form(page.content, "login-form")
    return client.post(
        reverse("admin:login"), form.data(username=username, password=password), **extra
    )


def post_code(client: Client, code: str, **extra: str):  # type: ignore[no-untyped-def]
    """Fill in the second step's code and submit it."""
    page = client.get(reverse("accounts:verify"), **extra)
    assert page.status_code == 200, page
    form = read_form(page.content, "code-form")
    return client.post(reverse("accounts:verify"), form.data(code=code), **extra)


def error_notes(content: bytes) -> list[str]:
    """The admin's error notes, as a person reads them."""
    return [
        " ".join(note.text.split()) for note in parse_html(content).find_all(class_="errornote")
    ]


def field_errors(content: bytes) -> list[str]:
    return [
        " ".join(item.text.split())
        for errors in parse_html(content).find_all("ul", class_="errorlist")
        for item in errors.find_all("li")
    ]
