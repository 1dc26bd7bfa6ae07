"""The feeds, as Django ``Feed`` subclasses: one class per source, the format chosen per URL.

One instance of each class serves every request, from several threads at once, so it keeps
nothing of a request: what a request asks for (its format, the archive's object, the request
itself, for the page cache's tags) travels as Django's ``obj`` argument, a ``FeedRequest``.
Every address is absolute under BROADSHEET_SITE_URL, as pages' canonical links are, never
built from the request's Host.

Entry ids are tag URIs built from the host, the publication date and the primary key, so a
reader's feed client never sees an old article as new when its title or slug changes.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape

from broadsheet.comments.models import Comment
from broadsheet.content import reads
from broadsheet.content.metadata import absolute
from broadsheet.content.models import Article, Author, Category, Tag
from broadsheet.content.site import current_site_settings
from broadsheet.content.term_lists import filed_under
from broadsheet.core.urls import safe_http_url
from broadsheet.feeds.generators import generator
from broadsheet.pagecache import tags as cache_tags

ITEMS_PER_FEED = 20


def tag_uri(kind: str, pk: int, when) -> str:  # type: ignore[no-untyped-def]
    """``tag:news.example.org,2026-03-07:/article/42`` (RFC 4151): stable for the item's life."""
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    day = timezone.localdate(when).isoformat() if when else "2000-01-01"
    return f"tag:{host},{day}:/{kind}/{pk}"


def feed_suffix(kind: str) -> str:
    return {"rss": "feed/", "atom": "feed/atom/", "json": "feed/json/"}[kind]


def site_address(path_or_url: str) -> str:
    """The absolute URL of a path on this site, as pages print it, in URI form."""
    return iri_to_uri(absolute(path_or_url))


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """What one request asks of a feed; Django hands it to every feed-level hook as ``obj``."""

    request: HttpRequest
    kind: str  # rss, atom or json
    subject: Any = None  # the archive's category, tag, author or article; None site-wide


class FormatMixin:
    """Picks the generator from the URL's ``kind`` (rss, atom, json), per call."""

    feed_type = staticmethod(generator)

    def __call__(self, request: HttpRequest, *args, kind: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        response: HttpResponse = super().__call__(request, *args, kind=kind or "rss", **kwargs)  # type: ignore[misc]
        # Django's feed writer calls ``response.write`` once per XML fragment: about 900
        # chunks for twenty articles, each handed to the server separately. One body, sent
        # at once.
        response.content = response.content
        return response

    def get_object(self, request: HttpRequest, *args, kind: str, **kwargs) -> FeedRequest:  # type: ignore[no-untyped-def]
        return FeedRequest(request, kind, self.subject(request, *args, **kwargs))

    def subject(self, request: HttpRequest, *args, **kwargs) -> Any:  # type: ignore[no-untyped-def]
        """The archive's object from the URL's arguments (None for site-wide feeds)."""
        return None

    def feed_extra_kwargs(self, obj: FeedRequest) -> dict[str, Any]:
        return {"kind": obj.kind}

    def feed_url(self, obj: FeedRequest) -> str:
        return site_address(obj.request.path)

    def feed_copyright(self) -> str:
        return f"© {timezone.localdate().year} {current_site_settings().title}"


class ArticleFeed(FormatMixin, Feed):
    """Newest published articles of the whole site."""

    def title(self, obj: FeedRequest) -> str:
        return current_site_settings().title

    def subtitle(self, obj: FeedRequest) -> str:
        return current_site_settings().tagline

    description = subtitle

    def link(self, obj: FeedRequest) -> str:
        return site_address(reverse("content:home"))

    def articles(self, subject: Any) -> QuerySet:
        return Article.objects.published()

    def list_tag(self, obj: FeedRequest) -> str:
        return cache_tags.HOME

    def items(self, obj: FeedRequest) -> list[Article]:
        articles = self.articles(obj.subject).select_related("author").newest_first()
        found = list(articles[:ITEMS_PER_FEED])
        reads.attach_terms(found)  # one query for both; no related manager per item
        cache_tags.add_cache_tags(
            obj.request, self.list_tag(obj), *(cache_tags.article(a.pk) for a in found)
        )
        return found

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        """HTML, as RSS's description and Atom's summary are read: the plain summary escaped."""
        return escape(article.summary)

    def item_link(self, article: Article) -> str:
        return site_address(article.get_absolute_url())

    def item_guid(self, article: Article) -> str:
        return tag_uri("article", article.pk, article.published_at)

    item_guid_is_permalink = False

    def item_author_name(self, article: Article) -> str:
        return article.author.display_name

    def item_author_link(self, article: Article) -> str:
        return site_address(article.author.get_absolute_url())

    def item_pubdate(self, article: Article):  # type: ignore[no-untyped-def]
        return article.published_at

    def item_updateddate(self, article: Article):  # type: ignore[no-untyped-def]
        return max(article.updated_at, article.published_at)

    def item_categories(self, article: Article) -> list[str]:
        return [c.name for c in article.category_list] + [t.name for t in article.tag_list]

    def item_extra_kwargs(self, article: Article) -> dict[str, Any]:
        return {"content": article.body_html, "summary_text": article.summary}

    def item_enclosures(self, article: Article) -> list[Enclosure]:
        """The featured image travels with the entry; its size is not known here, and RSS
        readers accept a length of 0 for that."""
        image = safe_http_url(article.featured_image, relative=True)
        if not image:
            return []
        url = site_address(image)
        mime_type = mimetypes.guess_type(url.split("?")[0])[0] or "image/jpeg"
        return [Enclosure(url, "0", mime_type)]


class CategoryFeed(ArticleFeed):
    def subject(self, request: HttpRequest, path: str, **kwargs) -> Category:  # type: ignore[override]
        return get_object_or_404(Category, path=path)

    def title(self, obj: FeedRequest) -> str:
        return f"{current_site_settings().title} — Category: {obj.subject.name}"

    def link(self, obj: FeedRequest) -> str:
        return site_address(obj.subject.get_absolute_url())

    def articles(self, subject: Category) -> QuerySet:
        return filed_under(Article.objects.published(), "categories", subject.pk, ITEMS_PER_FEED)

    def list_tag(self, obj: FeedRequest) -> str:
        return cache_tags.category_list(obj.subject.pk)


class TagFeed(ArticleFeed):
    def subject(self, request: HttpRequest, slug: str, **kwargs) -> Tag:  # type: ignore[override]
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: FeedRequest) -> str:
        return f"{current_site_settings().title} — Tag: {obj.subject.name}"

    def link(self, obj: FeedRequest) -> str:
        return site_address(obj.subject.get_absolute_url())

    def articles(self, subject: Tag) -> QuerySet:
        return filed_under(Article.objects.published(), "tags", subject.pk, ITEMS_PER_FEED)

    def list_tag(self, obj: FeedRequest) -> str:
        return cache_tags.tag_list(obj.subject.pk)


