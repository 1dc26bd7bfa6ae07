"""What each change purges, as plain functions: no database, no requests."""

from __future__ import annotations

import datetime as dt

from broadsheet.pagecache import tags
from broadsheet.pagecache.tags import ArticleState, PageState

WHEN = dt.datetime(2026, 3, 7, 9, 30, tzinfo=dt.UTC)


def published(**changes: object) -> ArticleState:
    fields: dict[str, object] = {
        "pk": 42,
        "listed": True,
        "published_at": WHEN,
        "published_on": WHEN.date(),
        "author_id": 2,
        "title": "Frigates late",
        "summary": "The programme slips.",
        "category_ids": frozenset({7}),
        "tag_ids": frozenset({3}),
    }
    return ArticleState(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_published_article_is_in_every_list_it_belongs_to() -> None:
    assert tags.lists_of(published()) == {
        "list:home",
        "list:sitemap",
        "list:search",
        "comments",
        "list:author:2",
        "list:category:7",
        "list:tag:3",
        "list:date:2026",
        "list:date:2026-03",
        "list:date:2026-03-07",
    }


def test_a_draft_is_in_no_list() -> None:
    assert tags.lists_of(published(listed=False)) == set()


def test_a_wording_change_purges_the_article_search_and_sitemap_only() -> None:
    purged = tags.for_article_change(published(), published(), neighbour_ids=[41, 43])
    assert purged == {"article:42", "list:search", "list:sitemap"}


def test_publishing_purges_every_list_it_joins_and_its_neighbours() -> None:
    purged = tags.for_article_change(published(listed=False), published(), [41, 43])
    assert purged >= tags.lists_of(published()) | {
        "article:42",
        "article-page:41",
        "article-page:43",
    }


def test_moving_to_another_category_purges_the_old_and_the_new() -> None:
    old, new = published(), published(category_ids=frozenset({8}))
    purged = tags.for_article_change(old, new)
    assert {"list:category:7", "list:category:8"} <= purged


def test_a_new_time_purges_the_old_and_new_date_archives() -> None:
    later = WHEN + dt.timedelta(days=40)
    purged = tags.for_article_change(
        published(), published(published_at=later, published_on=later.date())
    )
    assert {"list:date:2026-03-07", "list:date:2026-04-16", "list:date:2026-03"} <= purged


def test_editing_a_draft_touches_no_list() -> None:
    assert tags.for_article_change(published(listed=False), published(listed=False, title="x")) == {
        "article:42"
    }


def test_deleting_a_published_article_purges_its_lists() -> None:
    assert tags.for_article_change(published(), None) >= tags.lists_of(published())


def test_terms_added_to_a_live_article_purge_their_lists() -> None:
    assert tags.for_article_terms(42, True, "tag", [3, 4]) >= {"list:tag:3", "list:tag:4"}
    assert tags.for_article_terms(42, False, "tag", [3]) == {"article:42"}


def test_renaming_a_term_purges_its_list_and_its_articles() -> None:
    assert tags.for_term_change("category", 7, [1, 2]) == {
        "list:category:7",
        "list:sitemap",
        "article:1",
        "article:2",
    }


def test_a_menu_page_purges_the_whole_site_and_a_nested_page_only_itself() -> None:
    menu = PageState(pk=5, published=True, in_menu=True)
    nested = PageState(pk=6, published=True, in_menu=False)
    assert "site" in tags.for_page_change(menu, menu)
    assert tags.for_page_change(nested, nested) == {"page:6", "list:sitemap", "list:search"}
    assert "site" in tags.for_page_change(menu, PageState(pk=5, published=False, in_menu=False))


def test_a_comment_purges_its_article_comments_and_the_comment_feeds() -> None:
    assert tags.for_comment_change(42) == {"comments:article:42", "comments"}


def test_date_list_names() -> None:
    assert tags.date_list(2026) == "list:date:2026"
    assert tags.date_list(2026, 3) == "list:date:2026-03"
    assert tags.date_list(2026, 3, 7) == "list:date:2026-03-07"
