from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Articles, pages, terms, authors and site settings: what readers come for."""

    name = "broadsheet.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from broadsheet.content import roles, services, site
        from broadsheet.content.models import Article, Page, SiteSettings

        post_migrate.connect(roles.ensure_role_groups, sender=self)
        post_save.connect(services.keep_revision, sender=Article)
        post_save.connect(services.forget_cached_site_settings, sender=SiteSettings)
        post_save.connect(site.forget_cached_menu, sender=Page)
        post_delete.connect(site.forget_cached_menu, sender=Page)
        from broadsheet.importers.signals import wxr_imported

        wxr_imported.connect(site.forget_cached_menu)  # pages are imported in bulk
