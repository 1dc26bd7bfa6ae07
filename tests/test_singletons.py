"""Settings rows kept per process (``core/singletons.py``) with the file cache: handed out as
copies, and read again after a save."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.content.models import SiteSettings
from broadsheet.content.site import load_site_settings

pytestmark = pytest.mark.django_db(transaction=True)  # saves commit, as in production


@pytest.fixture(autouse=True)
def file_cache(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


def test_changing_the_row_one_was_given_changes_nothing_for_the_next_reader() -> None:
    given = load_site_settings()
    original = given.title
    given.title = "Edited in a form that was never saved"
    assert load_site_settings().title == original
    assert load_site_settings() is not load_site_settings()


def test_a_saved_row_is_read_again() -> None:
    load_site_settings()
    row = SiteSettings.objects.get(pk=1)
    row.title = "The Renamed Gazette"
    row.save()
    assert load_site_settings().title == "The Renamed Gazette"
