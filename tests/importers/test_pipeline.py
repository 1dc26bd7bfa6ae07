"""Planning in a second process gives the same import, and its errors still reach the operator."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article
from broadsheet.importers.wordpress.importing import import_wxr
from broadsheet.importers.wordpress.load import ImportOptions
from broadsheet.importers.wordpress.parse import WXRError
from broadsheet.importers.wordpress.report import Progress
from tests.importers.wxr import C, P, document, write

pytestmark = pytest.mark.django_db

ITEMS = [P(n, comments=[C(n * 10), C(n * 10 + 1, parent=n * 10)]) for n in range(1, 260)]


def test_planning_in_a_child_process_imports_the_same_site(tmp_path: Path) -> None:
    path = write(tmp_path, document(*ITEMS))
    here = import_wxr(path, ImportOptions(workers=1, dry_run=True))
    there = import_wxr(path, ImportOptions(workers=2))
    assert here.as_dict()["counts"] == there.as_dict()["counts"]
    assert (Article.objects.count(), Comment.objects.count()) == (259, 518)
    assert Comment.objects.filter(pk=11).values_list("parent_id", "depth").get() == (10, 2)


def test_a_malformed_file_read_by_the_child_still_stops_with_its_position(
    tmp_path: Path,
) -> None:
    text = document(*ITEMS)
    cut = text[: text.index("<wp:post_id>200</wp:post_id>")]
    with pytest.raises(WXRError) as error:
        import_wxr(write(tmp_path, cut), ImportOptions(workers=2))
    assert error.value.line == cut.count("\n") + 1
    # Whole items before the break are in; the one cut off is not.
    assert Article.objects.count() == 199


def test_the_progress_line_shows_share_rate_and_time_left() -> None:
    screen = io.StringIO()
    progress = Progress(1000, screen)
    progress.advance(10, 500)
    line = screen.getvalue()
    assert line.startswith("\r[###############               ]  50%  10 items")
    assert "items/s" in line and "ETA 0:" in line
