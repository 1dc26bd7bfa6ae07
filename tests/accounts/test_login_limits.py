"""Failed sign-ins are limited per account and per client IP, with a clear 429 page."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.accounts.signing_in import PASSWORD, error_notes, post_password
from tests.factories import UserFactory

REFUSAL = "Too many failed sign-in attempts. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def limits(settings):  # type: ignore[no-untyped-def]
    settings.LOGIN_ATTEMPTS = 5
    settings.LOGIN_ATTEMPTS_PER_IP = 8
    settings.LOGIN_WINDOW_SECONDS = 15 * 60


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="editor", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_sixth_try_at_an_account_is_refused_even_with_the_right_password(client, editor):
    for _ in range(5):
        wrong = post_password(client, "editor", "guess")
        assert wrong.status_code == 200
    refused = post_password(client, "editor", PASSWORD)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(15 * 60)
    assert error_notes(refused.content) == [REFUSAL]
    assert "_auth_user_id" not in client.session
    # What was typed stays in the form.
    assert b'value="editor"' in refused.content


def test_an_account_is_refused_from_every_address(client, editor):
    for number in range(5):
        post_password(client, "editor", "guess", REMOTE_ADDR=f"198.51.100.{number}")
    refused = post_password(client, "editor", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429


def test_an_address_is_refused_after_failures_on_many_accounts(client, editor):
    for number in range(8):
        post_password(client, f"someone{number}", "guess", REMOTE_ADDR="198.51.100.7")
    refused = post_password(client, "editor", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert error_notes(refused.content) == [REFUSAL]
    elsewhere = post_password(client, "editor", PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert elsewhere.status_code == 302


def test_a_missing_account_is_refused_like_a_real_one(client, editor):
    """The refusal says nothing about whether the account exists."""
    for username in ("editor", "nobody-here"):
        for number in range(5):
            post_password(client, username, "guess", REMOTE_ADDR=f"192.0.2.{10 + number}")
    real = post_password(client, "editor", "guess", REMOTE_ADDR="192.0.2.2")
    missing = post_password(client, "nobody-here", "guess", REMOTE_ADDR="192.0.2.3")
    assert (real.status_code, error_notes(real.content)) == (
        missing.status_code,
        error_notes(missing.content),
    )


def test_other_spellings_of_the_account_count_against_it(client, editor):
    """Django signs ``ｅditor`` (a full-width e) and ``Editor`` in as nobody else's account."""
    for number, spelling in enumerate(["ｅditor", " editor", "EDITOR", "ｅｄitor", "editor"]):
        post_password(client, spelling, "guess", REMOTE_ADDR=f"198.51.100.{number}")
    refused = post_password(client, "editor", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429


def test_an_ipv6_subscriber_is_one_address_whatever_the_interface_id(client, editor):
    for number in range(8):
        post_password(client, f"someone{number}", "guess", REMOTE_ADDR=f"2001:db8:1:2::{number:x}")
    refused = post_password(client, "editor", PASSWORD, REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert refused.status_code == 429
    neighbour = post_password(client, "editor", PASSWORD, REMOTE_ADDR="2001:db8:1:3::1")
    assert neighbour.status_code == 302


def test_signing_in_clears_the_accounts_count(client, editor, settings):
    settings.LOGIN_ATTEMPTS_PER_IP = 100
    for _ in range(2):
        for _ in range(4):
            post_password(client, "editor", "guess")
        signed_in = post_password(client, "editor", PASSWORD)
        assert signed_in.status_code == 302
        assert signed_in["Location"] == reverse("admin:index")
        client.logout()


def test_behind_a_proxy_the_forwarded_address_is_counted(client, editor, settings):
    settings.BEHIND_PROXY = True
    for number in range(8):
        post_password(
            client, f"someone{number}", "guess", HTTP_X_FORWARDED_FOR="198.51.100.5, 192.0.2.77"
        )
    # Another client behind the same proxy is a different address.
    other = post_password(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.78")
    assert other.status_code == 302
    client.logout()
    # What the client itself put first in the header is not believed.
    same = post_password(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.1, 192.0.2.77")
    assert same.status_code == 429


def test_failures_and_refusals_are_logged_without_the_password(client, editor, caplog):
    caplog.set_level(logging.WARNING, logger="broadsheet.security")
    for _ in range(6):
        post_password(client, "editor", "hunter2-secret")
    records = [r for r in caplog.records if r.name == "broadsheet.security"]
    assert [r.levelno for r in records] == [logging.WARNING] * 6
    assert "editor" in records[0].getMessage()
    assert "too many failures" in records[-1].getMessage()
    assert all("hunter2" not in r.getMessage() for r in records)
