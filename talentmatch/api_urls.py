"""API v1: each app contributes its own router module."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.skills.api.urls")),
    path("", include("apps.talent.api.urls")),
    path("", include("apps.jobs.api.urls")),
    path("", include("apps.matching.api.urls")),
    path("", include("apps.cohorts.api.urls")),
    path("", include("apps.applications.api.urls")),
    path("", include("apps.notifications.api.urls")),
    path("", include("apps.privacy.api.urls")),
    path("", include("apps.reports.api.urls")),
]
