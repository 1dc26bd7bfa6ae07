from django.apps import AppConfig


class ImportersConfig(AppConfig):
    """Moving in from other engines: WordPress (WXR) import and export, and old links."""

    name = "broadsheet.importers"
    label = "importers"
    verbose_name = "Importers"
