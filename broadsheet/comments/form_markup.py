"""The "Leave a Reply" form's HTML, rendered through its template once per process for the
common case and reused.

Why: rendering the form's thirteen widgets through Django's form templates cost about 3 ms of
every article view, more than all the article's SQL. A new reader's blank form differs from
the next reader's only in the article (its id and address) and the signed form token, so the
template is rendered once with markers in those places and the markers are replaced per
request. Anything personal — a bound form with errors, a signed-in editor, a remembered
commenter, a reply target, an error message — renders through the template as before.
"""

from __future__ import annotations

import re
from html import escape
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from broadsheet.comments.forms import CommentForm
from broadsheet.comments.models import Comment
from broadsheet.content.models import Article

TEMPLATE = "broadsheet/comments/_form.html"
ARTICLE_ID = "broadsheet-article-id-marker"
ARTICLE_URL = "/broadsheet-article-url-marker/"
FORM_TOKEN = "broadsheet-form-token-marker"
INDENTATION = re.compile(r"\n\s*")  # the form holds no <pre>; a newline keeps words apart
_blank_form: str | None = None


def _render(request: HttpRequest | None, **context: object) -> str:
    return render_to_string(TEMPLATE, context, request=request)


def blank_form_template() -> str:
    """The blank form with markers, rendered once (every time when DEBUG, to see edits)."""
    global _blank_form
    if _blank_form is None or settings.DEBUG:
        form = CommentForm(
            initial={"comment_post_ID": ARTICLE_ID, "comment_parent": 0, "form_token": FORM_TOKEN}
        )
        html = _render(
            None,
            form=form,
            article=SimpleNamespace(pk=ARTICLE_ID, get_absolute_url=lambda: ARTICLE_URL),
            reply_to=None,
        )
        html = INDENTATION.sub("\n", html)  # the template's indentation, on every page: bytes
        for marker in (ARTICLE_ID, ARTICLE_URL, FORM_TOKEN):
            if marker not in html:  # the template changed shape: never serve a marker
                raise RuntimeError(f"{TEMPLATE} no longer prints {marker}")
        _blank_form = html
    return _blank_form


def blank_form_html(article: Article, form_token: str) -> SafeString:
    """The form a new reader gets: the once-rendered template with this article put in."""
    html = (
        blank_form_template()
        .replace(ARTICLE_ID, str(article.pk))
        .replace(ARTICLE_URL, escape(article.get_absolute_url()))
        .replace(FORM_TOKEN, escape(form_token))
    )
    return mark_safe(html)  # noqa: S308 — the template's output with escaped values put back


def comment_form_html(
    request: HttpRequest,
    article: Article,
    form: CommentForm,
    *,
    reply_to: Comment | None,
    error: str,
) -> SafeString:
    """Any other form (typed text and errors, a signed-in editor, a remembered commenter, a
    reply target), through the template."""
    return mark_safe(  # noqa: S308 — rendered by the template engine, which escapes
        _render(request, form=form, article=article, reply_to=reply_to, comment_error=error)
    )
