from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.models import Article, SiteSettings, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    PageFactory,
    TagFactory,
    UserFactory,
)
from tests.html import parse_html

pytestmark = pytest.mark.django_db


@dataclass
class Outline:
    """The parts of a page a reader notices: headings, article titles, links, times."""

    h1: list[str]
    entry_titles: list[str]
    links: dict[str, str | None]
    times: list[str | None]


def outline(response) -> Outline:  # type: ignore[no-untyped-def]
    document = parse_html(response.content)
    return Outline(
        h1=[heading.text.strip() for heading in document.find_all("h1")],
        entry_titles=[
            title.text.strip() for title in document.find_all("h2", class_="entry-title")
        ],
        links={link.text.strip(): link.attrs.get("href") for link in document.find_all("a")},
        times=[time.attrs.get("datetime") for time in document.find_all("time")],
    )


def test_home_lists_newest_first_with_sticky_articles_on_top(client) -> None:
    now = timezone.now()
    ArticleFactory(title="Oldest", published_at=now - dt.timedelta(days=3))
    ArticleFactory(title="Sticky but old", published_at=now - dt.timedelta(days=9), sticky=True)
    ArticleFactory(title="Newest", published_at=now - dt.timedelta(hours=1))
    ArticleFactory(title="Still a draft", status=Status.DRAFT)
    ArticleFactory(title="Tomorrow's news", published_at=now + dt.timedelta(days=1))
    response = client.get("/")
    assert response.status_code == 200
    assert outline(response).entry_titles == ["Sticky but old", "Newest", "Oldest"]


def test_home_paginates_at_the_configured_size_and_404s_past_the_end(client) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": 2})
    for number in range(5):
        ArticleFactory(
            title=f"Story {number}", published_at=timezone.now() - dt.timedelta(hours=number + 1)
        )
    assert outline(client.get("/")).entry_titles == ["Story 0", "Story 1"]
    assert outline(client.get("/page/3/")).entry_titles == ["Story 4"]
    assert client.get("/page/4/").status_code == 404
    assert client.get("/page/0/").status_code == 404
    first_page = client.get("/page/1/")
    assert (first_page.status_code, first_page["Location"]) == (301, "/")


def test_empty_site_home_says_nothing_is_published_rather_than_404(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing has been published yet." in response.content.decode()


def test_article_page_has_byline_time_terms_body_and_neighbours(client) -> None:
    author = AuthorFactory(display_name="Helen Walker", slug="hwalker")
    defence = CategoryFactory(name="Defence", slug="defence")
    navy = TagFactory(name="Navy", slug="navy")
    now = timezone.now()
    older = ArticleFactory(title="Older story", published_at=now - dt.timedelta(days=2))
    article = ArticleFactory(
        title="Frigates ordered",
        body="Full body text.\n\n## The contract\n\nDetails.",
        author=author,
        categories=[defence],
        tags=[navy],
        published_at=now - dt.timedelta(days=1),
    )
    newer = ArticleFactory(title="Newer story", published_at=now - dt.timedelta(hours=1))
    response = client.get(article.get_absolute_url())
    page = outline(response)
    assert response.status_code == 200
    assert page.h1 == ["Frigates ordered"]
    assert page.links["Helen Walker"] == "/author/hwalker/"
    assert page.links["Defence"] == "/category/defence/"
    assert page.links["Navy"] == "/tag/navy/"
    assert page.links["Older story"] == older.get_absolute_url()
    assert page.links["Newer story"] == newer.get_absolute_url()
    assert dt.datetime.fromisoformat(page.times[0]) == article.published_at
    assert '<h2 id="the-contract">The contract</h2>' in response.content.decode()


def test_article_url_is_wordpress_day_and_name(client) -> None:
    article = ArticleFactory(
        slug="talks", published_at=dt.datetime(2026, 3, 7, 9, 30, tzinfo=dt.UTC)
    )
    assert article.get_absolute_url() == "/2026/03/07/talks/"
    assert client.get("/2026/03/07/talks/").status_code == 200
    assert client.get("/2026/03/08/talks/").status_code == 404
    assert client.get("/2026/02/30/talks/").status_code == 404


def test_drafts_and_scheduled_articles_are_404_for_visitors(client) -> None:
    draft = ArticleFactory(status=Status.DRAFT, published_at=timezone.now() - dt.timedelta(days=1))
    scheduled = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_editors_can_preview_unpublished_articles(client) -> None:
    draft = ArticleFactory(status=Status.DRAFT, published_at=None, title="Work in progress")
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is draft and not public." in response.content.decode()


def test_private_articles_are_for_signed_in_staff_only(client) -> None:
    private = ArticleFactory(status=Status.PRIVATE, title="Internal memo")
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(private.get_absolute_url()).status_code == 200


def test_other_permalink_forms_redirect_permanently_to_the_chosen_one(client) -> None:
    article = ArticleFactory(
        slug="talks", published_at=dt.datetime(2026, 3, 7, 9, 30, tzinfo=dt.UTC)
    )
    by_id = client.get(f"/archives/{article.pk}/")
    assert (by_id.status_code, by_id["Location"]) == (301, "/2026/03/07/talks/")
    by_month = client.get("/2026/03/talks/")
    assert (by_month.status_code, by_month["Location"]) == (301, "/2026/03/07/talks/")
    SiteSettings.objects.update_or_create(pk=1, defaults={"permalink_style": "post-name"})
    old = client.get("/2026/03/07/talks/")
    assert (old.status_code, old["Location"]) == (301, "/talks/")
    assert client.get("/talks/").status_code == 200


@pytest.mark.parametrize(
    ("make_url", "heading"),
    [
        (
            lambda: CategoryFactory(name="Defence", slug="defence").get_absolute_url(),
            "Category: Defence",
        ),
        (lambda: TagFactory(name="NATO", slug="nato").get_absolute_url(), "Tag: NATO"),
        (
            lambda: AuthorFactory(display_name="Daniel Okafor", slug="dokafor").get_absolute_url(),
            "Articles by Daniel Okafor",
        ),
        (lambda: "/2026/", "Year: 2026"),
        (lambda: "/2026/03/", "Month: March 2026"),
        (lambda: "/2026/03/07/", "Day: 7 March 2026"),
    ],
    ids=["category", "tag", "author", "year", "month", "day"],
)
def test_archive_headings_say_what_the_archive_is(client, make_url, heading) -> None:
    response = client.get(make_url())
    assert response.status_code == 200
    assert outline(response).h1 == [heading]


def test_archives_list_only_their_own_articles_and_paginate(client) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": 2})
    defence = CategoryFactory(name="Defence", slug="defence")
    procurement = CategoryFactory(name="Procurement", slug="procurement", parent=defence)
    march = dt.datetime(2026, 3, 7, 9, 0, tzinfo=dt.UTC)
    for number in range(3):
        ArticleFactory(
            title=f"Buying {number}",
            categories=[procurement],
            published_at=march - dt.timedelta(days=number),
        )
    ArticleFactory(title="Elsewhere", published_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert outline(client.get("/category/defence/procurement/")).entry_titles == [
        "Buying 0",
        "Buying 1",
    ]
    assert outline(client.get("/category/defence/procurement/page/2/")).entry_titles == ["Buying 2"]
    assert client.get("/category/defence/procurement/page/3/").status_code == 404
    assert outline(client.get("/2026/03/")).entry_titles == ["Buying 0", "Buying 1"]
    assert outline(client.get("/2026/03/page/2/")).entry_titles == ["Buying 2"]
    assert outline(client.get("/2025/")).entry_titles == ["Elsewhere"]
    assert client.get("/category/defence/nope/").status_code == 404
    assert client.get("/2026/13/").status_code == 404


def test_pages_nest_and_drafts_stay_hidden(client) -> None:
    about = PageFactory(title="About", slug="about")
    PageFactory(title="Editorial standards", slug="editorial-standards", parent=about)
    PageFactory(title="Unfinished", slug="unfinished", status=Status.DRAFT)
    assert outline(client.get("/about/")).h1 == ["About"]
    assert outline(client.get("/about/editorial-standards/")).h1 == ["Editorial standards"]
    assert client.get("/editorial-standards/").status_code == 404
    assert client.get("/unfinished/").status_code == 404


def test_unknown_urls_get_the_designed_404_page(client) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"title": "The Military Army Blog"})
    response = client.get("/no/such/thing/")
    body = response.content.decode()
    assert response.status_code == 404
    assert outline(response).h1 == ["Page not found"]
    assert "The Military Army Blog" in body and 'href="/"' in body


