"""Public comment endpoints: posting (works without JavaScript), unsubscribing, avatars."""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from broadsheet.comments import visitors
from broadsheet.comments.avatars import identicon_svg
from broadsheet.comments.csrf import check_comment_post
from broadsheet.comments.discussion import discussion_settings
from broadsheet.comments.forms import CommentForm
from broadsheet.comments.models import Comment
from broadsheet.comments.notifications import read_unsubscribe_token
from broadsheet.comments.posting import Rejected, resolve_parent, submit_comment
from broadsheet.comments.spam import form_timestamp
from broadsheet.content.models import Article
from broadsheet.content.views import render_article
from broadsheet.core.clients import client_ip
from broadsheet.core.numbers import parse_id

logger = logging.getLogger(__name__)


STORE_FAILED = (
    "Your comment could not be saved just now: the site cannot store anything for a moment. "
    "It is still here; please try posting it again shortly."
)
RETRY_AFTER_SECONDS = 60


def form_again(
    request: HttpRequest, article: Article, form: CommentForm, message: str, status: int
) -> HttpResponse:
    """The article with the form as the commenter sent it, a new token and ``message``."""
    fresh = form.data.copy()
    fresh["form_token"] = form_timestamp.issue(article.pk)  # the typed text stays
    return render_article(
        request,
        article,
        comment_form=CommentForm(fresh, signed_in_as=form.signed_in_as),
        comment_error=message,
        status=status,
    )


def unmatched_comment(request: HttpRequest, form: CommentForm, *, status: int) -> HttpResponse:
    """A post that names no article we have: say so, and hand the typed text back to copy."""
    context = {"comment_text": form.data.get("comment", "")}
    return render(request, "broadsheet/comments/unmatched.html", context, status=status)


def comment_location(comment: Comment) -> str:
    return f"{comment.article.get_absolute_url()}#comment-{comment.pk}"


@csrf_exempt  # readers' forms come from cached pages with no token: see comments/csrf.py
@require_POST
def post_comment(request: HttpRequest) -> HttpResponse:
    """Store a comment, or show the article again with the errors and everything typed."""
    if refused := check_comment_post(request):
        return refused
    user = request.user if request.user.is_authenticated else None
    form = CommentForm(request.POST, signed_in_as=user)
    article_id = parse_id(request.POST.get("comment_post_ID"))
    if article_id is None:  # only a changed or hand-made form: browsers send the page's id
        return unmatched_comment(request, form, status=400)
    article = Article.objects.published().select_related("author").filter(pk=article_id).first()
    if article is None:
        return unmatched_comment(request, form, status=404)
    if not form.is_valid():
        return render_article(request, article, comment_form=form, status=400)
    data = form.cleaned_data
    options = discussion_settings()
    comment = Comment(
        article=article,
        parent=resolve_parent(article, data.get("comment_parent"), options.thread_depth),
        user=user,
        author_name=(user.get_full_name() or user.get_username()) if user else data["author"],
        author_email=user.email if user else data["email"],
        author_url="" if user else data["url"],
        body=data["comment"],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:254],
        notify_replies=data["notify_replies"],
    )
    if comment.parent:
        comment.thread = comment.parent.thread or comment.parent
        comment.depth = comment.parent.depth + 1
    try:
        submit_comment(
            comment,
            request.POST,
            options,
            exempt_from_limits=bool(user and user.has_perm("comments.change_comment")),
        )
    except Rejected as rejection:
        return form_again(request, article, form, rejection.message, rejection.status)
    except IntegrityError:
        raise  # a broken rule, not a database that cannot write: the generic error page
    except DatabaseError:
        # Read-only, full or refusing writes: the transaction rolled back whole (no comment,
        # no notification); the reader keeps the text and is told to post it again soon.
        logger.exception("A comment could not be stored; the commenter was asked to retry.")
        response = form_again(request, article, form, STORE_FAILED, 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    response = HttpResponseRedirect(comment_location(comment), status=303)
    if comment.status == Comment.Status.PENDING:
        visitors.remember_pending(request, response, comment.pk)
    if user is None and data.get("cookies_consent"):
        visitors.remember_commenter(response, data["author"], data["email"], data["url"])
    elif user is None:
        visitors.forget_commenter(request, response)
    return response


@csrf_exempt  # the signed token is the credential; RFC 8058 one-click POSTs carry no CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from a reply notification: no more reply emails for that comment's thread.

    GET and a mail client's one-click POST unsubscribe; POST with ``resubscribe=1`` (the
    button on the page) undoes it."""
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    comment_id, email = found
    comment = (
        Comment.objects.filter(pk=comment_id, author_email=email).select_related("article").first()
    )
    if comment is None:
        raise Http404("This unsubscribe link is not valid.")
    resubscribe = request.method == "POST" and request.POST.get("resubscribe") == "1"
    Comment.objects.filter(article=comment.article, author_email=email).update(
        notify_replies=resubscribe
    )
    context = {"comment": comment, "subscribed": resubscribe, "token": token}
    return render(request, "broadsheet/comments/unsubscribe.html", context)


@cache_control(public=True, max_age=31536000, immutable=True)
def avatar(request: HttpRequest, key: str) -> HttpResponse:
    return HttpResponse(identicon_svg(key), content_type="image/svg+xml")
