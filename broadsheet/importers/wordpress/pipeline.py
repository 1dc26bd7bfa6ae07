"""Reading and planning in a second process while this one writes to the database.

Parsing and converting (pure Python and CPU-bound) and loading (database-bound) take about
as long as each other, so a large file is read and planned in a forked child that hands plans
over in batches through a bounded queue (memory stays flat), while the parent loads them. The
child never touches the database. Small files are planned in-process: forking costs more than
it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue as queue_module
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from broadsheet.importers.wordpress.parse import WXRError, read_wxr
from broadsheet.importers.wordpress.plan import Plan, Planner

BATCH = 100
QUEUE_BATCHES = 16
IN_PROCESS_BELOW_BYTES = 8 * 1024 * 1024


@contextmanager
def few_collections() -> Iterator[None]:
    """The cyclic garbage collector, run rarely for the length of an import.

    An import makes millions of short-lived objects (records, plans, rows) that form no
    cycles and are freed by reference counting; at the default threshold the collector
    still runs every 700 allocations and walks every live object of the young generations
    (and, now and then, of all of Django). Measured, that was most of the cost of passing
    plans between the processes. Objects alive at the start are frozen (never scanned; in
    the forked child this also keeps their memory pages shared), and collections come
    every 50,000 allocations instead; memory held by cycles stays bounded by that."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def plans_from(
    path: Path,
    planner: Planner,
    on_bytes: Callable[[int], None],
    *,
    workers: int | None = None,
) -> Iterator[Plan]:
    """Every plan for the file, in order. ``workers``: 1 plans here, 2 plans in a child
    process; None picks by file size and the number of CPUs."""
    if workers is None:
        workers = (
            2 if (os.cpu_count() or 1) > 1 and path.stat().st_size >= IN_PROCESS_BELOW_BYTES else 1
        )
    if workers <= 1:
        with path.open("rb") as stream:
            yield from planner.plan(read_wxr(stream, on_progress=on_bytes))
        return
    yield from _planned_in_child(path, planner, on_bytes)


def _produce(path: Path, planner: Planner, out: multiprocessing.Queue) -> None:
    done = [0]
    batch: list[Plan] = []
    try:
        with path.open("rb") as stream:
            records = read_wxr(stream, on_progress=lambda n: done.__setitem__(0, n))
            for plan in planner.plan(records):
                batch.append(plan)
                if len(batch) >= BATCH:
                    out.put(("plans", batch, done[0]))
                    batch = []
        out.put(("plans", batch, done[0]))
        out.put(("end", None, done[0]))
    except WXRError as error:
        out.put(("plans", batch, done[0]))
        out.put(("wxr-error", (error.message, error.line, error.column), done[0]))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        out.put(("crash", traceback.format_exc(), done[0]))


def _planned_in_child(
    path: Path, planner: Planner, on_bytes: Callable[[int], None]
) -> Iterator[Plan]:
    context = multiprocessing.get_context("fork")
    channel: multiprocessing.Queue = context.Queue(maxsize=QUEUE_BATCHES)
    child = context.Process(target=_produce, args=(path, planner, channel), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload, done = channel.get(timeout=1)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError("the planning process died without a word") from None
                continue
            on_bytes(done)
            if kind == "plans":
                yield from payload
            elif kind == "end":
                return
            elif kind == "wxr-error":
                raise WXRError(*payload)
            else:
                raise RuntimeError(f"planning failed in the child process:\n{payload}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
