from django.urls import path

from broadsheet.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="results"),
    path("search/page/<int:page>/", views.search, name="results-page"),
]
