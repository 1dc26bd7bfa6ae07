"""Files built to hurt: each is refused with a clear message, and nothing is harmed."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from broadsheet.comments.models import Comment
from broadsheet.content.models import Article
from broadsheet.importers.wordpress.importing import import_wxr
from broadsheet.importers.wordpress.parse import WXRError
from tests.importers.wxr import THEME_UNIT_TEST, C, P, document, write

pytestmark = pytest.mark.django_db

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


def test_an_entity_expansion_bomb_is_refused_at_its_dtd(tmp_path: Path) -> None:
    lols = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'{HEADER}<!DOCTYPE rss [<!ENTITY lol0 "lol">{lols}]>\n<rss>&lol9;</rss>'
    with pytest.raises(WXRError, match=r"line 2, column \d+: the file declares a DTD"):
        import_wxr(write(tmp_path, bomb))
    assert Article.objects.count() == 0


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    text = document(P(1, title="&xxe;")).replace(
        HEADER.replace('"UTF-8"?', '"UTF-8" ?'),
        f'{HEADER}<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n',
    )
    with pytest.raises(WXRError, match="DTD"):
        import_wxr(write(tmp_path, text))
    assert not Article.objects.filter(title__contains="SECRET").exists()


def test_an_external_dtd_is_not_fetched_from_the_network(tmp_path: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    connections: list[object] = []

    def watch() -> None:
        try:
            connections.append(server.accept())
        except OSError:
            pass

    watcher = threading.Thread(target=watch)
    watcher.start()
    text = f'{HEADER}<!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/evil.dtd">\n<rss/>'
    try:
        with pytest.raises(WXRError, match="DTD"):
            import_wxr(write(tmp_path, text))
    finally:
        watcher.join()
        server.close()
    assert connections == []


def test_a_truncated_file_stops_at_its_line_and_column_keeping_only_whole_items(
    tmp_path: Path,
) -> None:
    text = document(P(1, comments=[C(1), C(2)]), P(2, comments=[C(3), C(4)]))
    cut = text[: text.index("<wp:comment_id>4</wp:comment_id>")]
    with pytest.raises(WXRError, match=r"line \d+, column \d+: .*truncated") as error:
        import_wxr(write(tmp_path, cut))
    assert error.value.line == cut.count("\n") + 1
    # The first item is whole; the second, cut off mid-comment, left nothing behind.
    assert list(Article.objects.values_list("pk", flat=True)) == [1]
    assert Comment.objects.count() == 2


@pytest.mark.skipif(not THEME_UNIT_TEST.is_file(), reason=f"needs {THEME_UNIT_TEST.parent}")
def test_the_theme_unit_test_cut_in_half_is_refused_with_a_position(tmp_path: Path) -> None:
    data = THEME_UNIT_TEST.read_bytes()
    half = tmp_path / "half.xml"
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(WXRError) as error:
        import_wxr(half)
    assert error.value.line is not None and error.value.column is not None


def test_bytes_in_the_wrong_encoding_are_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(document(P(1, title="Café")).encode("latin-1"))
    with pytest.raises(WXRError, match="not valid in the file's declared encoding") as error:
        import_wxr(path)
    assert error.value.line is not None
    assert Article.objects.count() == 0


def test_a_file_in_a_declared_legacy_encoding_is_read_correctly(tmp_path: Path) -> None:
    text = document(P(1, title="Café")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path = tmp_path / "latin1.xml"
    path.write_bytes(text.encode("latin-1"))
    import_wxr(path)
    assert Article.objects.get().title == "Café"


def test_an_unknown_declared_encoding_is_refused(tmp_path: Path) -> None:
    text = document(P(1)).replace('encoding="UTF-8"', 'encoding="X-MADE-UP"')
    with pytest.raises(WXRError, match="encoding"):
        import_wxr(write(tmp_path, text))


def test_a_ten_megabyte_field_fails_its_item_and_the_rest_imports(tmp_path: Path) -> None:
    text = document(P(1, content="x" * (10 * 1024 * 1024)), P(2))
    report = import_wxr(write(tmp_path, text))
    assert [(f.wp_id, "larger than 5 MB" in f.reason) for f in report.failures] == [(1, True)]
    assert list(Article.objects.values_list("pk", flat=True)) == [2]


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path: Path) -> None:
    feed = (
        f'{HEADER}<rss version="2.0"><channel><title>A feed</title>'
        "<item><title>x</title></item></channel></rss>"
    )
    with pytest.raises(WXRError, match="not a WordPress export"):
        import_wxr(write(tmp_path, feed))
    with pytest.raises(WXRError, match="not a WordPress export"):
        import_wxr(write(tmp_path, "<html><body>Hello</body></html>"))


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WXRError, match="empty"):
        import_wxr(write(tmp_path, ""))
