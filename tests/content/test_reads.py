"""The article page's SQL reads give what the ORM gives: the same article with the same field
values (aware times, dates, booleans), terms in the models' orders, the same neighbours."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from broadsheet.content import reads
from broadsheet.content.models import Article, Status
from broadsheet.content.related import related_and_neighbours
from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def fields_of(instance: Model) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_each_address_shape_finds_the_article_the_orm_finds_with_equal_fields() -> None:
    article = ArticleFactory(
        title="Frigates, again",
        sticky=True,
        comments_open=False,
        categories=[CategoryFactory(name="Navy")],
        tags=[TagFactory(name="zebra"), TagFactory(name="alpha")],
    )
    expected = Article.objects.select_related("author").get(pk=article.pk)
    day = article.published_on
    for found in (
        reads.article_on_day(day, article.slug),
        reads.article_in_month(day.year, day.month, article.slug),
        reads.article_by_id(article.pk),
        reads.dated_article_by_slug(article.slug),
    ):
        assert found is not None
        assert fields_of(found) == fields_of(expected)
        assert found.published_at.tzinfo is not None
        assert fields_of(found.author) == fields_of(expected.author)
        assert found.tag_list == list(expected.tags.all())  # by name: alpha, zebra
        assert [t.name for t in found.tag_list] == ["alpha", "zebra"]
        assert found.category_list == list(expected.categories.all())


def test_an_address_that_names_nothing_finds_nothing() -> None:
    article = ArticleFactory()
    day = article.published_on
    assert reads.article_on_day(day - dt.timedelta(days=1), article.slug) is None
    assert reads.article_on_day(day, "no-such-slug") is None
    assert reads.article_by_id(article.pk + 1000) is None
    assert reads.article_by_id(2**70) is None  # larger than any database integer


def test_a_numeric_address_too_large_for_the_database_is_404_not_500(client) -> None:
    assert client.get(f"/archives/{2**70}/").status_code == 404


def test_neighbours_are_the_published_articles_either_side_in_time() -> None:
    now = timezone.now()
    oldest = ArticleFactory(published_at=now - dt.timedelta(days=5))
    ArticleFactory(published_at=now - dt.timedelta(days=4), status=Status.DRAFT)
    middle = ArticleFactory(published_at=now - dt.timedelta(days=3))
    ArticleFactory(published_at=now - dt.timedelta(days=2), status=Status.PRIVATE)
    newest = ArticleFactory(published_at=now - dt.timedelta(days=1))
    scheduled = ArticleFactory(published_at=now + dt.timedelta(days=1))
    assert scheduled.status == Status.SCHEDULED

    def pks(article: Article) -> tuple[int | None, int | None]:
        found = reads.around(article)
        return tuple(a.pk if a else None for a in (found.previous, found.next))  # type: ignore[return-value]

    assert pks(middle) == (oldest.pk, newest.pk)
    assert pks(oldest) == (None, middle.pk)
    assert pks(newest) == (middle.pk, None)  # not the scheduled one
    # An editor's preview of the scheduled article: everything live comes before it.
    assert pks(scheduled) == (newest.pk, None)
    previous = reads.around(middle).previous
    assert (
        previous.title == oldest.title and previous.get_absolute_url() == oldest.get_absolute_url()
    )


def test_related_articles_share_the_most_terms_and_are_published() -> None:
    navy, army = CategoryFactory(), CategoryFactory()
    frigates, budget = TagFactory(), TagFactory()
    article = ArticleFactory(title="Frigate budget", categories=[navy], tags=[frigates, budget])
    both_tags = ArticleFactory(
        title="Budget for frigates", categories=[army], tags=[frigates, budget]
    )
    everything = ArticleFactory(
        title="Navy frigate budget", categories=[navy], tags=[frigates, budget]
    )
    one_tag = ArticleFactory(title="Frigate news", tags=[frigates])
    ArticleFactory(
        title="Draft frigate", categories=[navy], tags=[frigates, budget], status=Status.DRAFT
    )
    ArticleFactory(title="Unrelated", categories=[army])
    ArticleFactory(
        title="Tomorrow",
        categories=[navy],
        tags=[frigates, budget],
        published_at=timezone.now() + dt.timedelta(hours=2),
    )
    article = reads.article_by_id(article.pk)
    assert [a.pk for a in related_and_neighbours(article)[0]] == [
        everything.pk,
        both_tags.pk,
        one_tag.pk,
    ]


def test_an_article_without_terms_has_no_related_articles() -> None:
    ArticleFactory()
    assert related_and_neighbours(reads.article_by_id(ArticleFactory().pk))[0] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_on_postgresql_repeated_statements_are_prepared_not_planned_each_time(client) -> None:
    article = ArticleFactory(tags=[TagFactory()], categories=[CategoryFactory()])
    for _ in range(7):
        assert reads.article_by_id(article.pk) is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "content_article" "a"' in statement for statement in prepared)


@pytest.mark.parametrize(("switch", "prepared"), [("on", True), ("off", False)])
def test_prepared_statements_can_be_switched_off_for_poolers(switch: str, prepared: bool) -> None:
    environ = {
        **os.environ,
        "DATABASE_URL": "postgres://someone@db.invalid:5432/news",
        "BROADSHEET_DB_PREPARED": switch,
    }
    shown = subprocess.run(
        [sys.executable, "-c", "from broadsheet import settings; "
         "print(settings.DATABASES['default'].get('OPTIONS', {}))"],
        env=environ, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert ("'prepare_threshold': 5" in shown) is prepared
    assert ("'server_side_binding': True" in shown) is prepared


def test_loaded_instances_behave_as_the_orms_and_init_listeners_still_hear_them() -> None:
    """``Columns.load_all`` fills new instances directly unless a model's init signals have
    listeners: both ways an instance saves, reports its deferred fields and hears them."""
    from django.db.models.signals import post_init

    article = ArticleFactory(title="Frigates, again")
    [listed] = reads.listed_articles([article.pk], full_text=False)
    assert not listed._state.adding and listed._state.db == "default"
    assert listed.get_deferred_fields() == {"body", "excerpt", "body_html"}
    assert listed.body == article.body  # a deferred field loads on access, as with .only()
    listed.title = "Frigates, once more"
    listed.save(update_fields=["title"])
    assert Article.objects.get(pk=article.pk).title == "Frigates, once more"

    heard = []

    def hear(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(instance.pk)

    post_init.connect(hear, sender=Article)
    try:
        [again] = reads.listed_articles([article.pk], full_text=False)
    finally:
        post_init.disconnect(hear, sender=Article)
    assert heard == [article.pk]
    assert fields_of(again) == fields_of(listed)  # every field, the deferred ones loaded
