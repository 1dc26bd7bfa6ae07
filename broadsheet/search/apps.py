from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search over published articles and pages (SQLite FTS5 or PostgreSQL)."""

    name = "broadsheet.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from broadsheet.content.models import Article, Page, SiteSettings
        from broadsheet.search import checks, indexing  # noqa: F401 - checks register themselves

        for signal in (post_save, post_delete):
            signal.connect(indexing.article_changed, sender=Article)
            signal.connect(indexing.page_changed, sender=Page)
        pre_save.connect(indexing.remember_permalink_style, sender=SiteSettings)
        post_save.connect(indexing.site_settings_saved, sender=SiteSettings)
