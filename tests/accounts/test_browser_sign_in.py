"""Two-factor sign-in in Chromium: a passkey enrolled and used through Chromium's virtual
authenticator (WebAuthn over CDP), and an authenticator app's code with JavaScript off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.accounts.signing_in import PASSWORD, app_code
from tests.browser.fixtures import Tab

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def editor(transactional_db: None, live_server: Any, settings: Any) -> str:
    """A staff account; passkeys scoped to the live server's address (localhost)."""
    settings.OTP_WEBAUTHN_RP_ID = urlsplit(live_server.url).hostname
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    return "editor"


def sign_in_with_password(tab: Tab, username: str) -> None:
    assert tab.open("/admin/login/") == 200
    tab.page.fill("#id_username", username)
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("#login-form input[type=submit]")


def test_a_passkey_is_added_and_then_signs_in(open_tab: Callable[..., Tab], editor: str) -> None:
    tab = open_tab(**DESKTOP)
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    sign_in_with_password(tab, editor)
    expect(tab.page).to_have_url(tab.base_url + "/admin/")

    assert tab.open("/admin/two-factor/") == 200
    tab.page.click("#passkey-register-button")
    expect(tab.page.locator("#two-factor-devices tbody td").first).to_have_text("Passkey")

    tab.page.click("#logout-form button")
    sign_in_with_password(tab, editor)
    expect(tab.page).to_have_url(tab.base_url + "/admin/login/verify/")
    tab.page.click("#passkey-verification-button")
    expect(tab.page).to_have_url(tab.base_url + "/admin/")
    expect(tab.page.locator("#user-tools strong")).to_have_text("editor")
    assert tab.unexpected_console_errors == []


def test_an_app_code_signs_in_without_javascript(open_tab: Callable[..., Tab], editor: str) -> None:
    tab = open_tab(java_script_enabled=False, **DESKTOP)
    sign_in_with_password(tab, editor)
    assert tab.open("/admin/two-factor/authenticator/") == 200
    key = tab.page.locator("#authenticator-key").inner_text()
    tab.page.fill("#id_code", app_code(key))
    tab.page.click("#authenticator-form input[type=submit]")
    expect(tab.page).to_have_url(tab.base_url + "/admin/two-factor/")
    expect(tab.page.locator("#two-factor-devices tbody td").first).to_have_text("Authenticator app")

    tab.page.click("#logout-form button")
    sign_in_with_password(tab, editor)
    expect(tab.page).to_have_url(tab.base_url + "/admin/login/verify/")
    tab.page.fill("#id_code", app_code(key, steps_ahead=1))
    tab.page.click("#code-form input[type=submit]")
    expect(tab.page).to_have_url(tab.base_url + "/admin/")
    expect(tab.page.locator("#user-tools strong")).to_have_text("editor")
    assert tab.unexpected_console_errors == []
