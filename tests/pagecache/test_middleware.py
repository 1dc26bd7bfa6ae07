"""Hits, misses and bypasses; the headers a CDN and a browser see; 304s and gzip."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from broadsheet.comments import visitors
from broadsheet.content.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.html import parse_html
from tests.pagecache.conftest import state_of

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, s-maxage=300, stale-while-revalidate=60"


@pytest.fixture
def story() -> Article:
    return ArticleFactory(title="Frigates late again")


def test_the_first_visit_is_a_miss_and_the_next_a_hit_with_the_same_page(
    client: Client, story: Article
) -> None:
    first = client.get(story.get_absolute_url())
    second = client.get(story.get_absolute_url())
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert second["Content-Type"].startswith("text/html")
    assert second["Content-Security-Policy"]  # headers of the stack are kept in the entry


def test_cached_pages_tell_a_cdn_what_they_show_and_how_long_to_keep_them(
    client: Client, story: Article
) -> None:
    client.get(story.get_absolute_url())
    response = client.get(story.get_absolute_url())
    assert response["Cache-Control"] == PUBLIC
    keys = response["Surrogate-Key"].split(" ")
    assert {f"article:{story.pk}", f"comments:article:{story.pk}", "site"} <= set(keys)
    assert response["Cache-Tag"].split(",") == keys
    assert not response["ETag"].startswith("W/")


def test_a_known_etag_gets_304_not_modified_from_the_cache(client: Client, story: Article) -> None:
    etag = client.get(story.get_absolute_url())["ETag"]
    response = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Cache"] == "hit"
    assert response.content == b""
    assert client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_head_is_answered_from_the_cache_too(client: Client, story: Article) -> None:
    client.get(story.get_absolute_url())
    response = client.head(story.get_absolute_url())
    assert response["X-Cache"] == "hit"
    assert int(response["Content-Length"]) > 0


def test_a_client_that_takes_gzip_gets_the_stored_compressed_body(
    client: Client, story: Article
) -> None:
    plain = client.get(story.get_absolute_url())
    squeezed = client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    assert squeezed["X-Cache"] == "hit"
    assert squeezed["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.content) == plain.content
    assert squeezed["ETag"] != plain["ETag"]  # strong ETags name one representation each
    assert "Accept-Encoding" in squeezed["Vary"]


def test_signed_in_users_bypass_the_cache_and_never_fill_it(client: Client, story: Article) -> None:
    editor = Client()
    editor.force_login(UserFactory(is_staff=True, is_superuser=True))
    for _ in range(2):
        response = editor.get(story.get_absolute_url())
        assert response["X-Cache"] == "bypass"
        assert response["Cache-Control"] == "private, no-cache"
    assert state_of(client, story.get_absolute_url()) == "miss"  # the editor stored nothing


@pytest.mark.parametrize("cookie", [visitors.COMMENTER_COOKIE, visitors.PENDING_COOKIE])
def test_commenters_with_our_cookies_get_fresh_pages(
    client: Client, story: Article, cookie: str
) -> None:
    client.get(story.get_absolute_url())
    commenter = Client()
    commenter.cookies[cookie] = "signed-value"
    assert state_of(commenter, story.get_absolute_url()) == "bypass"


def test_unknown_query_parameters_are_not_cached(client: Client, story: Article) -> None:
    url = f"{story.get_absolute_url()}?utm_source=newsletter"
    assert [state_of(client, url), state_of(client, url)] == ["bypass", "bypass"]


def test_search_results_are_cached_per_query(client: Client, story: Article) -> None:
    assert state_of(client, "/search/?q=frigates") == "miss"
    assert state_of(client, "/search/?q=frigates") == "hit"
    assert state_of(client, "/search/?q=corvettes") == "miss"


def test_errors_and_redirects_are_not_cached(client: Client, story: Article) -> None:
    assert [state_of(client, "/no/such/page/")] * 2 == ["bypass", "bypass"]
    assert client.get("/page/1/").status_code == 301
    assert client.get("/page/1/")["X-Cache"] == "bypass"


def test_feeds_and_the_sitemap_are_cached(client: Client, story: Article) -> None:
    for url in ("/feed/", "/feed/atom/", "/comments/feed/", "/sitemap.xml", "/robots.txt"):
        assert [state_of(client, url), state_of(client, url)] == ["miss", "hit"], url


def test_a_readers_comment_form_carries_no_csrf_token_and_sets_no_cookie(
    client: Client, story: Article
) -> None:
    response = client.get(story.get_absolute_url())
    form = parse_html(response.content).find("form", id="commentform")
    assert not form.find_all("input", name="csrfmiddlewaretoken")
    assert not response.cookies


def test_a_signed_in_users_form_keeps_its_csrf_token(story: Article) -> None:
    editor = Client()
    editor.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = parse_html(editor.get(story.get_absolute_url()).content).find("form", id="commentform")
    assert form.find_all("input", name="csrfmiddlewaretoken")


def test_page_cache_off_serves_every_request_fresh(
    client: Client, story: Article, settings
) -> None:
    settings.PAGE_CACHE = False
    responses = [client.get(story.get_absolute_url()) for _ in range(2)]
    assert [r.status_code for r in responses] == [200, 200]
    assert all("X-Cache" not in r for r in responses)


def test_with_the_cache_off_a_browser_still_revalidates_with_the_pages_etag(
    client: Client, story: Article, settings
) -> None:
    settings.PAGE_CACHE = False
    first = client.get("/")
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong: names these bytes
    again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content) == (304, b"")
    story.title = "Frigates later still"
    story.save()
    changed = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "Frigates later still" in changed.content.decode()
    assert changed["ETag"] != etag
