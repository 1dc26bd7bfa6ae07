"""The index follows the content: every committed save, status change and delete."""

from __future__ import annotations

import datetime as dt
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from broadsheet.content import services
from broadsheet.content.models import Article, SiteSettings, Status
from broadsheet.search.models import SearchDocument
from tests.factories import ArticleFactory, PageFactory
from tests.search.conftest import found_titles, search

pytestmark = pytest.mark.django_db


def test_an_edit_makes_the_new_word_findable_and_the_old_word_gone(committed) -> None:
    article = committed(ArticleFactory, title="Corvette sails", body="Leaving the harbour.")
    article.title, article.body = "Destroyer sails", "Leaving the dockyard."
    committed(article.save)
    assert found_titles("destroyer") == ["Destroyer sails"]
    assert found_titles("dockyard") == ["Destroyer sails"]
    assert found_titles("corvette") == []
    assert found_titles("harbour") == []


def test_unpublishing_removes_an_article_and_publishing_restores_it(committed) -> None:
    article = committed(ArticleFactory, title="Frigate recalled")
    committed(services.unpublish_article, article=article)
    assert found_titles("frigate") == []
    committed(services.publish_article, article=article)
    assert found_titles("frigate") == ["Frigate recalled"]


def test_making_an_article_private_removes_it(committed) -> None:
    article = committed(ArticleFactory, title="Frigate memo")
    article.status = Status.PRIVATE
    committed(article.save)
    assert found_titles("frigate") == []


def test_deleting_an_article_or_a_page_removes_it(committed) -> None:
    article = committed(ArticleFactory, title="Frigate deleted")
    page = committed(PageFactory, title="Frigate page deleted")
    committed(ArticleFactory, title="Frigate kept")
    committed(article.delete)
    committed(page.delete)
    assert found_titles("frigate") == ["Frigate kept"]
    assert SearchDocument.objects.count() == 1


def test_unpublishing_or_editing_a_page_follows_too(committed) -> None:
    page = committed(PageFactory, title="Corrections policy", body="How we correct errors.")
    page.body = "How we fix mistakes."
    committed(page.save)
    assert found_titles("mistakes") == ["Corrections policy"]
    assert found_titles("errors") == []
    page.status = Status.DRAFT
    committed(page.save)
    assert found_titles("mistakes") == []


def test_moving_a_page_changes_the_address_in_results(committed) -> None:
    parent = committed(PageFactory, title="About", slug="about")
    child = committed(PageFactory, title="Ombudsman", slug="ombudsman")
    child.parent = parent
    committed(child.save)
    assert [hit.url for hit in search("ombudsman").hits] == ["/about/ombudsman/"]


def test_a_scheduled_article_is_found_once_its_time_comes(committed) -> None:
    due = (timezone.now() + dt.timedelta(seconds=2)).replace(microsecond=0)
    article = committed(ArticleFactory, title="Frigate embargoed", published_at=due)
    assert article.status == Status.SCHEDULED
    assert found_titles("frigate") == []
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.1)
    assert found_titles("frigate") == ["Frigate embargoed"]


def test_a_change_that_is_rolled_back_leaves_the_index_alone(
    committed, django_capture_on_commit_callbacks
) -> None:
    article = committed(ArticleFactory, title="Frigate original")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            article.title = "Frigate rewritten"
            article.save()
            raise RuntimeError("the editor's request failed")
    assert callbacks == []
    assert found_titles("frigate") == ["Frigate original"]


def test_changing_the_permalink_style_moves_the_addresses_in_results(committed) -> None:
    article = committed(ArticleFactory, title="Frigate moved")
    site, _ = SiteSettings.objects.get_or_create(pk=1)
    site.permalink_style = SiteSettings.Permalink.NUMERIC
    committed(site.save)
    assert [hit.url for hit in search("frigate").hits] == [f"/archives/{article.pk}/"]


def test_saving_site_settings_without_a_new_style_leaves_addresses_alone(
    committed, django_capture_on_commit_callbacks
) -> None:
    committed(ArticleFactory, title="Frigate stays")
    site, _ = SiteSettings.objects.get_or_create(pk=1)
    site.tagline = "New tagline"
    with django_capture_on_commit_callbacks() as callbacks:
        site.save()
    # The page cache purges every page and the kept settings are given up on a settings
    # change; the index has nothing to do.
    assert callbacks, "the settings change left nothing to do after the commit"
    modules = {getattr(getattr(c, "func", c), "__module__", "") for c in callbacks}  # partials
    assert not any(module.startswith("broadsheet.search") for module in modules), modules


def test_reindex_rebuilds_the_index_and_prints_counts() -> None:
    # Created without committing: the hooks never ran, as after a raw-SQL import.
    ArticleFactory(title="Frigate one")
    ArticleFactory(title="Frigate two")
    ArticleFactory(title="Frigate draft", status=Status.DRAFT)
    PageFactory(title="Frigate page")
    SearchDocument.objects.create(kind="article", object_id=999_999, title="Stale", url="/x/")
    assert found_titles("frigate") == []
    output = StringIO()
    call_command("search", "reindex", stdout=output)
    assert output.getvalue().startswith("Indexed 2 articles and 1 page (")
    assert sorted(found_titles("frigate")) == ["Frigate one", "Frigate page", "Frigate two"]
    assert found_titles("stale") == []


def test_reindex_is_idempotent(committed) -> None:
    committed(ArticleFactory, title="Frigate again")
    for _ in range(2):
        call_command("search", "reindex", stdout=StringIO())
    assert found_titles("frigate") == ["Frigate again"]
    assert SearchDocument.objects.count() == Article.objects.count() == 1
