"""WSGI entry point for the production server (``broadsheet serve`` runs granian on it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
application = get_wsgi_application()
