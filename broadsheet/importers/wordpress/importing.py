"""``import_wxr``: the whole import of one file — read, plan, load — with its report."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import transaction

from broadsheet.importers.signals import wxr_imported
from broadsheet.importers.wordpress.bulk import import_session
from broadsheet.importers.wordpress.load import ImportOptions, Loader
from broadsheet.importers.wordpress.pipeline import few_collections, plans_from
from broadsheet.importers.wordpress.plan import Planner, media_url_for
from broadsheet.importers.wordpress.report import Progress, Report


def import_wxr(
    path: Path, options: ImportOptions | None = None, *, progress: TextIO | None = None
) -> Report:
    """Import one WXR file. Raises ``WXRError`` (with line and column) when the file itself
    is unreadable; what was loaded before that point stays, complete item by item."""
    options = options or ImportOptions()
    report = Report(dry_run=options.dry_run)
    started = time.monotonic()
    bar = Progress(path.stat().st_size, progress, enabled=progress is not None)
    planner = Planner(media_url_for(options.media_dir, settings.MEDIA_URL))
    loader = Loader(options, report)
    try:
        found = plans_from(
            path, planner, lambda done: bar.advance(0, done), workers=options.workers
        )
        plans = _counted(found, bar)
        if options.dry_run:
            with few_collections(), transaction.atomic():
                loader.load(plans)
                transaction.set_rollback(True)
        else:
            with few_collections(), import_session():
                loader.load(plans)
    finally:
        bar.finish()
        report.seconds = time.monotonic() - started
        if not options.dry_run:
            wxr_imported.send(sender=Loader, report=report, path=path)
    return report


def _counted(plans: Iterable[object], bar: Progress) -> Iterator[object]:
    for plan in plans:
        bar.advance(1)
        yield plan
