"""Feeds and sitemaps print the site's own address (BROADSHEET_SITE_URL), as pages' canonical
links do, whichever allowed Host a request came with: a page cached from a request to
``localhost`` must not send every later reader there."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from broadsheet.comments.models import Comment
from broadsheet.feeds.sitemaps import SITEMAPS
from tests.factories import ArticleFactory, CategoryFactory, PageFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():  # type: ignore[no-untyped-def]
    article = ArticleFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    article.featured_image = "/media/frigate.png"
    article.save()
    Comment.objects.create(
        article=article, author_name="Reader", body="Late.", status=Comment.Status.APPROVED
    )
    PageFactory()
    return article


def addresses(content: bytes) -> list[str]:
    """Every URL an XML document holds: element text and href/url attributes that look like one."""
    found = []
    for element in ET.fromstring(content).iter():
        for value in [element.text or "", element.get("href") or "", element.get("url") or ""]:
            if value.strip().startswith(("http://", "https://")):
                found.append(value.strip())
    return found


def test_every_feed_and_sitemap_address_is_under_the_site_url_for_any_host(client, article) -> None:
    urls = [
        "/feed/",
        "/feed/atom/",
        "/comments/feed/",
        "/comments/feed/atom/",
        f"{article.get_absolute_url()}feed/",
        "/sitemap.xml",
        *(f"/sitemap-{section}.xml" for section in SITEMAPS),
    ]
    for host in ("localhost", "127.0.0.1:9999"):
        for url in urls:
            response = client.get(url, HTTP_HOST=host)
            assert response.status_code == 200, (host, url)
            found = [a for a in addresses(response.content) if "sitemaps.org" not in a]
            assert found, (host, url)
            assert all(a.startswith(f"{settings.SITE_URL}/") for a in found), (host, url, found)
        item = json.loads(client.get("/feed/json/", HTTP_HOST=host).content)
        assert item["home_page_url"].startswith(settings.SITE_URL)
        assert item["feed_url"] == f"{settings.SITE_URL}/feed/json/"
        assert item["items"][0]["url"].startswith(settings.SITE_URL)
