"""An article's summary on a list page (home, archives), rendered once per process for each
version of what it prints.

Why: the ten summaries were a third of the uncached home page's CPU (0.55 of 1.5 ms a request,
measured by rendering the page without them) — each one a template include, a byline include,
a dozen escaped values and two dates, for markup that changes only when the article, its
author or its categories do. The template (``_article_summary.html``, overridable per site like
every public template) stays the one source of the markup; this module only remembers its
output.

Never stale, by construction, as the comment cards (``comments/cards.py``): the key holds every
value the template prints — the addresses included, so a new permalink style or script prefix
is a new key — and the template object itself, which Jinja replaces when the file changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.template import engines
from jinja2 import Template
from markupsafe import Markup

from broadsheet.content.models import Article

TEMPLATE = "broadsheet/content/_article_summary.html"
# Rendered summaries by everything they are made of (see ``summary_key``).
RENDERED: dict[tuple, Markup] = {}
MAX_RENDERED = 2_000  # a summary is about 1 KB (whole articles more): a few MB per worker


def summary_key(template: Template, article: Article, show_full_text: bool) -> tuple:
    """Everything ``_article_summary.html`` (and its byline) prints for this article."""
    author = article.author
    return (
        template,
        article.pk,
        article.get_absolute_url(),
        article.title,
        article.sticky,
        author.get_absolute_url(),
        author.display_name,
        article.published_at,
        tuple((c.get_absolute_url(), c.name) for c in article.category_list),
        show_full_text,
        article.body_html if show_full_text else article.summary,
    )


def rendered_summaries(articles: Sequence[Article], *, show_full_text: bool) -> list[Markup]:
    """Each article's summary as the list template prints it, in order."""
    template = engines["jinja2"].env.get_template(TEMPLATE)
    found = []
    for article in articles:
        key = summary_key(template, article, show_full_text)
        html = RENDERED.get(key)
        if html is None:
            if len(RENDERED) >= MAX_RENDERED:
                RENDERED.clear()  # bounded memory; the lists' articles come straight back
            context = {"article": article, "show_full_text": show_full_text}
            html = RENDERED[key] = Markup(template.render(context))  # noqa: S704 — autoescaped
        found.append(html)
    return found
