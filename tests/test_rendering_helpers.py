"""The shortcuts the public pages take for speed give exactly what the slow paths give."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import RequestFactory, override_settings
from django.utils import dateformat, timezone

from broadsheet.comments.form_markup import blank_form_html, comment_form_html
from broadsheet.comments.forms import CommentForm
from broadsheet.comments.spam import form_timestamp
from broadsheet.content.metadata import DESCRIPTION_LIMIT, short_description
from broadsheet.core.jinja import ISO, date
from tests.factories import ArticleFactory

MOMENTS = [
    dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 6, 30, 23, 59, 59, tzinfo=dt.UTC),
    dt.datetime(2024, 2, 29, 12, 0, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Asia/Kolkata", "America/St_Johns"])
@pytest.mark.parametrize("fmt", [ISO, "j F Y", "j F Y, H:i"])
def test_the_date_filter_matches_djangos_in_every_time_zone(zone: str, fmt: str) -> None:
    with override_settings(TIME_ZONE=zone), timezone.override(zone):
        for moment in MOMENTS:
            assert date(moment, fmt) == dateformat.format(timezone.localtime(moment), fmt)


@pytest.mark.django_db
def test_the_reused_blank_form_is_the_form_the_template_renders() -> None:
    """The once-rendered form with this article put in equals a full render (but for the
    indentation the reused copy drops)."""
    article = ArticleFactory()
    token = form_timestamp.issue(article.pk)
    request = RequestFactory().get(article.get_absolute_url())
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    form = CommentForm(
        initial={"comment_post_ID": article.pk, "comment_parent": 0, "form_token": token}
    )
    rendered = comment_form_html(request, article, form, reply_to=None, error="")
    reused = blank_form_html(article, token)
    assert re.sub(r"\n\s*", "\n", rendered) == reused
    assert f'value="{article.pk}"' in reused and article.get_absolute_url() in reused


@pytest.mark.parametrize(
    "text",
    ["Short and sweet.", "word " * 100, "x" * 400, "Ends at the limit " + "y" * 150],
)
def test_descriptions_stop_at_a_word_within_the_limit(text: str) -> None:
    found = short_description(text)
    assert len(found) <= DESCRIPTION_LIMIT
    if len(" ".join(text.split())) <= DESCRIPTION_LIMIT:
        assert found == " ".join(text.split())
    else:
        assert found.endswith("…")
