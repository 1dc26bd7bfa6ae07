from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from broadsheet.env import (
    email_settings,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_snapshot,
    env_str,
    env_url,
)


def test_unset_variables_fall_back_to_their_defaults() -> None:
    assert env_str("X", "fallback", environ={}) == "fallback"
    assert env_bool("X", True, environ={}) is True
    assert env_int("X", 4, environ={}) == 4
    assert env_list("X", ["a"], environ={}) == ["a"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_booleans_accept_the_usual_words(raw: str, expected: bool) -> None:
    assert env_bool("FLAG", environ={"FLAG": raw}) is expected


def test_bad_boolean_is_rejected_with_the_variable_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="BROADSHEET_DEBUG must be one of"):
        env_bool("BROADSHEET_DEBUG", environ={"BROADSHEET_DEBUG": "maybe"})


def test_integers_are_checked_for_form_and_range() -> None:
    with pytest.raises(ImproperlyConfigured, match="must be a whole number, not 'two'"):
        env_int("N", 1, environ={"N": "two"})
    with pytest.raises(ImproperlyConfigured, match="must be at least 1, not 0"):
        env_int("N", 1, environ={"N": "0"}, minimum=1)
    assert env_int("N", 1, environ={"N": " 8 "}) == 8


def test_lists_split_on_commas_and_drop_blanks() -> None:
    assert env_list("HOSTS", environ={"HOSTS": "a.example, b.example,,"}) == [
        "a.example",
        "b.example",
    ]


def test_choices_and_urls_are_validated() -> None:
    with pytest.raises(ImproperlyConfigured, match="must be one of debug, info"):
        env_choice("LEVEL", ("debug", "info"), "info", environ={"LEVEL": "loud"})
    with pytest.raises(ImproperlyConfigured, match="must start with one of postgres://"):
        env_url("DATABASE_URL", ("postgres",), environ={"DATABASE_URL": "mysql://x/y"})
    with pytest.raises(ImproperlyConfigured, match="must name a host"):
        env_url("SITE", ("https",), environ={"SITE": "https://"})


def test_email_url_becomes_django_smtp_settings() -> None:
    settings = email_settings("smtp://user%40site:p%2Fss@mail.example:2525?tls=1")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "user@site",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }
    assert email_settings("")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_a_snapshot_holds_the_prefixed_and_named_variables_sorted_and_nothing_else() -> None:
    environ = {"BROADSHEET_B": "2", "BROADSHEET_A": "1", "DATABASE_URL": "x", "HOME": "/root"}
    assert env_snapshot("BROADSHEET_", "DATABASE_URL", environ=environ) == [
        ("BROADSHEET_A", "1"),
        ("BROADSHEET_B", "2"),
        ("DATABASE_URL", "x"),
    ]
