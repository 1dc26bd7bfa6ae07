"""Where the discussion settings row is read, through ``core/singletons.py``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from broadsheet.comments.models import DiscussionSettings
from broadsheet.content.models import Article
from broadsheet.core.singletons import forget, load_settings_row

CACHE_KEY = "discussion-settings:v1"


def discussion_settings() -> DiscussionSettings:
    return load_settings_row(DiscussionSettings, CACHE_KEY)


def forget_cached_discussion_settings(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
    forget(CACHE_KEY)


def comments_are_open(article: Article, settings: DiscussionSettings) -> bool:
    """Open on the article, and not auto-closed by age (decided at read time, as WordPress does)."""
    if not article.comments_open or not article.is_live:
        return False
    if settings.close_after_days and article.published_at:
        return timezone.now() - article.published_at < dt.timedelta(days=settings.close_after_days)
    return True
