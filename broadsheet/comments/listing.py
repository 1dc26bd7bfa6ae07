"""The list of comments on a page of an article, built once per process for each version of
its rows.

Why: on an article with 100 comments, reading the page's comment rows, threading them and
joining their cards was about 800 µs of a 2.8 ms request (timers around each step on the
benchmark's generated site), while the ids and ``updated_at`` of the same rows come from the
``comment_listing`` index alone in a few dozen µs.

Never stale, by construction: every view asks the database for the page's ``(id, updated_at)``
pairs, as one text (``reads.summary_read``), and a list is stored under the pairs of the very
rows it was built from (read in the same statement, made into the same text), together with
every setting and value the markup depends on. Every write to a comment sets ``updated_at``;
a comment that is approved, held, deleted or moved changes the set of ids. Nothing is purged:
an outdated list is simply never asked for again and falls out of the bounded store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import suppress

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from broadsheet.comments import reads
from broadsheet.comments.cards import CardRow, comment_list_html
from broadsheet.comments.models import DiscussionSettings
from broadsheet.comments.threads import flatten
from broadsheet.core import links

# Lists built in this process, least recently shown first. An article page's list of 100
# comments is about 50 KB, so 400 lists keep a worker under 20 MB.
BUILT_LISTS: OrderedDict[tuple, SafeString] = OrderedDict()
MAX_BUILT_LISTS = 400
STORING = threading.Lock()  # a worker may run several threads (BROADSHEET_THREADS)
MAX_PAGE_NUMBER = 10**9  # of comments: past any article's last page, a 404 all the same


def comment_list(
    article_id: int,
    options: DiscussionSettings,
    number: int,
    *,
    comments_open: bool,
    versions: reads.Versions,
) -> SafeString:
    """The approved comments of page ``number`` (threads, replies nested) as HTML;
    ``versions`` are the page's, as ``reads.summary_read`` read them just now."""
    window = window_of(options, number)
    shape = (
        article_id,
        number,
        comments_open,
        options.thread_depth,
        options.threads_per_page,
        options.order,
        settings.GRAVATAR_ENABLED,
        links.script_prefix(),
    )
    key = (*shape, versions)
    found = BUILT_LISTS.get(key)
    if found is not None:
        with suppress(KeyError):  # another thread of the worker may have just let it go
            BUILT_LISTS.move_to_end(key)
        return found
    rows, versions = reads.threads_page(article_id, **window)
    html = list_html(rows, [], options, comments_open=comments_open)
    with STORING:
        BUILT_LISTS[(*shape, versions)] = html
        while len(BUILT_LISTS) > MAX_BUILT_LISTS:
            BUILT_LISTS.popitem(last=False)
    return html


def window_of(options: DiscussionSettings, number: int) -> dict:
    """``threads_page``'s arguments for page ``number`` of threads. The window is read before
    the page number is checked against the count (same statement), so a number from the URL
    is capped where the offset still fits the databases' 64-bit integers."""
    per_page = options.threads_per_page
    newest_first = options.order == DiscussionSettings.Order.NEWEST_FIRST
    start = (min(number, MAX_PAGE_NUMBER) - 1) * per_page
    return {"start": start, "size": per_page, "newest_first": newest_first}


def list_html(
    rows: list[CardRow],
    extra: list[CardRow],
    options: DiscussionSettings,
    *,
    comments_open: bool,
) -> SafeString:
    """Threads built from a page's rows and ``extra`` (a visitor's own held comments, placed
    among them by time); empty when there is nothing to show."""
    newest_first = options.order == DiscussionSettings.Order.NEWEST_FIRST
    roots = [row for row in rows if row.thread_id is None]
    if newest_first:
        roots.reverse()
    replies = [row for row in rows if row.thread_id is not None]
    if extra:
        roots = sorted(
            [*roots, *(c for c in extra if c.thread_id is None)],
            key=lambda c: (c.created_at, c.pk),
            reverse=newest_first,
        )
        replies += [c for c in extra if c.thread_id is not None]
    nodes = flatten(roots, replies, options.thread_depth)
    return comment_list_html(nodes, comments_open=comments_open) if nodes else mark_safe("")
