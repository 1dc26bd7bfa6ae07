"""/sitemap.xml: Django's sitemap index, with every part's address under BROADSHEET_SITE_URL.

Django's own index view builds those addresses from the request's Host, so a request with
another allowed host (``localhost``, an IP address) would print, and the page cache would keep,
links to that host.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from broadsheet.content.metadata import absolute


@x_robots_tag
def index(
    request: HttpRequest, sitemaps: dict[str, type[Sitemap]], sitemap_url_name: str
) -> TemplateResponse:
    """Each section's parts with the section's newest change; ``Last-Modified`` when every
    section knows its own (as Django's index does)."""
    entries: list[SitemapIndexItem] = []
    lastmods: list[dt.datetime | None] = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = absolute(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        lastmods.append(lastmod)
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    known = [lastmod for lastmod in lastmods if lastmod is not None]
    headers = None
    if known and len(known) == len(lastmods):
        headers = {"Last-Modified": http_date(max(known).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )
