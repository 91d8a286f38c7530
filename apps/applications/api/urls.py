from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("applications", views.ApplicationViewSet, basename="application")

urlpatterns = [
    path("invitations/", views.InvitationCreateView.as_view(), name="invitation-create"),
    path("vacancies/<int:vacancy_id>/pipeline/", views.PipelineView.as_view(), name="vacancy-pipeline"),
    path("vacancies/<int:vacancy_id>/pipeline/bulk/", views.PipelineBulkView.as_view(), name="vacancy-pipeline-bulk"),
    *router.urls,
]
