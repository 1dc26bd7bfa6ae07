"""Signing in to the admin as a browser would: read the rendered form, post it back."""

from __future__ import annotations

import base64

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

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


def app_code(manual_key: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for the key printed on the enrolment page.

    A code is accepted once per 30-second step, so a second code in the same test is the next
    step's (the device allows one step of clock drift either way).
    """
    key = base64.b32decode(
        "".join(manual_key.split()) + "=" * (-len(manual_key.replace(" ", "")) % 8)
    )
    return f"{totp(key, drift=steps_ahead):06d}"


def enrol_authenticator(client: Client) -> str:
    """Add an authenticator app through the enrolment page as a person would; return its key."""
    page = client.get(reverse("accounts:add-authenticator"))
    assert page.status_code == 200
    key = parse_html(page.content).find(id="authenticator-key").text
    form = read_form(page.content, "authenticator-form")
    confirmed = client.post(reverse("accounts:add-authenticator"), form.data(code=app_code(key)))
    assert confirmed.status_code == 302, field_errors(confirmed.content)
    return key
