"""Brute-force protection: the login lockout (django-axes) and request throttles (DRF and plain views).

Logins. ``AxesBackend`` goes first in ``AUTHENTICATION_BACKENDS``: a pair of account and client address is
locked for ``AXES_COOLOFF_TIME`` after ``AXES_FAILURE_LIMIT`` failed logins (page or ``/api/v1/auth/token/``),
and an account is locked from every address after ``AXES_ACCOUNT_FAILURE_LIMIT`` failures within the cool-off
time, however many addresses they came from. Locked logins answer 429 with a message in the caller's language
(``lockout_response``).

Throttles. An expensive operation names a throttle scope: a DRF view with ``throttle_scope = "..."`` or an
entry in ``THROTTLED_VIEWS``; a plain Django view with the ``throttle_view(scope)`` decorator. Each scope has a
per-user rate (``DEFAULT_THROTTLE_RATES[scope]``) and a per-address rate (``[scope + "_ip"]``); going over
either answers 429 with how long to wait.
"""

from __future__ import annotations

import functools
import math

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

# DRF views (dotted path of the class) that count against a throttle scope without setting
# ``throttle_scope`` themselves. A view's own ``throttle_scope`` wins.
THROTTLED_VIEWS = {
    "apps.matching.api.views.VacancyCandidatesRefreshView": "rematch",
    "apps.matching.api.views.MyMatchesRefreshView": "rematch",
}

# --- logins --------------------------------------------------------------------------------------------------


def axes_username(request, credentials: dict | None) -> str | None:
    """The account a login attempt names: the email of the login form (``username``) or the API (``email``)."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("email") or data.get("username") if hasattr(data, "get") else None
    return str(value).strip().lower() if value else None


def _mark_locked_out(request, credentials=None) -> None:
    """Flag the Django request (also behind a DRF ``Request``) so ``AxesMiddleware`` answers with the lockout."""
    inner = getattr(request, "_request", None)
    for target in (request, inner) if inner is not None else (request,):
        target.axes_locked_out = True
        if credentials is not None:
            target.axes_credentials = credentials


@receiver(user_locked_out)
def _lockout_reaches_the_django_request(sender, request=None, **kwargs):
    """Axes flags the request object it was given; for the token API that is DRF's wrapper, not the
    ``HttpRequest`` the middleware sees."""
    if request is not None:
        _mark_locked_out(request, getattr(request, "axes_credentials", None))


def account_failures(username: str) -> int:
    """Failed logins naming ``username`` from any address within the cool-off time."""
    from axes.models import AccessAttempt
    from django.db.models import Sum
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return total or 0


class AxesBackend(AxesStandaloneBackend):
    """Axes' lockout check plus a per-account limit across addresses.

    Every login over HTTP passes the request (Django's login form and ``TokenRequestSerializer`` do). A call
    without one (``Client.login`` in tests, a shell) is not a remote attempt and is not checked: this backend
    then returns ``None`` and the next backend authenticates as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not settings.AXES_ENABLED:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        name = axes_username(request, {"username": username, **kwargs})
        limit = getattr(settings, "AXES_ACCOUNT_FAILURE_LIMIT", None)
        if name and limit and account_failures(name) >= limit:
            _mark_locked_out(request, {"username": username, **kwargs})
            raise AxesBackendPermissionDenied("the account had too many failed logins from several addresses")
        return None


def _cool_off_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    minutes = _cool_off_minutes()
    return ngettext(
        "Too many failed logins. This account is locked for %(minutes)s minute; try again later or reset your "
        "password.",
        "Too many failed logins. This account is locked for %(minutes)s minutes; try again later or reset your "
        "password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 with the message as JSON for the API, else the lockout page."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(request, "security/429.html", {"title": _("Account locked"), "message": lockout_message(),
                                                         "show_reset": True}, status=429)
    response["Retry-After"] = retry_after
    return response


# --- throttles -----------------------------------------------------------------------------------------------


def throttle_scope_for(view) -> str | None:
    """The throttle scope of a DRF view (its ``throttle_scope``, else ``THROTTLED_VIEWS``), or None."""
    scope = getattr(view, "throttle_scope", None)
    if scope:
        return scope
    cls = view if isinstance(view, type) else type(view)
    return THROTTLED_VIEWS.get(f"{cls.__module__}.{cls.__qualname__}")


class _ScopedThrottle(SimpleRateThrottle):
    """A throttle that applies only to views with a scope (and only to unsafe methods)."""

    suffix = ""

    def __init__(self):  # the rate depends on the view: chosen in allow_request
        pass

    def rate_for(self, scope: str) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(scope + self.suffix)  # read now: tests change the rates

    def allow_request(self, request, view):
        scope = throttle_scope_for(view)
        if not scope or request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        self.scope = scope
        self.rate = self.rate_for(scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class ScopedUserRateThrottle(_ScopedThrottle):
    """Per signed-in user (anonymous callers count per address)."""

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else f"ip-{self.get_ident(request)}"
        return f"throttle_{self.scope}_{ident}"


class ScopedIPRateThrottle(_ScopedThrottle):
    """Per client address, whoever is signed in (many accounts from one address)."""

    suffix = "_ip"

    def get_cache_key(self, request, view):
        return f"throttle_{self.scope}_ip_{self.get_ident(request)}"


THROTTLE_CLASSES = (ScopedUserRateThrottle, ScopedIPRateThrottle)


def throttled_message(wait: float | None) -> str:
    seconds = max(1, math.ceil(wait or 1))
    return ngettext(
        "Too many requests of this kind. Try again in %(seconds)s second.",
        "Too many requests of this kind. Try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}


def throttle_view(scope: str, *, methods=("POST", "PUT", "PATCH", "DELETE")):
    """Apply the scope's per-user and per-address rates to a plain Django view; 429 page when over."""

    class _View:  # the throttles look the scope up on the view
        throttle_scope = scope

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                waits = []
                for throttle_class in THROTTLE_CLASSES:
                    throttle = throttle_class()
                    if not throttle.allow_request(request, _View()):
                        waits.append(throttle.wait() or 1)
                if waits:
                    message = throttled_message(max(waits))
                    response = render(request, "security/429.html", {"message": message,
                                                                     "title": _("Too many requests")}, status=429)
                    response["Retry-After"] = str(math.ceil(max(waits)))
                    return response
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator
