"""The search page as a reader meets it, on whichever database the suite runs on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content.models import Format, SiteSettings, Status
from tests.factories import ArticleFactory, PageFactory
from tests.html import Element, parse_html
from tests.search.conftest import found_titles

pytestmark = pytest.mark.django_db


def entry_titles(document: Element) -> list[str]:
    return [title.text.strip() for title in document.find_all("h2", class_="entry-title")]


def count_line(document: Element) -> str:
    return document.find("p", class_="search-count").text.strip()


def test_a_title_match_outranks_a_body_only_match(client, committed) -> None:
    committed(
        ArticleFactory,
        title="Navy news in brief",
        body="The frigate left port. The frigate returned. A frigate again.",
    )
    committed(ArticleFactory, title="Frigate trials begin", body="Sea trials started today.")
    committed(ArticleFactory, title="Army news", body="Nothing about ships.")
    document = parse_html(client.get("/search/", {"q": "frigate"}).content)
    assert entry_titles(document) == ["Frigate trials begin", "Navy news in brief"]


def test_every_word_must_be_found(committed) -> None:
    committed(ArticleFactory, title="Frigate trials", body="In the Baltic sea.")
    committed(ArticleFactory, title="Frigate launch", body="In the North Sea.")
    assert found_titles("frigate baltic") == ["Frigate trials"]


def test_a_quoted_phrase_matches_only_those_words_together(committed) -> None:
    committed(ArticleFactory, title="One", body="The annual naval manoeuvres were held.")
    committed(ArticleFactory, title="Two", body="Manoeuvres that are annual, and naval.")
    assert found_titles('"naval manoeuvres"') == ["One"]
    assert sorted(found_titles("naval manoeuvres")) == ["One", "Two"]


def test_a_minus_sign_leaves_out_what_contains_the_word(committed) -> None:
    committed(ArticleFactory, title="Frigates and submarines", body="Fleet review.")
    committed(ArticleFactory, title="Frigates alone", body="Fleet review.")
    assert found_titles("fleet -submarines") == ["Frigates alone"]
    assert found_titles('fleet -"frigates alone"') == ["Frigates and submarines"]


def test_matching_words_are_marked_in_the_title_and_the_snippet(client, committed) -> None:
    committed(
        ArticleFactory,
        title="Frigate trials begin",
        body="Long before dawn the new frigate slipped out of harbour for sea trials.",
    )
    document = parse_html(client.get("/search/", {"q": "frigate"}).content)
    title = document.find("h2", class_="entry-title")
    snippet = document.find("p", class_="search-snippet")
    assert [mark.text for mark in title.find_all("mark")] == ["Frigate"]
    assert [mark.text for mark in snippet.find_all("mark")] == ["frigate"]
    assert "slipped out of harbour" in snippet.text


def test_markup_in_an_article_is_escaped_in_its_snippet(client, committed) -> None:
    committed(
        ArticleFactory,
        title="Escaping",
        body_format=Format.MARKDOWN,
        body="The frigate log says `<script>alert(1)</script>`, and 3 < 5 & so on.",
    )
    response = client.get("/search/", {"q": "frigate"})
    snippet = parse_html(response.content).find("p", class_="search-snippet")
    assert [element.tag for element in snippet.iter()] == ["p", "mark"]
    assert "alert(1)" in snippet.text and "3 < 5 & so on" in snippet.text
    # (PostgreSQL's headline leaves tag-like words out; SQLite's keeps them, as text.)


HOSTILE_QUERIES = [
    "",
    "   ",
    "!!!",
    "'; DROP TABLE content_article; --",
    "' OR '1'='1",
    "<script>alert('frigate')</script>",
    "<img src=x onerror=alert(1)>",
    '"',
    '"""',
    '"frigate',
    "-",
    "-frigate",
    "--",
    "NEAR(frigate trials)",
    "title:frigate",
    "frigate*",
    "^frigate",
    "frigate AND OR NOT",
    "(frigate",
    "frigate)",
    "{frigate}",
    "\\",
    "%",
    "%s %(name)s",
    "fri\x00gate",
    "\ue000frigate\ue001",
    "🙂",
    "the",
    "the -frigate",
    "a" * 200,
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_any_query_gets_a_friendly_page(client, committed, text: str) -> None:
    committed(ArticleFactory, title="Frigate trials begin", body="Sea trials.")
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    document = parse_html(response.content)
    assert document.find("h1").text.strip()
    main = document.find("main")
    assert main.find_all("script") == [] and main.find_all("img") == []


def test_an_overlong_query_is_refused_politely_with_400(client) -> None:
    response = client.get("/search/", {"q": "frigate " * 1250})
    assert response.status_code == 400
    document = parse_html(response.content)
    assert document.find("h1").text.strip() == "Search"
    assert "too long" in document.find("p", class_="search-hint").text
    assert len(document.find("input", name="q").attrs["value"] or "") <= 200


def test_the_query_is_echoed_back_escaped(client, committed) -> None:
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    document = parse_html(response.content)
    assert count_line(document) == "No results for “<script>alert(1)</script>”"
    assert document.find("input", name="q").attrs["value"] == "<script>alert(1)</script>"
    assert "<script>alert(1)" not in response.content.decode()


def test_the_result_count_reads_as_a_sentence(client, committed) -> None:
    for number in range(12):
        committed(ArticleFactory, title=f"Frigate report {number}")
    committed(ArticleFactory, title="Lone corvette")

    def count_for(text: str) -> str:
        return count_line(parse_html(client.get("/search/", {"q": text}).content))

    assert count_for("frigate") == "12 results for “frigate”"
    assert count_for("corvette") == "1 result for “corvette”"
    assert count_for("destroyer") == "No results for “destroyer”"


def test_published_pages_are_found_alongside_articles(client, committed) -> None:
    committed(
        PageFactory, title="About the newsroom", slug="newsroom", body="Our frigate reporters."
    )
    committed(PageFactory, title="Draft page", body="frigate", status=Status.DRAFT)
    committed(ArticleFactory, title="Frigate news")
    document = parse_html(client.get("/search/", {"q": "frigate"}).content)
    assert sorted(entry_titles(document)) == ["About the newsroom", "Frigate news"]
    page_hit = next(hit for hit in document.find_all("article") if "About the newsroom" in hit.text)
    assert page_hit.find("a").attrs["href"] == "/newsroom/"
    assert page_hit.find("p", class_="byline").text.strip() == "Page"


def test_drafts_private_and_future_articles_are_not_found(committed) -> None:
    committed(ArticleFactory, title="Frigate draft", status=Status.DRAFT)
    committed(ArticleFactory, title="Frigate private", status=Status.PRIVATE)
    committed(ArticleFactory, title="Frigate pending", status=Status.PENDING)
    committed(
        ArticleFactory,
        title="Frigate tomorrow",
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    committed(ArticleFactory, title="Frigate today")
    assert found_titles("frigate") == ["Frigate today"]


def test_words_in_other_scripts_are_found(committed) -> None:
    committed(ArticleFactory, title="Выборы в Москве", body="Голосование прошло спокойно.")
    committed(ArticleFactory, title="Εκλογές στην Αθήνα", body="Η ψηφοφορία ολοκληρώθηκε.")
    assert found_titles("выборы") == ["Выборы в Москве"]
    assert found_titles("голосование") == ["Выборы в Москве"]
    assert found_titles("Αθήνα") == ["Εκλογές στην Αθήνα"]


def test_results_are_paged_at_posts_per_page_under_page_n(client, committed) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"posts_per_page": 2})
    now = timezone.now()
    for number in range(5):
        committed(
            ArticleFactory,
            title=f"Frigate {number}",
            published_at=now - dt.timedelta(hours=number + 1),
        )
    first = parse_html(client.get("/search/", {"q": "frigate"}).content)
    assert len(entry_titles(first)) == 2
    assert first.find("a", rel="next").attrs["href"] == "/search/page/2/?q=frigate"
    third = parse_html(client.get("/search/page/3/", {"q": "frigate"}).content)
    assert len(entry_titles(third)) == 1
    assert third.find("a", rel="prev").attrs["href"] == "/search/page/2/?q=frigate"
    assert third.find_all("a", rel="next") == []
    second = parse_html(client.get("/search/page/2/", {"q": "frigate"}).content)
    seen = entry_titles(first) + entry_titles(second) + entry_titles(third)
    assert sorted(seen) == [f"Frigate {number}" for number in range(5)]
    assert client.get("/search/page/4/", {"q": "frigate"}).status_code == 404
    assert client.get("/search/page/0/", {"q": "frigate"}).status_code == 404
    page_one = client.get("/search/page/1/", {"q": "frigate"})
    assert (page_one.status_code, page_one["Location"]) == (301, "/search/?q=frigate")


def test_the_wordpress_search_address_redirects_permanently(client) -> None:
    response = client.get("/", {"s": "frigate “trials” & more"})
    assert response.status_code == 301
    assert response["Location"] == ("/search/?q=frigate+%E2%80%9Ctrials%E2%80%9D+%26+more")
    assert client.get("/?s=").status_code == 301


def test_search_pages_ask_search_engines_not_to_index_them(client, committed) -> None:
    committed(ArticleFactory, title="Frigate")
    for params, status in [
        ({"q": "frigate"}, 200),
        ({"q": "nothing-matches"}, 200),
        ({}, 200),
        ({"q": "x" * 300}, 400),
    ]:
        response = client.get("/search/", params)
        assert response.status_code == status
        robots = parse_html(response.content).find("meta", name="robots")
        assert robots.attrs["content"] == "noindex"


def test_every_page_has_a_labelled_search_form_that_needs_no_script(client) -> None:
    document = parse_html(client.get("/").content)
    form = document.find("form", role="search")
    assert (form.attrs["action"], form.attrs["method"]) == ("/search/", "get")
    field = form.find("input", name="q")
    label = form.find("label")
    assert label.attrs["for"] == field.attrs["id"] and label.text.strip()
    assert form.find("button").attrs["type"] == "submit"


def test_the_search_box_keeps_the_query_on_the_results_page(client) -> None:
    document = parse_html(client.get("/search/", {"q": "  naval   trials "}).content)
    assert document.find("input", name="q").attrs["value"] == "naval trials"


def test_an_empty_search_explains_what_to_do(client) -> None:
    document = parse_html(client.get("/search/").content)
    assert document.find("h1").text.strip() == "Search"
    assert document.find("p", class_="search-hint").text.strip()


def searched_queries(client, text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": text}).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("no_page_cache")
def test_the_search_page_query_count_does_not_grow_with_the_results(client, committed) -> None:
    committed(ArticleFactory, title="Corvette")
    committed(PageFactory, title="Corvette page")
    for number in range(10):
        committed(ArticleFactory, title=f"Frigate {number}")
    committed(PageFactory, title="Frigate page")
    searched_queries(client, "corvette")  # warm the site settings cache
    assert searched_queries(client, "corvette") == searched_queries(client, "frigate")
