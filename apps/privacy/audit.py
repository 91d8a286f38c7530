"""Writing the audit trail: one helper per kind of event, reading IP and user agent from the current request.

Views call ``contact_viewed(user, profile_ids)`` wherever they render a student's email or phone to someone
else; ``AuditMiddleware`` records refused access. Nothing here copies the values that were seen.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable

from .models import Action, AuditEvent

_current_request: contextvars.ContextVar = contextvars.ContextVar("privacy_current_request", default=None)

USER_AGENT_MAX = 200
PROFILE_TYPE = "talent.studentprofile"


def set_current_request(request):
    """Remember the request being served (the middleware does this) so events carry its IP and user agent."""
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)


def client_ip(request) -> str | None:
    """The client's address as the web server saw it (REMOTE_ADDR; a proxy in front must set it)."""
    address = (request.META.get("REMOTE_ADDR") or "").strip() if request is not None else ""
    return address or None


def _context(request=None) -> dict:
    request = request if request is not None else _current_request.get()
    if request is None:
        return {"ip": None, "user_agent": ""}
    return {"ip": client_ip(request), "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX]}


def _actor(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor": None, "actor_role": ""}
    role = "admin" if user.is_platform_admin else user.account_type
    return {"actor": user, "actor_role": role}


def record(*, user, action: str, target_type: str = "", target_id="", path: str = "", request=None) -> AuditEvent:
    """Record one event."""
    return AuditEvent.objects.create(**_actor(user), action=action, target_type=target_type,
                                     target_id=str(target_id or ""), path=path[:300], **_context(request))


def contact_viewed(user, profiles: Iterable, request=None) -> int:
    """Record that ``user`` was shown the email and phone of these ``StudentProfile``s (one event each).

    A student reading their own details is not recorded. Returns how many events were written.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    ids = list(dict.fromkeys(p.pk for p in profiles if p.user_id != user.pk))
    if not ids:
        return 0
    base = {**_actor(user), **_context(request), "action": Action.VIEW_CONTACT, "target_type": PROFILE_TYPE}
    AuditEvent.objects.bulk_create([AuditEvent(**base, target_id=str(pk)) for pk in ids])
    return len(ids)


def access_denied(user, path: str, request=None) -> AuditEvent | None:
    """Record a refused access (a 403 answered to a signed-in user), with the path but not the query string."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return record(user=user, action=Action.ACCESS_DENIED, path=path.split("?", 1)[0], request=request)
