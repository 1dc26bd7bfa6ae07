"""Signals for other apps.

``wxr_imported`` is sent after an import has written to the database (never after a dry run,
and also after one stopped early by a malformed file), with ``report`` and ``path``. Articles,
comments and new categories and tags are written in bulk, without ``save()`` and so without
``post_save``: an app that keeps data derived from them (a page cache, say) should refresh it
here. (The search index is
brought up to date by the importer itself, batch by batch.)
"""

from __future__ import annotations

from django.dispatch import Signal

wxr_imported = Signal()
