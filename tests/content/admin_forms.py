"""Driving the article admin through the forms it renders (shared by the admin and role tests)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from broadsheet.content.models import Article
from tests.html import HtmlForm, get_form


def article_change_url(article: Article) -> str:
    return reverse("admin:content_article_change", args=[article.pk])


def article_form(client: Client, article: Article | None = None) -> HtmlForm:
    url = article_change_url(article) if article else reverse("admin:content_article_add")
    return get_form(client, url, "article_form")


def field_errors(response, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Errors the re-rendered admin form shows next to one field."""
    return list(response.context["adminform"].form.errors.get(name, []))


def run_action(client: Client, action: str, articles: list[Article]):  # type: ignore[no-untyped-def]
    """Submit the changelist's action form as a browser would, with ``articles`` ticked."""
    url = reverse("admin:content_article_changelist")
    form = get_form(client, url, "changelist-form")
    return client.post(
        url,
        form.data(action=action, _selected_action=[str(article.pk) for article in articles]),
    )
