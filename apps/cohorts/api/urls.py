from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("courses", views.CourseViewSet, basename="course")
router.register("cohorts", views.CohortViewSet, basename="cohort")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("placements", views.PlacementViewSet, basename="placement")

urlpatterns = [
    path("cohort-recommendations/", views.RecommendationsView.as_view(), name="cohort-recommendations"),
    path("training-insights/", views.InsightsView.as_view(), name="training-insights"),
    *router.urls,
]
