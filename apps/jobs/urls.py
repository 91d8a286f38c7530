from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("mine/", views.my_vacancies, name="mine"),
    path("new/", views.vacancy_create, name="create"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
    path("<int:pk>/edit/", views.vacancy_edit, name="edit"),
    path("<int:pk>/publish/", views.vacancy_publish, name="publish"),
    path("<int:pk>/close/", views.vacancy_close, name="close"),
    path("<int:pk>/delete/", views.vacancy_delete, name="delete"),
]
