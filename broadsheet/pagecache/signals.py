"""The purge hook for operators: connect a receiver to tell a CDN what to forget.

``tags_purged`` is sent after the page cache has forgotten a set of tags, with ``tags`` (a
sorted list of tag names, the same names the ``Surrogate-Key`` and ``Cache-Tag`` headers
carry)::

    from broadsheet.pagecache.signals import tags_purged

    def purge_cdn(sender, tags, **kwargs):
        requests.post("https://cdn.example/purge", json={"tags": tags}, timeout=5)

    tags_purged.connect(purge_cdn)
"""

from __future__ import annotations

from django.dispatch import Signal

tags_purged = Signal()
