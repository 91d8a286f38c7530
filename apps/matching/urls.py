from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("mine/", views.my_matches, name="mine"),
    path("mine/refresh/", views.my_refresh, name="mine_refresh"),
    path("vacancy/<int:vacancy_id>/", views.vacancy_candidates, name="vacancy"),
    path("vacancy/<int:vacancy_id>/refresh/", views.vacancy_refresh, name="vacancy_refresh"),
]
