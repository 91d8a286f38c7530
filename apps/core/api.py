"""API plumbing shared by every app: error translation, row scoping, and schema defaults for error answers."""

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ApiLanguageMiddleware:
    """Let API callers choose the answer language with ``Accept-Language`` (or the language cookie).

    Pages pick their language from the URL prefix, and ``LocaleMiddleware`` gives every unprefixed path the
    default language; API paths carry no prefix, so without this the API could only ever answer in Chinese.
    Goes right after ``LocaleMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def exception_handler(exc, context):
    """Turn service-layer errors into clear 4xx answers instead of 500s.

    Services raise Django's ``ValidationError`` (named fields) and the database may raise
    ``IntegrityError`` on a unique constraint (a conflict: 409).
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {("non_field_errors" if field == "__all__" else field): messages
                      for field, messages in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        exc = ValidationError(detail=detail)
    elif isinstance(exc, IntegrityError):
        return Response({"detail": _("This conflicts with data that already exists.")},
                        status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or _("You may not do this.")}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)


class ScopedQuerysetMixin:
    """Every row a view reads comes through the model's ``for_user(user)`` QuerySet method (NetBox's ``restrict``).

    Views declare ``queryset`` (with their select/prefetch) and get it narrowed to what the caller may see.
    Reference data with no per-user rule says so explicitly with ``scope_public = True``.
    """

    scope_public = False

    def get_base_queryset(self):
        """The rows before scoping; override to search or filter in a selector."""
        return super().get_queryset()

    def get_queryset(self):
        queryset = self.get_base_queryset()
        for_user = getattr(queryset, "for_user", None)
        if for_user is not None:
            return for_user(self.request.user)
        if self.scope_public:
            return queryset
        raise ImproperlyConfigured(
            f"{type(self).__name__}: {queryset.model.__name__} has no for_user(); set scope_public if it is public."
        )


# --- Schema: document the error answers every operation can give -----------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Shape of every non-validation error answer."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, in the caller's language."))


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field name → list of messages; `non_field_errors` for messages about the whole request. "
                   "Errors in a list of items are keyed by the item's position (from 0), so each names its item.",
    "additionalProperties": {},
    "example": {"title": ["This field is required."],
                "required_skills": {"1": {"skill": ["Unknown skill 'Amazn'. Did you mean: Amazon Seller Central "
                                                    "(platform.amazon_seller_central)?"]}}},
}

_ERROR_RESPONSES = {
    "400": OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="Invalid input; the body names the fields."),
    "401": OpenApiResponse(ErrorSerializer, description="Not signed in (send `Authorization: Token <key>`)."),
    "403": OpenApiResponse(ErrorSerializer, description="Signed in, but this account may not do this."),
    "404": OpenApiResponse(ErrorSerializer, description="No such object visible to this account "
                                                        "(or, on a list, a page past the end)."),
    "409": OpenApiResponse(ErrorSerializer, description="Conflicts with data that already exists."),
}

_WRITE_METHODS = {"POST", "PUT", "PATCH"}
_MODEL_WRITE_ACTIONS = {"create", "update", "partial_update"}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error answers (400/401/403/404/409) an operation can give.

    What is added follows from the view: writes may answer 400, views whose permissions can refuse answer
    401/403, paths with an object key answer 404, model writes may conflict (409). Codes a view documents
    itself with ``extend_schema(responses=...)`` are kept as given.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(_ERROR_RESPONSES[code], code, direction=direction)
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[str]:
        codes = []
        action = getattr(self.view, "action", None)
        queried_list = self._is_list_view() and (self._get_filter_parameters() or self.get_override_parameters())
        if self.method in _WRITE_METHODS or queried_list:
            codes.append("400")
        codes += self._refusal_codes()
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if action in _MODEL_WRITE_ACTIONS:
            codes.append("409")
        return codes

    def _refusal_codes(self) -> list[str]:
        """401 if an anonymous caller can be refused; 403 if a signed-in one can."""
        checks = [check for check in self.view.get_permissions() if not isinstance(check, permissions.AllowAny)]
        if self.method in permissions.SAFE_METHODS:
            checks = [check for check in checks if not (getattr(check, "allows_anonymous_reads", False)
                                                        or isinstance(check, permissions.IsAuthenticatedOrReadOnly))]
        if not checks:
            return []
        if all(isinstance(check, (permissions.IsAuthenticated, permissions.IsAuthenticatedOrReadOnly))
               for check in checks):
            return ["401"]
        return ["401", "403"]
