"""Public pages. Each view parses the URL, asks a queryset or ``listings`` for the data,
and renders; the query count of every page is fixed, whatever the number of articles."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from broadsheet.comments.forms import CommentForm
from broadsheet.comments.section import comment_section
from broadsheet.comments.section import summary_read as comment_summary_read
from broadsheet.content import home_positions, reads, roles
from broadsheet.content.listings import render_listing
from broadsheet.content.metadata import article_meta, page_meta
from broadsheet.content.models import Article, Author, Category, Page, SiteSettings, Tag
from broadsheet.content.related import related_and_neighbours
from broadsheet.content.site import current_site_settings
from broadsheet.core.numbers import parse_page
from broadsheet.pagecache import tags as cache_tags
from broadsheet.pagecache.tags import add_cache_tags

PAGED_PATH = re.compile(r"^(?P<path>.+?)/page/(?P<page>[0-9]+)$")


def home(request: HttpRequest, page: int = 1) -> HttpResponse:
    if "s" in request.GET:  # WordPress's search address, /?s=words
        query = urlencode({"q": request.GET["s"]})
        return HttpResponsePermanentRedirect(f"{reverse('search:results')}?{query}")
    add_cache_tags(request, cache_tags.HOME)
    if request.user.is_staff:  # private articles too
        articles = Article.objects.visible_to(request.user)
        articles = articles.order_by("-sticky", "-published_at", "-pk")
        page_ids = None
    else:
        articles, page_ids = None, home_positions.home_page_ids
    return render_listing(
        request,
        articles,
        page_ids=page_ids,
        page=page,
        base_url=reverse("content:home"),
        heading=None,
        template="broadsheet/content/home.html",
    )


def category_archive(request: HttpRequest, path: str) -> HttpResponse:
    page = 1
    if match := PAGED_PATH.match(path):
        path, number = match["path"], parse_page(match["page"])
        if number is None:
            raise Http404("No such page.")
        page = number
    category = get_object_or_404(Category, path=path)
    add_cache_tags(request, cache_tags.category_list(category.pk))
    articles = Article.objects.visible_to(request.user).newest_first()
    return render_listing(
        request,
        articles,
        page=page,
        filed_under=("categories", category.pk),
        base_url=category.get_absolute_url(),
        heading=f"Category: {category.name}",
        feed_url=f"{category.get_absolute_url()}feed/",
        description=category.description,
    )


def tag_archive(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    add_cache_tags(request, cache_tags.tag_list(tag.pk))
    articles = Article.objects.visible_to(request.user).newest_first()
    return render_listing(
        request,
        articles,
        page=page,
        filed_under=("tags", tag.pk),
        base_url=tag.get_absolute_url(),
        heading=f"Tag: {tag.name}",
        feed_url=f"{tag.get_absolute_url()}feed/",
    )


def author_archive(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    add_cache_tags(request, cache_tags.author_list(author.pk))
    articles = Article.objects.visible_to(request.user).filter(author=author).newest_first()
    return render_listing(
        request,
        articles,
        page=page,
        base_url=author.get_absolute_url(),
        heading=f"Articles by {author.display_name}",
        feed_url=f"{author.get_absolute_url()}feed/",
        description=author.bio,
    )


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def date_archive(
    request: HttpRequest, year: int, month: int | None = None, day: int | None = None, page: int = 1
) -> HttpResponse:
    try:
        if day is not None:
            first = dt.date(year, month or 0, day)
            after = first + dt.timedelta(days=1)
            heading, base = (
                f"Day: {first:%-d %B %Y}",
                reverse("content:day", args=[year, month, day]),
            )
        elif month is not None:
            first = dt.date(year, month, 1)
            after = (first + dt.timedelta(days=31)).replace(day=1)
            heading, base = f"Month: {first:%B %Y}", reverse("content:month", args=[year, month])
        else:
            first, after = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
            heading, base = f"Year: {year}", reverse("content:year", args=[year])
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None
    # A range of publication times (the site's days), which the newest-first index serves for
    # both the filter and the order; filtering on the date column made the database sort them.
    end = local_midnight(after)
    articles = Article.objects.visible_to(request.user, before=end).newest_first()
    articles = articles.filter(published_at__gte=local_midnight(first), published_at__lt=end)
    add_cache_tags(request, cache_tags.date_list(year, month, day))
    return render_listing(request, articles, page=page, base_url=base, heading=heading)


def _visible_or_404(request: HttpRequest, article: Article | None) -> Article:
    if article is None:
        raise Http404("No such article.")
    if article.is_live:
        return article
    if article.status == "private" and request.user.is_staff:
        return article
    if roles.can_edit_article(request.user, article):
        article.is_preview = True  # an editor looking at an unpublished article
        return article
    raise Http404("No such article.")


def _show_article(
    request: HttpRequest, article: Article, comment_page: int | None = None
) -> HttpResponse:
    """Render at the canonical URL; any other form of the address answers 301 there."""
    canonical = article.get_absolute_url()
    if request.path != unquote(canonical) and not getattr(article, "is_preview", False):
        if comment_page is None or not request.path.startswith(unquote(canonical)):
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(canonical + (f"?{query}" if query else ""))
    return render_article(request, article, comment_page=comment_page)


def render_article(
    request: HttpRequest,
    article: Article,
    *,
    comment_page: int | None = None,
    comment_form: CommentForm | None = None,
    comment_error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The article page; the comments app calls it too, to show a rejected comment's errors."""
    summary = comment_summary_read(request, article, comment_page)
    related, previous_article, next_article = related_and_neighbours(article, along=summary)
    # The page prints its neighbours' and related articles' titles, and its related articles
    # change when anything joins or leaves its categories and tags.
    shown = [article, *related, previous_article, next_article]
    add_cache_tags(
        request,
        cache_tags.article_page(article.pk),
        cache_tags.article_comments(article.pk),
        *(cache_tags.article(a.pk) for a in shown if a is not None),
        *(cache_tags.category_list(c.pk) for c in article.category_list),
        *(cache_tags.tag_list(t.pk) for t in article.tag_list),
    )
    context = {
        "article": article,
        "meta": article_meta(article, current_site_settings()),
        "related_articles": related,
        "previous_article": previous_article,
        "next_article": next_article,
        **comment_section(
            request,
            article,
            page=comment_page,
            form=comment_form,
            error=comment_error,
            summary=summary,
        ),
    }
    return render(request, "broadsheet/content/article.html", context, status=status)


