"""Signing the browser in as staff, for the admin pages that show what visitors wrote."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from tests.factories import UserFactory


def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="security-admin", is_staff=True, is_superuser=True))
    return client


def sign_in_browser(page: Any, client: Client, base_url: str) -> None:
    """Give the browser the test client's session, so it sees the admin as that user."""
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )
