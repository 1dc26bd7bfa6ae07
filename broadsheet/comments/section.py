"""Everything the comment section under an article needs, in a fixed number of queries.

Queries: the approved count, the page of top-level threads, their replies, and — only for a
visitor with pending comments of their own — those. Nothing grows with the comment count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from broadsheet.comments import visitors
from broadsheet.comments.cards import card_fields, comment_list_html
from broadsheet.comments.discussion import comments_are_open, discussion_settings
from broadsheet.comments.form_markup import comment_form_html
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


def page_of_threads(
    article: Article, options: DiscussionSettings, number: int | None, total_threads: int
) -> tuple[list[Comment], CommentPage]:
    per_page = options.threads_per_page
    pages = max(1, math.ceil(total_threads / per_page))
    newest_first = options.order == DiscussionSettings.Order.NEWEST_FIRST
    number = number or 1
    if number < 1 or number > pages:
        raise Http404("No such page of comments.")
    roots = article.comments.approved().filter(thread=None).only(*card_fields())
    roots = (
        roots.order_by("-created_at", "-pk") if newest_first else roots.order_by("created_at", "pk")
    )
    start = (number - 1) * per_page
    return list(roots[start : start + per_page]), CommentPage(number, pages)


def comment_section(
    request: HttpRequest,
    article: Article,
    *,
    page: int | None = None,
    form: CommentForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    options = discussion_settings()
    approved = article.comments.approved()
    total = approved.count()
    total_threads = approved.filter(thread=None).count() if total else 0
    roots, comment_page = page_of_threads(article, options, page, total_threads)
    replies = (
        list(approved.filter(thread__in=[root.pk for root in roots]).only(*card_fields()))
        if roots
        else []
    )
    own_pending = visitors.own_pending_ids(request)
    if own_pending:
        pending = list(article.comments.filter(pk__in=own_pending, status=Comment.Status.PENDING))
        roots = sorted(
            [*roots, *(c for c in pending if c.thread_id is None)],
            key=lambda c: (c.created_at, c.pk),
            reverse=options.order == DiscussionSettings.Order.NEWEST_FIRST,
        )
        replies += [c for c in pending if c.thread_id is not None]
    reply_to = _reply_target(request, article, options)
    is_open = comments_are_open(article, options)
    nodes = flatten(roots, replies, options.thread_depth)
    return {
        "comment_list": comment_list_html(nodes, comments_open=is_open) if nodes else "",
        "comment_total": total,
        "comment_page": comment_page,
        "comments_open": is_open,
        "comment_form_html": (
            comment_form_html(
                request,
                article,
                form or new_form(request, article, reply_to),
                reply_to=reply_to,
                error=error,
            )
            if is_open
            else ""
        ),
        "comment_error": error,
        "reply_to": reply_to,
        "threaded": options.thread_depth > 1,
    }


def _reply_target(
    request: HttpRequest, article: Article, options: DiscussionSettings
) -> Comment | None:
    """``?replytocom=ID``: the comment the form answers, when it can take a reply."""
    raw = request.GET.get("replytocom") or request.POST.get("comment_parent") or ""
    if not raw.isdigit() or raw == "0" or options.thread_depth < 2:
        return None
    return article.comments.approved().filter(pk=int(raw), depth__lt=options.thread_depth).first()