def article_detail(
    request: HttpRequest,
    year: int,
    month: int,
    day: int,
    slug: str,
    comment_page: int | None = None,
) -> HttpResponse:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise Http404("No such date.") from None
    article = _visible_or_404(request, reads.article_on_day(date, slug))
    return _show_article(request, article, comment_page)


def article_by_month(request: HttpRequest, year: int, month: int, slug: str) -> HttpResponse:
    try:
        article = reads.article_in_month(year, month, slug)
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None
    return _show_article(request, _visible_or_404(request, article))


def article_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    return _show_article(request, _visible_or_404(request, reads.article_by_id(pk)))


def page_detail(request: HttpRequest, path: str) -> HttpResponse:
    page = Page.objects.select_related("parent").filter(path=path).first()
    if page is None:
        post_name = current_site_settings().permalink_style == SiteSettings.Permalink.POST_NAME
        if post_name and "/" not in path:
            # Under /%postname%/ an article's address looks like a page's.
            article = _visible_or_404(request, reads.dated_article_by_slug(path))
            return _show_article(request, article)
        raise Http404("No such page.")
    if page.status != "published" and not request.user.has_perm("content.change_page"):
        raise Http404("No such page.")
    add_cache_tags(request, cache_tags.page(page.pk))
    if page.parent_id:
        add_cache_tags(request, cache_tags.page(page.parent_id))
    context = {"page": page, "meta": page_meta(page, current_site_settings())}
    return render(request, "broadsheet/content/page.html", context)
