"""WSGI entry point for the production server (``broadsheet serve`` runs granian on it).

Django sits behind the page cache's front (pagecache/front.py), which replays pages Django
has served from the shared page cache without entering Django while nothing is purged.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_application = get_wsgi_application()

from broadsheet.outbox.sender import watch  # noqa: E402
from broadsheet.pagecache.front import PageCacheFront  # noqa: E402 — needs Django set up

application = PageCacheFront(django_application)
watch()  # this worker sends the outbox's retries and what a stopped process left
