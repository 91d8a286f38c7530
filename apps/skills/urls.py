from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("", views.index, name="index"),
    path("search.json", views.search_json, name="search_json"),
    path("<path:code>/", views.detail, name="detail"),
]
