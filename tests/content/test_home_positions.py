"""Deep home pages seek from a remembered position (``content/home_positions.py``): they
list exactly what the plain walk would, after every kind of change to the articles, and a
scheduled article still appears on time."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content import home_positions
from broadsheet.content.models import Article, ArticleListVersion, SiteSettings, Status
from tests.factories import ArticleFactory
from tests.html import parse_html

PER_PAGE = 2
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two articles a page, and every page after the first remembered."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": PER_PAGE})
    monkeypatch.setattr(home_positions, "REMEMBER_FROM", 1)
    monkeypatch.setattr(home_positions, "POSITIONS", home_positions.Remembered(limit=5_000))
    monkeypatch.setattr(home_positions, "COUNTS", home_positions.Remembered(limit=64))


def shown(page: int) -> list[str]:
    response = Client().get("/" if page == 1 else f"/page/{page}/")
    if response.status_code == 404:
        return []
    assert response.status_code == 200
    document = parse_html(response.content)
    return [title.text.strip() for title in document.find_all("h2", class_="entry-title")]


def expected(page: int) -> list[str]:
    """What the home page's order says page ``page`` holds, from the ORM."""
    ordered = Article.objects.published().order_by("-sticky", "-published_at", "-pk")
    start = (page - 1) * PER_PAGE
    return list(ordered.values_list("title", flat=True)[start : start + PER_PAGE])


def every_page_as_expected() -> None:
    for page in range(2, 7):
        assert shown(page) == expected(page), f"page {page}"


def version() -> int:
    return ArticleListVersion.objects.get(pk=1).version


def test_deep_pages_list_what_the_walk_lists_when_seen_again() -> None:
    ArticleFactory.create_batch(11)
    every_page_as_expected()
    assert home_positions.POSITIONS.found  # the second round seeks
    every_page_as_expected()


def test_every_way_of_changing_the_articles_shows_on_the_next_view() -> None:
    articles = ArticleFactory.create_batch(11)
    every_page_as_expected()

    ArticleFactory(published_at=timezone.now() - dt.timedelta(days=3))  # falls mid-list
    every_page_as_expected()

    articles[3].status = Status.DRAFT  # unpublished through the ORM
    articles[3].save()
    every_page_as_expected()

    Article.objects.filter(pk=articles[5].pk).update(sticky=True)  # no signal, no save()
    every_page_as_expected()

    Article.objects.filter(pk=articles[1].pk).delete()
    every_page_as_expected()

    with connection.cursor() as cursor:  # by hand, as an operator might
        cursor.execute(
            'UPDATE "content_article" SET "status" = %s WHERE "id" = %s',
            [Status.PRIVATE, articles[7].pk],
        )
    every_page_as_expected()


def test_the_database_changes_the_version_only_when_a_list_could_change() -> None:
    article = ArticleFactory()
    before = version()
    article.title = "A new headline"
    article.save()
    assert version() == before  # titles do not move articles between pages
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    moved = version()
    assert moved != before
    ArticleFactory()
    assert version() not in {before, moved}


def test_a_number_from_a_rolled_back_change_never_comes_back() -> None:
    """A worker may remember positions under a number that a transaction set and then rolled
    back; the next change must not land on that number again."""
    ArticleFactory.create_batch(3)
    before = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory()
        abandoned = version()
        raise RuntimeError("roll back")
    assert version() == before
    ArticleFactory()
    assert version() not in {before, abandoned}


def test_a_scheduled_article_moves_the_deep_pages_when_it_comes_due() -> None:
    ArticleFactory.create_batch(7)
    due = timezone.now() + dt.timedelta(seconds=1.5)
    ArticleFactory(title="Embargoed report", status=Status.SCHEDULED, published_at=due)
    every_page_as_expected()  # positions remembered while the report is still embargoed
    assert "Embargoed report" not in shown(1)
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.1)
    assert shown(1)[0] == "Embargoed report"
    every_page_as_expected()  # every later page shifted by one article


def live_articles_in_the_sitemap() -> int:
    response = Client().get("/sitemap-articles.xml")
    assert response.status_code == 200
    return response.content.count(b"<loc>")


def test_the_sitemap_counts_live_articles_once_per_version_and_stays_right() -> None:
    articles = ArticleFactory.create_batch(3)
    Client().get("/sitemap.xml")
    with CaptureQueriesContext(connection) as seen:
        Client().get("/sitemap.xml")
    counts_of_articles = [
        q["sql"]
        for q in seen
        if q["sql"].startswith("SELECT COUNT(*)")
        and 'FROM "content_article"' in q["sql"].split("WHERE")[0]
    ]
    assert counts_of_articles == []  # the second view counts no articles
    assert live_articles_in_the_sitemap() == 3

    Article.objects.filter(pk=articles[0].pk).update(status=Status.DRAFT)
    assert home_positions.live_count() == 2
    ArticleFactory(
        title="Embargoed",
        status=Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(seconds=1),
    )
    assert home_positions.live_count() == 2
    time.sleep(1.1)
    assert home_positions.live_count() == 3
