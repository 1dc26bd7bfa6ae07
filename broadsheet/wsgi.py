"""WSGI entry point for the production server (``broadsheet serve`` runs granian on it).

Django sits behind the page cache's front (pagecache/front.py), which replays pages Django
has served from the shared page cache without entering Django while nothing is purged; in
front of both, core/request_body.py reads request bodies before they take a turn at Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402

from broadsheet.core.request_body import RequestBodyGuard  # noqa: E402
from broadsheet.core.stalled_bodies import StalledBodies  # noqa: E402
from broadsheet.core.turns import TakingTurns, Turns  # noqa: E402
from broadsheet.outbox.sender import watch  # noqa: E402
from broadsheet.pagecache.front import PageCacheFront  # noqa: E402 — needs Django set up

# Outermost: a request's body is in before it goes on (core/request_body.py); Django runs
# only in one of BROADSHEET_THREADS turns (core/turns.py), so slow uploads, holding threads
# kept for waiting, never hold the ones that serve readers.
application = RequestBodyGuard(
    PageCacheFront(TakingTurns(django_application, Turns(settings.SERVE_THREADS))),
    max_bytes=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    stalled=StalledBodies(settings.SERVE_CLIENT_TIMEOUT),
)
watch()  # this worker sends the outbox's retries and what a stopped process left
