"""Root URLconf: pages (i18n-prefixed where they are for people), the API under /api/v1/, the admin."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include("talentmatch.api_urls")),
    path("healthz", include("apps.core.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("skills/", include("apps.skills.urls")),
    path("profile/", include("apps.talent.urls")),
    path("vacancies/", include("apps.jobs.urls")),
    path("matches/", include("apps.matching.urls")),
    path("cohorts/", include("apps.cohorts.urls")),
    path("applications/", include("apps.applications.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("privacy/", include("apps.privacy.urls")),
    path("imports/", include("apps.imports.urls")),
    path("reports/", include("apps.reports.urls")),
    path("", include("apps.web.urls")),
    prefix_default_language=False,
)

# JSON errors ({"detail": ...}) under /api/, the HTML pages elsewhere (apps/core/errors.py).
handler400 = "apps.core.errors.bad_request"
handler403 = "apps.core.errors.permission_denied"
handler404 = "apps.core.errors.page_not_found"
handler500 = "apps.core.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