def test_a_crash_shows_the_designed_500_page_and_no_traceback(client, monkeypatch) -> None:
    from broadsheet.content import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "render_listing", explode)
    client.raise_request_exception = False
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_every_response_carries_a_strict_content_security_policy(client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def _queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("no_page_cache")  # counts the rendering's queries
def test_home_and_archive_query_counts_do_not_grow_with_the_number_of_articles(client) -> None:
    defence = CategoryFactory(slug="defence")
    nato = TagFactory(slug="nato")
    author = AuthorFactory(slug="writer")
    PageFactory(slug="about")
    for _ in range(3):
        ArticleFactory(author=author, categories=[defence], tags=[nato])
    urls = ["/", "/category/defence/", "/tag/nato/", "/author/writer/"]
    client.get("/")  # the very first request creates the site settings row
    few = {url: _queries_for(client, url) for url in urls}
    for _ in range(30):
        ArticleFactory(
            author=author, categories=[defence, CategoryFactory()], tags=[nato, TagFactory()]
        )
    many = {url: _queries_for(client, url) for url in urls}
    assert many == few


@pytest.mark.usefixtures("no_page_cache")  # counts the rendering's queries
def test_article_query_count_does_not_grow_with_terms_or_site_size(client) -> None:
    article = ArticleFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    client.get(article.get_absolute_url())  # the first request creates the settings rows
    few = _queries_for(client, article.get_absolute_url())
    article.categories.add(*[CategoryFactory() for _ in range(5)])
    article.tags.add(*[TagFactory() for _ in range(5)])
    for _ in range(20):
        ArticleFactory()
    assert _queries_for(client, article.get_absolute_url()) == few


def test_favicon_ico_redirects_to_the_sites_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200


def _sql_for(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.usefixtures("no_page_cache")  # looks at the rendering's queries
def test_list_pages_never_count_every_article(client) -> None:
    """Older/newer links come from one row more than the page shows, not from COUNT(*)."""
    defence = CategoryFactory(slug="defence")
    articles = [ArticleFactory(categories=[defence]) for _ in range(12)]
    year = timezone.localdate(articles[0].published_at).year
    for url in ["/", "/page/2/", "/category/defence/", f"/{year}/"]:
        counting = [sql for sql in _sql_for(client, url) if "COUNT(" in sql.upper()]
        # A category page may count its own links (to choose a query shape), never articles.
        assert all("content_article_categories" in sql for sql in counting), counting
    page = parse_html(client.get("/").content)
    assert page.find("a", class_="pagination-older").attrs["href"] == "/page/2/"
    assert client.get("/page/3/").status_code == 404  # 12 articles, 10 a page


@pytest.mark.parametrize("sort_cost", [0, 10**9], ids=["sorted-by-join", "walked-by-index"])
def test_a_term_list_is_the_same_whichever_query_shape_serves_it(
    sort_cost: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from broadsheet.content import term_lists

    monkeypatch.setattr(term_lists, "SORT_COST", sort_cost)
    defence, other = CategoryFactory(), CategoryFactory()
    filed = [ArticleFactory(categories=[defence]) for _ in range(5)]
    ArticleFactory(categories=[other])
    ArticleFactory(categories=[defence], status="draft")
    articles = term_lists.filed_under(
        Article.objects.published().newest_first(), "categories", defence.pk, rows_needed=11
    )
    expected = sorted(filed, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert list(articles) == expected


def test_the_shape_is_chosen_from_the_terms_links_and_the_newest_article() -> None:
    from broadsheet.content import term_lists

    table = Article.categories.through._meta.db_table
    defence, empty = CategoryFactory(), CategoryFactory()
    count = partial(term_lists.link_count_and_newest, table, "category_id", rows_needed=10**6)
    assert count(defence.pk) == (0, 0)
    filed = [ArticleFactory(categories=[defence]) for _ in range(3)]
    draft = ArticleFactory(categories=[defence], status="draft")  # a link all the same
    newest = ArticleFactory().pk
    assert count(defence.pk) == (4, newest)
    assert count(empty.pk) == (0, newest)
    assert newest > max(a.pk for a in [*filed, draft])


def _walks(rows_needed: int, linked: int, newest: int) -> bool:
    from broadsheet.content.term_lists import SORT_COST

    return bool(linked) and rows_needed * newest / linked < SORT_COST * linked


def test_a_count_stopped_early_chooses_and_finds_what_the_full_count_does() -> None:
    """PostgreSQL stops counting one past the threshold that decides the shape."""
    from broadsheet.content.term_lists import filed_under, link_count_and_newest

    common, rare = CategoryFactory(), CategoryFactory()
    for number in range(40):
        ArticleFactory(categories=[common] + ([rare] if number in {3, 30} else []))
    ArticleFactory.create_batch(5)  # in neither
    newest = Article.objects.order_by("-pk").first().pk
    through = Article.categories.through
    for category in (common, rare):
        full_count = through.objects.filter(category=category).count()
        expected = list(
            Article.objects.published()
            .filter(categories=category)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)
        )
        for rows_needed in (1, 11, 21, 1_000):
            linked, found_newest = link_count_and_newest(
                through._meta.db_table, "category_id", category.pk, rows_needed
            )
            assert found_newest == newest
            assert linked <= full_count
            assert _walks(rows_needed, linked, newest) == _walks(rows_needed, full_count, newest)
            articles = filed_under(
                Article.objects.published(), "categories", category.pk, rows_needed
            )
            walked = "EXISTS" in str(articles.query)
            assert walked == _walks(rows_needed, full_count, newest)
            found = articles.order_by("-published_at", "-pk").values_list("pk", flat=True)
            assert list(found) == expected


def test_published_before_a_moment_never_shows_what_is_not_out_yet() -> None:
    now = timezone.now()
    older = ArticleFactory(published_at=now - dt.timedelta(days=2))
    newer = ArticleFactory(published_at=now - dt.timedelta(days=1))
    ArticleFactory(status=Status.SCHEDULED, published_at=now + dt.timedelta(days=1))
    assert list(Article.objects.published(before=newer.published_at)) == [older]
    later = now + dt.timedelta(days=3)  # a bound in the future still stops at now
    assert set(Article.objects.published(before=later)) == {older, newer}


def test_a_byline_reads_as_a_sentence_on_lists_and_on_the_article(client) -> None:
    when = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))
    article = ArticleFactory(
        author=AuthorFactory(display_name="Ada Reporter"),
        published_at=when,
        categories=[
            CategoryFactory(name="Navy", slug="navy"),
            CategoryFactory(name="Army", slug="army"),
        ],
    )
    for url in ("/", article.get_absolute_url()):
        byline = parse_html(client.get(url).content).find("p", class_="byline")
        words = " ".join(byline.text.split())
        assert words == "By Ada Reporter · 4 March 2026 · in Army, Navy", url  # by path


HUGE_NUMBERS = ["99999999999999999999", "9223372036854775808", "9223372036854775807", "0"]
NUMBERED_ADDRESSES = [
    "/page/{n}/",
    "/category/news/page/{n}/",
    "/tag/nato/page/{n}/",
    "/author/dokafor/page/{n}/",
    "/2026/page/{n}/",
    "/2026/03/page/{n}/",
    "/2026/03/07/page/{n}/",
    "/2026/03/07/frigates/comment-page-{n}/",
    "/archives/{n}/",
    "/search/page/{n}/?q=frigates",
    "/2026/03/07/frigates/?replytocom={n}",
    "/?p={n}",
    "/?page_id={n}",
    "/?cat={n}",
    "/?author={n}",
    "/?attachment_id={n}",
    "/?m={n}",
]


@pytest.fixture
def numbered_site(db) -> None:
    """Something behind every numbered address, so that only the number can be wrong."""
    march = dt.datetime(2026, 3, 7, 9, 0, tzinfo=dt.UTC)
    news = CategoryFactory(name="News", slug="news")
    nato = TagFactory(name="NATO", slug="nato")
    author = AuthorFactory(display_name="Daniel Okafor", slug="dokafor")
    ArticleFactory(
        slug="frigates", published_at=march, categories=[news], tags=[nato], author=author
    )


@pytest.mark.parametrize("number", HUGE_NUMBERS + ["-1", "١٢", "²", "1e3", "%20%201"])
@pytest.mark.parametrize("address", NUMBERED_ADDRESSES)
def test_an_impossible_number_in_an_address_is_not_found_never_a_server_error(
    client, numbered_site, address: str, number: str
) -> None:
    client.raise_request_exception = False
    response = client.get(address.format(n=number))
    if address.startswith("/?") or "replytocom" in address:
        # The query is ignored (the page itself) or not an old address: never an error page.
        assert response.status_code in {200, 404}, response.status_code
    else:
        assert response.status_code == 404, response.status_code
