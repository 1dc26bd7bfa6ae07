"""The hourly comment limit lasts its hour on every cache backend."""

from __future__ import annotations

import time

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from broadsheet.comments.spam import rate_limits


@pytest.fixture
def file_cache(tmp_path, monkeypatch):
    """The default backend of a site without Redis: Django's file cache."""
    monkeypatch.setattr(rate_limits, "cache", FileBasedCache(str(tmp_path), {}))


def test_hourly_limit_still_holds_ten_minutes_after_the_last_post(file_cache, monkeypatch):
    for _ in range(3):
        rate_limits.record_post("203.0.113.9", "", flood_seconds=0)
    assert rate_limits.over_hourly_limit("203.0.113.9", limit=3)
    later = time.time() + 600
    monkeypatch.setattr(time, "time", lambda: later)
    assert rate_limits.over_hourly_limit("203.0.113.9", limit=3)


def test_hourly_count_starts_again_after_the_hour(file_cache, monkeypatch):
    for _ in range(3):
        rate_limits.record_post("203.0.113.9", "", flood_seconds=0)
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    assert not rate_limits.over_hourly_limit("203.0.113.9", limit=3)
    rate_limits.record_post("203.0.113.9", "", flood_seconds=0)
    assert not rate_limits.over_hourly_limit("203.0.113.9", limit=2)
