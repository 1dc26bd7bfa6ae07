"""Reading WXR into plain records: no database involved."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from broadsheet.importers.wordpress.parse import MAX_FIELD_BYTES, read_streaming, read_wxr
from broadsheet.importers.wordpress.parse_tree import NeedsStreaming, read_whole_records
from broadsheet.importers.wordpress.records import (
    AuthorRecord,
    BadItem,
    PostRecord,
    Site,
    TermRecord,
)
from tests.importers.wxr import THEME_UNIT_TEST, C, P, document


def records(text: str, **kwargs: object) -> list[object]:
    return list(read_wxr(io.BytesIO(text.encode("utf-8")), **kwargs))  # type: ignore[arg-type]


def test_the_site_comes_first_with_the_old_base_url() -> None:
    found = records(document(P(1)))
    assert isinstance(found[0], Site)
    assert found[0].base_url == "http://old.example.org"
    assert found[0].wxr_version == "1.2"


def test_authors_terms_and_posts_are_read_in_file_order() -> None:
    text = document(
        P(7, title="Seven", categories=[("news", "News")], tags=[("uk", "UK")]),
        categories=((3, "news", "News", ""), (4, "defence", "Defence", "news")),
        tags=((5, "uk", "UK"),),
    )
    kinds = [type(record) for record in records(text)]
    assert kinds == [Site, AuthorRecord, TermRecord, TermRecord, TermRecord, PostRecord]
    post = records(text)[-1]
    assert (post.wp_id, post.title, post.post_type) == (7, "Seven", "post")
    assert [(t.domain, t.slug, t.name) for t in post.terms] == [
        ("category", "news", "News"),
        ("post_tag", "uk", "UK"),
    ]
    defence = records(text)[3]
    assert (defence.slug, defence.parent_slug) == ("defence", "news")


def test_cdata_entities_and_unicode_come_through_exactly() -> None:
    post = records(document(P(1, title="Fish &amp; chips — ünïcode", content="<p>a ]]> b</p>")))[-1]
    assert post.title == "Fish &amp; chips — ünïcode"  # inside CDATA, an entity stays text
    assert post.content == "<p>a ]]> b</p>"


def test_dates_are_utc_and_a_drafts_zero_date_is_floating() -> None:
    post = records(document(P(1, date="2021-03-04 05:06:07")))[-1]
    assert post.date == dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    assert not post.date_floating
    draft = records(document(P(2, status="draft", date_gmt="0000-00-00 00:00:00")))[-1]
    assert draft.date_floating


def test_comments_keep_their_state_parent_and_type() -> None:
    post = records(
        document(P(1, comments=[C(10), C(11, parent=10, approved="0"), C(12, type="pingback")]))
    )[-1]
    assert [(c.wp_id, c.parent_wp_id, c.state, c.type) for c in post.comments] == [
        (10, 0, "approved", "comment"),
        (11, 10, "pending", "comment"),
        (12, 0, "approved", "pingback"),
    ]


@pytest.mark.parametrize(
    "namespace", ["http://wordpress.org/export/1.1/", "https://wordpress.org/export/1.2/"]
)
def test_namespace_uri_variants_are_all_understood(namespace: str) -> None:
    post = records(document(P(1, title="Hi"), namespace=namespace, version="1.1"))[-1]
    assert (post.wp_id, post.title) == (1, "Hi")


def test_an_item_with_a_non_numeric_id_is_a_bad_item_and_the_rest_goes_on() -> None:
    text = document(P(1), P(2)).replace("<wp:post_id>1</wp:post_id>", "<wp:post_id>x</wp:post_id>")
    found = records(text)
    assert isinstance(found[-2], BadItem) and "not a number" in found[-2].reason
    assert isinstance(found[-1], PostRecord) and found[-1].wp_id == 2


def test_a_field_over_the_limit_makes_its_item_bad_without_holding_it_in_memory() -> None:
    found = records(document(P(1, content="x" * 600_000), P(2)), max_field=100_000)
    assert isinstance(found[-2], BadItem) and "larger than" in found[-2].reason
    assert isinstance(found[-1], PostRecord)


def test_progress_reports_bytes_read() -> None:
    seen: list[int] = []
    text = document(P(1))
    records(text, on_progress=seen.append)
    assert seen[-1] == len(text.encode())


def fast_and_streaming(data: bytes, **kwargs: object) -> tuple[list[object], list[object]]:
    fast = list(read_whole_records(io.BytesIO(data), max_field=MAX_FIELD_BYTES, on_progress=None))
    streaming = list(read_streaming(io.BytesIO(data), **kwargs))  # type: ignore[arg-type]
    return fast, streaming


def test_the_fast_reader_gives_exactly_what_the_streaming_reader_gives() -> None:
    text = document(
        P(1, title="Fish &amp; chips", categories=[("news", "News")], tags=[("uk", "UK")]),
        P(2, comments=[C(10), C(11, parent=10, approved="0"), C(12, type="pingback")]),
        P(3, status="draft", date_gmt="0000-00-00 00:00:00", content="<p>a ]]> b</p>"),
        categories=((3, "news", "News", ""),),
        tags=((5, "uk", "UK"),),
    )
    fast, streaming = fast_and_streaming(text.encode())
    assert fast == streaming and len(fast) > 4


@pytest.mark.skipif(not THEME_UNIT_TEST.is_file(), reason=f"needs {THEME_UNIT_TEST.parent}")
def test_the_fast_reader_reads_the_theme_unit_test_as_the_streaming_reader_does() -> None:
    fast, streaming = fast_and_streaming(THEME_UNIT_TEST.read_bytes())
    assert fast == streaming


def test_a_file_with_a_dtd_never_reaches_the_fast_reader() -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss>&a;</rss>'
    with pytest.raises(NeedsStreaming):
        list(read_whole_records(io.BytesIO(text.encode()), max_field=100, on_progress=None))


def test_a_record_longer_than_a_field_may_be_is_left_to_the_streaming_reader() -> None:
    text = document(P(1), P(2, content="x" * 600_000), P(3))
    given: list[object] = []
    with pytest.raises(NeedsStreaming):
        for record in read_whole_records(
            io.BytesIO(text.encode()), max_field=100_000, on_progress=None
        ):
            given.append(record)
    assert [getattr(r, "wp_id", None) for r in given if isinstance(r, PostRecord)] == [1]
    # read_wxr goes on from there, each record once.
    found = records(text, max_field=100_000)
    assert [getattr(r, "wp_id", None) for r in found if isinstance(r, PostRecord | BadItem)] == [
        1,
        2,
        3,
    ]
