from django.urls import path, register_converter

from broadsheet.content import converters, views

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigit, "mm")
register_converter(converters.TwoDigit, "dd")
register_converter(converters.PageNumber, "page")
register_converter(converters.RowId, "id")

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("page/<page:page>/", views.home, name="home-page"),
    path("archives/<id:pk>/", views.article_by_id, name="article-by-id"),
    path("category/<path:path>/", views.category_archive, name="category"),
    path("tag/<str:slug>/", views.tag_archive, name="tag"),
    path("tag/<str:slug>/page/<page:page>/", views.tag_archive, name="tag-page"),
    path("author/<str:slug>/", views.author_archive, name="author"),
    path("author/<str:slug>/page/<page:page>/", views.author_archive, name="author-page"),
    path("<yyyy:year>/", views.date_archive, name="year"),
    path("<yyyy:year>/page/<page:page>/", views.date_archive, name="year-page"),
    path("<yyyy:year>/<mm:month>/", views.date_archive, name="month"),
    path("<yyyy:year>/<mm:month>/page/<page:page>/", views.date_archive, name="month-page"),
    path("<yyyy:year>/<mm:month>/<dd:day>/", views.date_archive, name="day"),
    path("<yyyy:year>/<mm:month>/<dd:day>/page/<page:page>/", views.date_archive, name="day-page"),
    path("<yyyy:year>/<mm:month>/<dd:day>/<str:slug>/", views.article_detail, name="article"),
    path(
        "<yyyy:year>/<mm:month>/<dd:day>/<str:slug>/comment-page-<page:comment_page>/",
        views.article_detail,
        name="article-comments-page",
    ),
    path("<yyyy:year>/<mm:month>/<str:slug>/", views.article_by_month, name="article-month"),
    # Last: standing pages (and, under the post-name permalink style, articles) by path.
    path("<path:path>/", views.page_detail, name="page"),
]
