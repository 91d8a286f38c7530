"""API plumbing shared by every app: error translation and base permissions."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Turn service-layer errors into clear 4xx answers instead of 500s.

    Services raise Django's ``ValidationError`` (named fields) and the database may raise
    ``IntegrityError`` on a unique constraint (a conflict: 409).
    """
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail=detail)
    elif isinstance(exc, IntegrityError):
        return Response({"detail": "This conflicts with data that already exists."}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "You may not do this."}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
