"""The site's URL map: one include per app, namespaced. No view code here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from broadsheet.core.views import favicon

handler400 = "broadsheet.core.views.bad_request"
handler404 = "broadsheet.core.views.page_not_found"
handler500 = "broadsheet.core.views.server_error"

urlpatterns = [
    # Before the admin: its login is ours (limited, two steps), as are the two-factor pages.
    path("admin/", include("broadsheet.accounts.urls")),
    path("admin/two-factor/passkeys/", include("broadsheet.accounts.webauthn_urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}, name="media"),
    path("", include("broadsheet.comments.urls")),
    path("", include("broadsheet.feeds.urls")),
    path("", include("broadsheet.search.urls")),
    path("", include("broadsheet.content.urls")),
]
