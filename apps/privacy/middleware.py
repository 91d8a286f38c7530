"""Request context for audit events, and the record of every access refused to a signed-in user."""

from __future__ import annotations

import logging

from . import audit

log = logging.getLogger(__name__)


class AuditMiddleware:
    """Keeps the current request available to ``apps.privacy.audit`` and records 403 answers.

    Placed after ``AuthenticationMiddleware``. A 403 from a page (``PermissionDenied`` → handler403), from the
    API (DRF permissions, where the token's user is set on the request too) or from the CSRF check is recorded
    as ``access_denied`` with the path; anonymous callers are not (they are sent to log in or get 401).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_current_request(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                try:
                    audit.access_denied(getattr(request, "user", None), request.path, request=request)
                except Exception:  # the audit trail must never turn a refusal into a server error
                    log.exception("could not record a refused access to %s", request.path)
            return response
        finally:
            audit.reset_current_request(token)
