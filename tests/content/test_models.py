from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from broadsheet.content import services
from broadsheet.content.models import Article, Status
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_title_and_kept_readable_in_other_scripts() -> None:
    article = ArticleFactory(title="Выборы в Калининграде", slug="")
    assert article.slug == "выборы-в-калининграде"


def test_two_articles_with_one_title_on_the_same_day_get_distinct_slugs() -> None:
    moment = timezone.now() - dt.timedelta(hours=2)
    first = ArticleFactory(title="Defence review published", slug="", published_at=moment)
    second = ArticleFactory(title="Defence review published", slug="", published_at=moment)
    assert (first.slug, second.slug) == ("defence-review-published", "defence-review-published-2")


def test_the_same_slug_on_different_days_is_allowed() -> None:
    first = ArticleFactory(slug="briefing", published_at=timezone.now() - dt.timedelta(days=3))
    second = ArticleFactory(slug="briefing", published_at=timezone.now() - dt.timedelta(days=2))
    assert first.slug == second.slug == "briefing"


def test_a_future_publish_time_schedules_the_article_and_hides_it_until_then() -> None:
    article = ArticleFactory(published_at=timezone.now() + dt.timedelta(hours=1))
    assert article.status == Status.SCHEDULED
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_scheduled_article_appears_when_its_time_comes_without_any_job() -> None:
    article = ArticleFactory(published_at=timezone.now() + dt.timedelta(hours=1))
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_drafts_and_private_articles_are_not_published() -> None:
    draft = ArticleFactory(status=Status.DRAFT)
    private = ArticleFactory(status=Status.PRIVATE)
    published = set(Article.objects.published().values_list("pk", flat=True))
    assert draft.pk not in published and private.pk not in published


def test_body_is_rendered_and_stored_on_save() -> None:
    article = ArticleFactory(body="Some *emphasis* here.")
    assert Article.objects.get(pk=article.pk).body_html == "<p>Some <em>emphasis</em> here.</p>\n"


def test_html_format_is_sanitized_too() -> None:
    article = ArticleFactory(body_format="html", body='<p onclick="x()">Hi<script>x()</script></p>')
    assert article.body_html == "<p>Hi</p>"


def test_unicode_round_trips_byte_for_byte() -> None:
    title = "“Ceasefire” talks — ‘cautious’ optimism © 2026: Київ, 東京, القاهرة"
    article = ArticleFactory(title=title, body=title)
    stored = Article.objects.get(pk=article.pk)
    assert stored.title.encode() == title.encode()
    assert stored.body.encode() == title.encode()


def test_every_save_keeps_a_revision_and_restoring_one_brings_the_words_back() -> None:
    article = ArticleFactory(title="First headline", body="First text.")
    article.title, article.body = "Second headline", "Second text."
    article.save()
    first = article.revisions.order_by("saved_at", "pk").first()
    assert article.revisions.count() == 2
    services.restore_revision(first)
    article.refresh_from_db()
    assert (article.title, article.body) == ("First headline", "First text.")
    assert article.revisions.count() == 3


def test_excerpt_wins_over_the_opening_words_for_the_summary() -> None:
    assert ArticleFactory(excerpt="A *short* standfirst.").summary == "A short standfirst."
    assert ArticleFactory(excerpt="", body="Opening words here.").summary == "Opening words here."


def test_nested_categories_and_pages_have_paths_that_follow_their_parents() -> None:
    defence = CategoryFactory(slug="defence")
    procurement = CategoryFactory(slug="procurement", parent=defence)
    about = PageFactory(slug="about")
    team = PageFactory(slug="team", parent=about)
    assert procurement.get_absolute_url() == "/category/defence/procurement/"
    assert team.get_absolute_url() == "/about/team/"
    about.slug = "who-we-are"
    about.save()
    services.refresh_descendant_paths(about)
    team.refresh_from_db()
    assert team.get_absolute_url() == "/who-we-are/team/"


def test_publishing_now_and_scheduling_through_the_service() -> None:
    draft = ArticleFactory(status=Status.DRAFT, published_at=None, author=AuthorFactory())
    services.publish_article(draft)
    assert draft.status == Status.PUBLISHED and draft.is_live
    later = ArticleFactory(status=Status.DRAFT, published_at=None)
    services.publish_article(later, when=timezone.now() + dt.timedelta(days=1))
    assert later.status == Status.SCHEDULED and not later.is_live
