"""The list pages' summaries are rendered once per process and remembered
(``content/summaries.py``): a reader must still see every change to what a summary prints.
The page cache is off here, so only the remembered summaries stand between an edit and the
page."""

from __future__ import annotations

import pytest

from broadsheet.content import summaries
from broadsheet.content.models import SiteSettings
from broadsheet.content.site import load_site_settings
from tests.factories import ArticleFactory, CategoryFactory
from tests.html import parse_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def summary_of(client, path: str = "/"):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    [entry] = parse_html(response.content).find_all("article", class_="entry")
    return entry


def title_link(client) -> str | None:  # type: ignore[no-untyped-def]
    return summary_of(client).find("h2").find("a").attrs["href"]


def change_settings(**values: object) -> None:
    site = load_site_settings()
    for name, value in values.items():
        setattr(site, name, value)
    site.save()


def byline_links(client) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    byline = summary_of(client).find("p", class_="byline")
    return {link.text.strip(): link.attrs["href"] for link in byline.find_all("a")}


def test_a_summary_shows_every_edit_of_the_article_its_author_and_categories(client) -> None:
    category = CategoryFactory(name="Defence", slug="defence")
    article = ArticleFactory(title="Talks in Moscow", categories=[category])
    first = summary_of(client)
    assert first.find("h2").text.strip() == "Talks in Moscow"
    assert summary_of(client) == first  # the remembered one, unchanged

    article.author.display_name = "Anna Reporter"
    article.author.save()
    assert byline_links(client)["Anna Reporter"] == article.author.get_absolute_url()

    category.name, category.slug = "Defence and security", "defence-security"
    category.save()
    assert byline_links(client)["Defence and security"] == "/category/defence-security/"

    article.title = "Talks in Moscow end"
    article.body = "A new first paragraph."
    article.sticky = True
    article.save()
    entry = summary_of(client)
    assert entry.find("h2").text.strip() == "Talks in Moscow end"
    assert entry.find("p", class_="entry-flag").text == "Featured"
    assert entry.find("p", class_="entry-summary").text.strip() == "A new first paragraph."

    article.sticky = False
    article.save()
    assert summary_of(client).find_all("p", class_="entry-flag") == []


def test_a_summary_follows_the_permalink_style_and_whole_text_setting(client) -> None:
    article = ArticleFactory(title="Security cooperation", body="The whole **story**.")
    day = article.published_on
    summary_of(client)  # remembered under the default style

    change_settings(permalink_style=SiteSettings.Permalink.NUMERIC)
    assert title_link(client) == f"/archives/{article.pk}/"

    change_settings(permalink_style=SiteSettings.Permalink.DAY_AND_NAME)
    assert title_link(client) == (f"/{day:%Y}/{day:%m}/{day:%d}/{article.slug}/")

    change_settings(home_shows=SiteSettings.HomeShows.FULL)
    assert summary_of(client).find("div", class_="entry-content").find("strong").text == "story"
    article.body = "A corrected **account**."
    article.save()
    assert summary_of(client).find("div", class_="entry-content").find("strong").text == "account"


def test_remembered_summaries_stay_bounded(client, monkeypatch) -> None:
    monkeypatch.setattr(summaries, "MAX_RENDERED", 3)
    summaries.RENDERED.clear()
    for number in range(5):
        ArticleFactory(title=f"Report {number}")
        client.get("/")
        assert len(summaries.RENDERED) <= 3
