from __future__ import annotations

from django.http import HttpRequest

from broadsheet.content.site import current_site_settings


def site(request: HttpRequest) -> dict[str, object]:
    """The site's settings and menu for the base template: the same on every page."""
    from broadsheet.content.models import Page

    return {
        "site": current_site_settings(),
        "menu_pages": Page.objects.published()
        .filter(parent=None, show_in_menu=True)
        .only("title", "path"),
    }
