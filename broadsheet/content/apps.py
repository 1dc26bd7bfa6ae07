from django.apps import AppConfig


class ContentConfig(AppConfig):
    """Articles, pages, terms, authors and site settings: what readers come for."""

    name = "broadsheet.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from broadsheet.content import roles, services
        from broadsheet.content.models import Article, SiteSettings

        post_migrate.connect(roles.ensure_role_groups, sender=self)
        post_save.connect(services.keep_revision, sender=Article)
        post_save.connect(services.forget_cached_site_settings, sender=SiteSettings)
