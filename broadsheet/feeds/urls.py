"""Feed addresses in WordPress's shapes: ``…/feed/``, ``…/feed/atom/``, plus ``…/feed/json/``."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from broadsheet.feeds import feeds
from broadsheet.feeds.robots import robots_txt
from broadsheet.feeds.sitemap_index import index as sitemap_index
from broadsheet.feeds.sitemaps import SITEMAPS
from broadsheet.pagecache.tags import SITE, SITEMAP, cache_tagged

app_name = "feeds"

KIND = r"(?:(?P<kind>atom|json)/)?"

urlpatterns = [
    path("robots.txt", cache_tagged(SITE)(robots_txt), name="robots"),
    path(
        "sitemap.xml",
        cache_tagged(SITEMAP)(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "feeds:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_tagged(SITEMAP)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    re_path(rf"^feed/{KIND}$", feeds.ArticleFeed(), name="site"),
    re_path(rf"^comments/feed/{KIND}$", feeds.CommentFeed(), name="comments"),
    re_path(rf"^category/(?P<path>.+?)/feed/{KIND}$", feeds.CategoryFeed(), name="category"),
    re_path(rf"^tag/(?P<slug>[^/]+)/feed/{KIND}$", feeds.TagFeed(), name="tag"),
    re_path(rf"^author/(?P<slug>[^/]+)/feed/{KIND}$", feeds.AuthorFeed(), name="author"),
    re_path(
        rf"^(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/(?P<day>[0-9]{{2}})/(?P<slug>[^/]+)/feed/{KIND}$",
        feeds.ArticleCommentFeed(),
        name="article-comments",
    ),
]
