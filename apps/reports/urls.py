from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("find/", views.find, name="find"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/export/<slug:section>.<slug:fmt>", views.export, name="export"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/review/", views.run_review, name="run_review"),
    path("runs/<int:pk>/comments/", views.run_comment, name="run_comment"),
]
