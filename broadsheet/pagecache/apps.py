from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Whole-page cache for anonymous readers, shared by every worker, purged by tags."""

    name = "broadsheet.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from broadsheet.pagecache import handlers

        handlers.connect()
