from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Model-free building blocks: markup, pagination, base templates, error pages, CLI."""

    name = "broadsheet.core"
    label = "core"
    verbose_name = "Broadsheet core"
