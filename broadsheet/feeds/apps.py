from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, each archive, and comments."""

    name = "broadsheet.feeds"
    label = "feeds"
    verbose_name = "Feeds"
