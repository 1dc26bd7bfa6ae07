"""Where the site's settings row is read: once per request, through ``core/singletons.py``."""

from __future__ import annotations

from contextvars import ContextVar

from broadsheet.content.models import Page, SiteSettings
from broadsheet.core.singletons import forget, load_settings_row, read_through

CACHE_KEY = "site-settings:v1"
MENU_CACHE_KEY = "site-menu:v1"
_current: ContextVar[SiteSettings | None] = ContextVar("site_settings", default=None)


def load_site_settings() -> SiteSettings:
    """The settings row from the shared cache, else the database (creating it on first use)."""
    return load_settings_row(SiteSettings, CACHE_KEY)


def current_site_settings() -> SiteSettings:
    """The settings for this request (read once), or freshly loaded outside a request."""
    found = _current.get()
    return found if found is not None else load_site_settings()


def menu_pages() -> list[dict[str, str]]:
    """Top-level published pages shown in the menu, as title and address: read on every page,
    so kept like the settings (``core/singletons.py``) and forgotten whenever a page is saved
    or deleted."""
    return read_through(MENU_CACHE_KEY, _load_menu, None, _copy_menu)


def _load_menu() -> list[dict[str, str]]:
    pages = Page.objects.published().filter(parent=None, show_in_menu=True)
    return [{"title": p.title, "url": p.get_absolute_url()} for p in pages.only("title", "path")]


def _copy_menu(menu: list[dict[str, str]]) -> list[dict[str, str]]:
    return [dict(item) for item in menu]


def forget_cached_menu(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    forget(MENU_CACHE_KEY)


class SiteSettingsMiddleware:
    """Reads the settings once per request so URL building and templates share one copy."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        token = _current.set(load_site_settings())
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
