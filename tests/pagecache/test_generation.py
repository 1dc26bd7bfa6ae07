"""The purge generation with the file cache (the default): a memory-mapped file that every
purge writes in place, read by every process's WSGI front on every request."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from broadsheet.pagecache import generation as purges


@pytest.fixture
def cache_folder(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder),
        }
    }
    return folder


def purge_in_another_process(folder: Path) -> None:
    script = textwrap.dedent(
        f"""
        import django
        from django.conf import settings
        settings.configure(CACHES={{"default": {{
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": {str(folder)!r}}}}})
        django.setup()
        from broadsheet.pagecache import generation
        generation.advance()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_a_purge_in_another_process_is_seen_by_the_next_read(cache_folder: Path) -> None:
    first = purges.current()  # the first reader creates the file
    assert (cache_folder / purges.FILE_NAME).is_file()
    assert purges.current() == first
    purge_in_another_process(cache_folder)
    second = purges.current()
    assert second != first
    purges.advance()
    assert purges.current() not in (first, second)


def test_a_generation_file_deleted_by_hand_is_found_again_within_the_recheck(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(purges, "RECHECK_SECONDS", 0.05)
    before = purges.current()
    (cache_folder / purges.FILE_NAME).unlink()  # an operator clearing the folder
    purge_in_another_process(cache_folder)  # writes a new file the old map cannot see
    time.sleep(0.1)
    after = purges.current()
    assert after != before
    purges.advance()
    assert purges.current() != after  # and follows the new file from then on
