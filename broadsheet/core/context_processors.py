from __future__ import annotations

from django.http import HttpRequest

from broadsheet.content.site import current_site_settings, menu_pages


def site(request: HttpRequest) -> dict[str, object]:
    """The site's settings and menu for the base template: the same on every page."""
    return {"site": current_site_settings(), "menu_pages": menu_pages()}
