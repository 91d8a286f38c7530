from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("match-runs", views.MatchRunViewSet, basename="match-run")

urlpatterns = [
    path("vacancies/<int:vacancy_id>/candidates/", views.VacancyCandidatesView.as_view(), name="vacancy-candidates"),
    path("vacancies/<int:vacancy_id>/candidates/refresh/", views.VacancyCandidatesRefreshView.as_view(),
         name="vacancy-candidates-refresh"),
    path("matches/mine/", views.MyMatchesView.as_view(), name="my-matches"),
    path("matches/mine/refresh/", views.MyMatchesRefreshView.as_view(), name="my-matches-refresh"),
    *router.urls,
]
