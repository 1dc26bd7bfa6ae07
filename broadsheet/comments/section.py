"""Everything the comment section under an article needs, in a fixed number of queries.

Queries: the approved counts, the page of top-level threads with their replies, and — only
for a visitor with pending comments of their own — those. Nothing grows with the comment
count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from broadsheet.comments import reads as comment_reads
from broadsheet.comments import visitors
from broadsheet.comments.cards import CardRow, comment_list_html
from broadsheet.comments.discussion import comments_are_open, discussion_settings
from broadsheet.comments.form_markup import blank_form_html, comment_form_html
from broadsheet.comments.forms import CommentForm
from broadsheet.comments.models import Comment, DiscussionSettings
from broadsheet.comments.spam import form_timestamp
from broadsheet.comments.threads import flatten
from broadsheet.content.models import Article


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


def threads_and_replies(
    article: Article, options: DiscussionSettings, number: int | None, total_threads: int
) -> tuple[list[CardRow], list[CardRow], CommentPage]:
    """The page's top-level comments and all their replies, in one query whatever the
    number of comments (``reads.threads_page``)."""
    per_page = options.threads_per_page
    pages = max(1, math.ceil(total_threads / per_page))
    newest_first = options.order == DiscussionSettings.Order.NEWEST_FIRST
    number = number or 1
    if number < 1 or number > pages:
        raise Http404("No such page of comments.")
    rows = comment_reads.threads_page(
        article.pk,
        start=(number - 1) * per_page,
        size=per_page,
        newest_first=newest_first,
    )
    roots = [row for row in rows if row.thread_id is None]
    if newest_first:
        roots.reverse()
    return roots, [row for row in rows if row.thread_id is not None], CommentPage(number, pages)


def comment_section(
    request: HttpRequest,
    article: Article,
    *,
    page: int | None = None,
    form: CommentForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    options = discussion_settings()
    total, threads = comment_reads.approved_counts(article.pk)
    roots, replies, comment_page = threads_and_replies(article, options, page, threads)
    own_pending = visitors.own_pending_ids(request)
    if own_pending:
        pending = comment_reads.own_held(article.pk, own_pending)
        roots = sorted(
            [*roots, *(c for c in pending if c.thread_id is None)],
            key=lambda c: (c.created_at, c.pk),
            reverse=options.order == DiscussionSettings.Order.NEWEST_FIRST,
        )
        replies += [c for c in pending if c.thread_id is not None]
    reply_to = _reply_target(request, article, options)
    is_open = comments_are_open(article, options)
    nodes = flatten(roots, replies, options.thread_depth)
    if not is_open:
        form_html = ""
    elif form is None and reply_to is None and not error and blank_form_fits(request):
        form_html = blank_form_html(article, form_timestamp.issue(article.pk))
    else:
        form = form or new_form(request, article, reply_to)
        form_html = comment_form_html(request, article, form, reply_to=reply_to, error=error)
    return {
        "comment_list": comment_list_html(nodes, comments_open=is_open) if nodes else "",
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
    raw = request.GET.get("replytocom") or request.POST.get("comment_parent") or ""
    if not raw.isdigit() or raw == "0" or options.thread_depth < 2:
        return None
    return article.comments.approved().filter(pk=int(raw), depth__lt=options.thread_depth).first()
