"""``broadsheet import wxr`` and ``broadsheet export wxr`` as an operator runs them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.core.management import CommandError, call_command

from broadsheet.cli import OVERVIEW
from broadsheet.content.models import Article
from tests.importers.wxr import C, P, document, write

pytestmark = pytest.mark.django_db


def summary_rows(output: str) -> dict[str, dict[str, int]]:
    """The summary table as {kind: {outcome: n}}."""
    lines = output.splitlines()
    header = next(
        i
        for i, line in enumerate(lines)
        if line.split() == ["created", "updated", "skipped", "failed"]
    )
    rows = {}
    for line in lines[header + 1 :]:
        cells = line.split()
        if len(cells) != 5 or not cells[1].replace(",", "").isdigit():
            break
        rows[cells[0]] = dict(
            zip(
                ["created", "updated", "skipped", "failed"],
                (int(c.replace(",", "")) for c in cells[1:]),
                strict=True,
            )
        )
    return rows


def test_import_prints_a_summary_table_per_kind(tmp_path: Path) -> None:
    path = write(tmp_path, document(P(1, comments=[C(5)]), P(2, type="nav_menu_item")))
    out = StringIO()
    call_command("import", "wxr", str(path), "--no-progress", stdout=out)
    rows = summary_rows(out.getvalue())
    assert rows["articles"] == {"created": 1, "updated": 0, "skipped": 0, "failed": 0}
    assert rows["comments"]["created"] == 1
    assert rows["other"]["skipped"] == 1


def test_dry_run_prints_the_same_summary_and_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, document(P(1), P(2)))
    out = StringIO()
    call_command("import", "wxr", str(path), "--dry-run", "--no-progress", stdout=out)
    assert out.getvalue().startswith("Dry run: nothing was written.")
    assert summary_rows(out.getvalue())["articles"]["created"] == 2
    assert Article.objects.count() == 0


def test_a_malformed_file_stops_with_its_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, document(P(1)).replace("</wp:post_id>", "</wp:post_ID>", 1))
    with pytest.raises(CommandError, match=r"export\.xml: line \d+, column \d+: mismatched tag"):
        call_command("import", "wxr", str(path), "--no-progress", stdout=StringIO())


def test_failed_items_make_the_command_fail_after_the_summary(tmp_path: Path) -> None:
    path = write(tmp_path, document(P(1, status="limbo"), P(2)))
    out = StringIO()
    with pytest.raises(CommandError, match="1 item"):
        call_command("import", "wxr", str(path), "--no-progress", stdout=out)
    assert summary_rows(out.getvalue())["articles"] == {
        "created": 1,
        "updated": 0,
        "skipped": 0,
        "failed": 1,
    }


def test_the_report_can_be_written_as_json(tmp_path: Path) -> None:
    path = write(tmp_path, document(P(1, content="<iframe src='x'></iframe>Hi")))
    report = tmp_path / "report.json"
    call_command(
        "import", "wxr", str(path), "--no-progress", "--report-json", str(report), stdout=StringIO()
    )
    data = json.loads(report.read_text())
    assert data["counts"]["articles"] == {"created": 1}
    assert data["not_converted"]["HTML element <iframe> not kept"] == [1]


def test_the_author_map_file_is_read(tmp_path: Path) -> None:
    from tests.factories import AuthorFactory

    desk = AuthorFactory(slug="desk")
    mapping = tmp_path / "authors.txt"
    mapping.write_text("# WordPress login = Broadsheet author\neditor = desk\n")
    path = write(tmp_path, document(P(1)))
    call_command(
        "import", "wxr", str(path), "--author-map", str(mapping), "--no-progress", stdout=StringIO()
    )
    assert Article.objects.get().author == desk


def test_missing_files_are_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import", "wxr", str(tmp_path / "nope.xml"))
    path = write(tmp_path, document(P(1)))
    with pytest.raises(CommandError, match="no such directory"):
        call_command("import", "wxr", str(path), "--media-dir", str(tmp_path / "nope"))


def test_export_writes_a_file_that_imports_again(tmp_path: Path) -> None:
    call_command(
        "import", "wxr", str(write(tmp_path, document(P(1)))), "--no-progress", stdout=StringIO()
    )
    target = tmp_path / "out.xml"
    call_command("export", "wxr", "-o", str(target))
    channel = ElementTree.parse(target).getroot().find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["A post"]
    assert not (tmp_path / "out.xml.partial").exists()


def test_export_to_standard_output(tmp_path: Path) -> None:
    out = StringIO()
    call_command("export", "wxr", stdout=out)
    assert ElementTree.fromstring(out.getvalue().encode()).tag == "rss"


def test_the_help_page_lists_the_import_and_export_commands() -> None:
    assert "import wxr FILE" in OVERVIEW
    assert "export wxr" in OVERVIEW
