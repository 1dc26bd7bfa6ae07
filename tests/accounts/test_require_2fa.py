"""BROADSHEET_REQUIRE_2FA: an administrator without a device can only enrol one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.signing_in import PASSWORD, enrol_authenticator, post_password
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def required(settings):  # type: ignore[no-untyped-def]
    settings.REQUIRE_2FA = True


def staff(username: str, *, superuser: bool):  # type: ignore[no-untyped-def]
    user = UserFactory(username=username, is_staff=True, is_superuser=superuser)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize(
    "page", ["admin:index", "admin:content_article_changelist", "admin:auth_user_changelist"]
)
def test_an_administrator_without_a_device_is_sent_to_enrolment(client, db, page):
    staff("chief", superuser=True)
    assert post_password(client, "chief", PASSWORD).status_code == 302
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor")
    assert client.get(reverse("accounts:two-factor")).status_code == 200


def test_nothing_can_be_changed_before_enrolling(client, db):
    staff("chief", superuser=True)
    post_password(client, "chief", PASSWORD)
    response = client.post(reverse("admin:auth_user_add"), {"username": "intruder"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor")


def test_after_enrolling_the_admin_opens(client, db):
    staff("chief", superuser=True)
    post_password(client, "chief", PASSWORD)
    enrol_authenticator(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_other_staff_are_not_held_to_it(client, db):
    staff("writer", superuser=False)
    post_password(client, "writer", PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_the_setting_administrators_may_go_without(client, db, settings):
    settings.REQUIRE_2FA = False
    staff("chief", superuser=True)
    post_password(client, "chief", PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
