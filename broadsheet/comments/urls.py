from django.urls import path, re_path

from broadsheet.comments import views

app_name = "comments"

urlpatterns = [
    path("comments/post/", views.post_comment, name="post"),
    path("wp-comments-post.php", views.post_comment, name="post-wordpress"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    re_path(r"^avatars/(?P<key>[0-9a-f]{20})\.svg$", views.avatar, name="avatar"),
]
