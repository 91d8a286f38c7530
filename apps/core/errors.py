"""Error answers Django gives outside a view (no URL matched, a refusal or a crash before/after the view):
JSON shaped like the API's own errors (``{"detail": ...}``, as ``apps.core.api.exception_handler``) under /api/,
Django's HTML pages (templates/404.html, 403.html, 500.html) everywhere else.

Wired in ``talentmatch/urls.py`` as ``handler400``/``handler403``/``handler404``/``handler500``.
"""

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _json(exc_class, status: int) -> JsonResponse:
    # DRF's own default messages (translated by DRF's catalogue), so these match what a view's error says.
    return JsonResponse({"detail": str(exc_class.default_detail)}, status=status)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if _is_api(request):
        return _json(exceptions.ParseError, 400)
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if _is_api(request):
        return _json(exceptions.PermissionDenied, 403)
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if _is_api(request):
        return _json(exceptions.NotFound, 404)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if _is_api(request):
        return _json(exceptions.APIException, 500)
    return defaults.server_error(request, template_name)
