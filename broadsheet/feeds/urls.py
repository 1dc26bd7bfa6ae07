"""Feed addresses in WordPress's shapes: ``…/feed/``, ``…/feed/atom/``, plus ``…/feed/json/``."""

from django.urls import re_path

from broadsheet.feeds import feeds

app_name = "feeds"

KIND = r"(?:(?P<kind>atom|json)/)?"

urlpatterns = [
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