class AuthorFeed(ArticleFeed):
    def subject(self, request: HttpRequest, slug: str, **kwargs) -> Author:  # type: ignore[override]
        return get_object_or_404(Author, slug=slug)

    def title(self, obj: FeedRequest) -> str:
        return f"{current_site_settings().title} — Articles by {obj.subject.display_name}"

    def link(self, obj: FeedRequest) -> str:
        return site_address(obj.subject.get_absolute_url())

    def articles(self, subject: Author) -> QuerySet:
        return Article.objects.published().filter(author=subject)

    def list_tag(self, obj: FeedRequest) -> str:
        return cache_tags.author_list(obj.subject.pk)


class CommentFeed(FormatMixin, Feed):
    """Newest approved comments, site-wide. Names and words only: never an email or IP."""

    def title(self, obj: FeedRequest) -> str:
        return f"Comments for {current_site_settings().title}"

    def link(self, obj: FeedRequest) -> str:
        return site_address(reverse("content:home"))

    def description(self, obj: FeedRequest) -> str:
        return self.title(obj)

    def comments(self, subject: Any) -> QuerySet:
        return Comment.objects.approved().filter(
            article__in=Article.objects.published().values("pk")
        )

    def list_tag(self, obj: FeedRequest) -> str:
        return cache_tags.COMMENT_FEEDS

    def items(self, obj: FeedRequest) -> list[Comment]:
        found = list(
            self.comments(obj.subject)
            .select_related("article")
            .order_by("-created_at", "-pk")[:ITEMS_PER_FEED]
        )
        # Entries print their article's title.
        article_tags = {cache_tags.article(c.article_id) for c in found}
        cache_tags.add_cache_tags(obj.request, self.list_tag(obj), *article_tags)
        return found

    def item_title(self, comment: Comment) -> str:
        return f"Comment on {comment.article.title} by {comment.author_name or 'Anonymous'}"

    def item_description(self, comment: Comment) -> str:
        return comment.body_html  # sanitized when the comment was saved

    def item_link(self, comment: Comment) -> str:
        return site_address(comment.get_absolute_url())

    def item_guid(self, comment: Comment) -> str:
        return tag_uri("comment", comment.pk, comment.created_at)

    item_guid_is_permalink = False

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name or "Anonymous"

    def item_pubdate(self, comment: Comment):  # type: ignore[no-untyped-def]
        return comment.created_at

    def item_updateddate(self, comment: Comment):  # type: ignore[no-untyped-def]
        return comment.updated_at


class ArticleCommentFeed(CommentFeed):
    """One article's comments (``/2026/03/07/slug/feed/``)."""

    def subject(  # type: ignore[override]
        self, request: HttpRequest, year: str, month: str, day: str, slug: str, **kwargs
    ) -> Article:
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise Http404("No such date.") from None
        return get_object_or_404(Article.objects.published(), published_on=date, slug=slug)

    def title(self, obj: FeedRequest) -> str:
        return f"Comments on: {obj.subject.title}"

    def link(self, obj: FeedRequest) -> str:
        return site_address(obj.subject.get_absolute_url())

    def comments(self, subject: Article) -> QuerySet:
        return Comment.objects.approved().filter(article=subject)

    def list_tag(self, obj: FeedRequest) -> str:
        cache_tags.add_cache_tags(obj.request, cache_tags.article(obj.subject.pk))
        return cache_tags.article_comments(obj.subject.pk)
