"""/robots.txt: sensible defaults, the editors' extra lines, and where the sitemap is."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from broadsheet.content.site import current_site_settings

DEFAULT_RULES = [
    "User-agent: *",
    "Disallow: /admin/",
    "Disallow: /search/",
    "Disallow: /comments/post/",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    extra = [line.rstrip() for line in current_site_settings().robots_txt.splitlines()]
    lines = [*DEFAULT_RULES, *extra, "", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
