"""Everything the comment section under an article needs, in a fixed number of queries.

Queries: the approved counts with the versions of the page's comments, in one statement
(``listing``: the list is built again only when they change, and then the page of top-level
threads with their replies is read), and — only for a visitor with pending comments of their
own — the page and those. Nothing grows with the comment count. The article page runs the
first with its own neighbours-and-related read (``summary_read``), one statement for both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from broadsheet.comments import listing, visitors
from broadsheet.comments import reads as comment_reads
from broadsheet.comments.discussion import comments_are_open, discussion_settings
from broadsheet.comments.form_markup import blank_form_html, comment_form_html
from broadsheet.comments.forms import CommentForm
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import form_timestamp
from broadsheet.content.models import Article
from broadsheet.core.numbers import parse_id
from broadsheet.core.sql import Read


@dataclass
class CommentPage:
    number: int
    count: int  # pages in all

    @property
    def has_other_pages(self) -> bool:
        return self.count > 1


def new_form(request: HttpRequest, article: Article, reply_to: Comment | None) -> CommentForm:
    """An unbound form, pre-filled from the consent cookie, with a fresh form token."""
    initial: dict[str, Any] = {
        "comment_post_ID": article.pk,
        "comment_parent": reply_to.pk if reply_to else 0,
        "form_token": form_timestamp.issue(article.pk),
    }
    remembered = visitors.remembered_commenter(request)
    if remembered:
        initial.update(remembered, cookies_consent=True)
    user = request.user if request.user.is_authenticated else None
    return CommentForm(initial=initial, signed_in_as=user)


def page_of_threads(
    options: DiscussionSettings, number: int | None, total_threads: int
) -> CommentPage:
    """Which page of threads is asked for, of how many; a 404 past either end."""
    pages = max(1, math.ceil(total_threads / options.threads_per_page))
    number = number or 1
    if number < 1 or number > pages:
        raise Http404("No such page of comments.")
    return CommentPage(number, pages)


def summary_read(request: HttpRequest, article: Article, page: int | None) -> Read | None:
    """The section's first read (counts and the page's versions), for the article page to
    run together with its own (``core.sql.run_together``) and hand to ``comment_section``;
    None for a visitor with held comments of their own, whose section reads otherwise."""
    if visitors.own_pending_ids(request):
        return None
    # Read with the counts, before ``page_of_threads`` checks the number against them.
    window = listing.window_of(discussion_settings(), page or 1)
    return comment_reads.summary_read(article.pk, **window)


def comment_section(
    request: HttpRequest,
    article: Article,
    *,
    page: int | None = None,
    form: CommentForm | None = None,
    error: str = "",
    summary: Read | None = None,
) -> dict[str, Any]:
    """The section's context; ``summary`` is ``summary_read``'s, already run, if the caller
    ran it."""
    options = discussion_settings()
    is_open = comments_are_open(article, options)
    own_pending = visitors.own_pending_ids(request)
    window = listing.window_of(options, page or 1)
    if own_pending:
        # The visitor's own held comments join the list: theirs alone, so never stored.
        total, threads, rows = comment_reads.counts_and_threads(article.pk, **window)
        comment_page = page_of_threads(options, page, threads)
        held = comment_reads.own_held(article.pk, own_pending)
        comment_list = listing.list_html(rows, held, options, comments_open=is_open)
    else:
        if summary is None:
            total, threads, versions = comment_reads.counts_and_versions(article.pk, **window)
        else:
            total, threads, versions = comment_reads.summary_of(summary)
        comment_page = page_of_threads(options, page, threads)
        comment_list = listing.comment_list(
            article.pk, options, comment_page.number, comments_open=is_open, versions=versions
        )
    reply_to = _reply_target(request, article, options)
    if not is_open:
        form_html = ""
    elif form is None and reply_to is None and not error and blank_form_fits(request):
        form_html = blank_form_html(article, form_timestamp.issue(article.pk))
    else:
        form = form or new_form(request, article, reply_to)
        form_html = comment_form_html(request, article, form, reply_to=reply_to, error=error)
    return {
        "comment_list": comment_list,
        "comment_total": total,
        "comment_page": comment_page,
        "comments_open": is_open,
        "comment_form_html": form_html,
        "comment_error": error,
        "reply_to": reply_to,
    }


def blank_form_fits(request: HttpRequest) -> bool:
    """A reader with nothing of their own to see in the form: not signed in, not remembered."""
    return not request.user.is_authenticated and not visitors.remembered_commenter(request)


def _reply_target(
    request: HttpRequest, article: Article, options: DiscussionSettings
) -> Comment | None:
    """``?replytocom=ID``: the comment the form answers, when it can take a reply."""
    pk = parse_id(request.GET.get("replytocom") or request.POST.get("comment_parent"))
    if pk is None or options.thread_depth < 2:
        return None
    return article.comments.approved().filter(pk=pk, depth__lt=options.thread_depth).first()
