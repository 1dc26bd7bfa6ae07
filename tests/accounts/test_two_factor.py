"""Two-factor sign-in through the real forms: enrol an authenticator app, sign in with its
code or a backup code; the password alone signs nobody in who has a device."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from base64 import b64decode
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.accounts.signing_in import (
    PASSWORD,
    app_code,
    enrol_authenticator,
    error_notes,
    field_errors,
    post_code,
    post_password,
)
from tests.factories import UserFactory
from tests.html import parse_html, read_form


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="editor", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def enrolled(client, editor):  # type: ignore[no-untyped-def]
    """The editor with an authenticator app, signed out again; returns the app's key."""
    assert post_password(client, "editor", PASSWORD).status_code == 302
    key = enrol_authenticator(client)
    client.post(reverse("admin:logout"))
    return key


def test_the_enrolment_page_shows_a_qr_code_as_an_svg_image(client, editor):
    post_password(client, "editor", PASSWORD)
    page = client.get(reverse("accounts:add-authenticator"))
    source = parse_html(page.content).find("img", id="authenticator-qr-code").attrs["src"] or ""
    header, _, data = source.partition(",")
    assert header.startswith("data:image/svg+xml")
    svg = ET.fromstring(b64decode(data) if header.endswith(";base64") else unquote(data))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_a_wrong_code_does_not_confirm_the_app(client, editor):
    post_password(client, "editor", PASSWORD)
    page = client.get(reverse("accounts:add-authenticator"))
    form = read_form(page.content, "authenticator-form")
    wrong = client.post(reverse("accounts:add-authenticator"), form.data(code="000000"))
    assert wrong.status_code == 200
    assert field_errors(wrong.content) == [
        "That code is not right. Check the app's clock and try again."
    ]
    listing = parse_html(client.get(reverse("accounts:two-factor")).content)
    assert listing.find(id="no-devices")


def test_an_enrolled_app_is_listed(client, editor):
    post_password(client, "editor", PASSWORD)
    enrol_authenticator(client)
    listing = parse_html(client.get(reverse("accounts:two-factor")).content)
    rows = listing.find("table", id="two-factor-devices").find("tbody").find_all("tr")
    assert [row.find_all("td")[0].text for row in rows] == ["Authenticator app"]


def test_the_password_alone_does_not_sign_in_someone_with_an_app(client, enrolled):
    response = post_password(client, "editor", PASSWORD)
    assert response["Location"] == reverse("accounts:verify")
    admin_index = client.get(reverse("admin:index"))
    assert admin_index.status_code == 302
    assert admin_index["Location"].startswith(reverse("admin:login"))


def test_the_apps_code_completes_the_sign_in(client, enrolled):
    post_password(client, "editor", PASSWORD)
    signed_in = post_code(client, app_code(enrolled, steps_ahead=1))
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_counted(client, enrolled, settings):
    settings.LOGIN_ATTEMPTS = 3
    post_password(client, "editor", PASSWORD)
    for _ in range(3):
        wrong = post_code(client, "123456")
        assert wrong.status_code == 200
        assert field_errors(wrong.content) == ["That code is not right. Check it and try again."]
    refused = post_code(client, app_code(enrolled, steps_ahead=1))
    assert refused.status_code == 429
    assert error_notes(refused.content) == [
        "Too many failed sign-in attempts. Try again in 15 minutes."
    ]
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_backup_code_signs_in_once(client, editor):
    post_password(client, "editor", PASSWORD)
    enrol_authenticator(client)
    page = client.get(reverse("accounts:two-factor"))
    form = read_form(page.content, "backup-codes-form")
    codes_page = parse_html(client.post(reverse("accounts:backup-codes"), form.data()).content)
    codes = [item.text for item in codes_page.find("ul", id="backup-codes").find_all("code")]
    assert len(codes) == 10
    client.post(reverse("admin:logout"))

    post_password(client, "editor", PASSWORD)
    assert post_code(client, codes[0]).status_code == 302
    client.post(reverse("admin:logout"))

    post_password(client, "editor", PASSWORD)
    reused = post_code(client, codes[0])
    assert reused.status_code == 200
    assert field_errors(reused.content) == ["That code is not right. Check it and try again."]


def test_a_session_signed_in_before_an_app_was_added_elsewhere_is_signed_out(client, editor):
    from django.test import Client

    assert post_password(client, "editor", PASSWORD).status_code == 302
    other = Client()
    assert post_password(other, "editor", PASSWORD).status_code == 302
    enrol_authenticator(other)
    assert other.get(reverse("admin:index")).status_code == 200  # the session that enrolled
    stale = client.get(reverse("admin:index"))
    assert stale.status_code == 302
    assert stale["Location"].startswith(reverse("admin:login"))


def test_a_passkey_ceremony_without_a_password_first_is_refused(client, editor):
    begin = client.post(
        reverse("otp_webauthn:credential-authentication-begin"), content_type="application/json"
    )
    assert begin.status_code in {400, 401, 403}
    assert "otp_webauthn_authentication_state" not in client.session


def test_every_admin_page_links_to_two_factor_sign_in(client, editor):
    post_password(client, "editor", PASSWORD)
    tools = parse_html(client.get(reverse("admin:index")).content).find(id="user-tools")
    links = {link.text.strip(): link.attrs["href"] for link in tools.find_all("a")}
    assert links["Two-factor sign-in"] == reverse("accounts:two-factor")


def test_a_device_is_removed_from_the_page_and_only_its_owner_can(client, editor):
    from django.test import Client

    post_password(client, "editor", PASSWORD)
    enrol_authenticator(client)
    page = client.get(reverse("accounts:two-factor"))
    removal = read_form(page.content, "remove-1")

    someone = UserFactory(username="someone", is_staff=True)
    someone.set_password(PASSWORD)
    someone.save()
    other = Client()
    post_password(other, "someone", PASSWORD)
    refused = other.post(reverse("accounts:remove"), removal.data(), follow=True)
    assert [m.message for m in refused.context["messages"]] == ["That device is not one of yours."]

    removed = client.post(reverse("accounts:remove"), removal.data(), follow=True)
    assert [m.message for m in removed.context["messages"]] == ["The device was removed."]
    assert parse_html(removed.content).find(id="no-devices")
