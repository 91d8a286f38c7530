"""The retention policy (settings.PRIVACY_RETENTION, documented in docs/security.md "Privacy").

What goes, and when:
* accounts never signed in to (imported, never claimed) ``UNCLAIMED_ACCOUNT_DAYS`` after they were created, and
  accounts not signed in to for ``INACTIVE_ACCOUNT_DAYS``: erased like "delete my account" (staff are exempt);
* audit events older than ``AUDIT_EVENT_DAYS``;
* expired login sessions;
* notifications older than ``NOTIFICATION_DAYS``;
* stored matches of profiles no longer matchable (matching withdrawn, hidden, deactivated) computed more than
  ``UNMATCHABLE_MATCH_DAYS`` ago.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

TOMBSTONE_DOMAIN = "@deleted.invalid"


def _days(name: str) -> dt.timedelta:
    return dt.timedelta(days=int(settings.PRIVACY_RETENTION[name]))


def stale_accounts(now) -> QuerySet:
    never = Q(last_login__isnull=True, date_joined__lt=now - _days("UNCLAIMED_ACCOUNT_DAYS"))
    idle = Q(last_login__lt=now - _days("INACTIVE_ACCOUNT_DAYS"))
    return (get_user_model().objects.filter(never | idle).filter(is_staff=False, is_superuser=False)
            .exclude(email__endswith=TOMBSTONE_DOMAIN).order_by("pk"))


def stale_querysets(now) -> dict[str, QuerySet]:
    """Everything the policy removes by deleting rows, by name."""
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    from apps.matching.models import CandidateMatch, VacancyMatch
    from apps.notifications.models import Notification
    from apps.talent.models import StudentProfile

    from .models import AuditEvent

    matchable = StudentProfile.objects.matchable().values("pk")
    match_cutoff = now - _days("UNMATCHABLE_MATCH_DAYS")
    return {
        "audit_events": AuditEvent.objects.filter(created_at__lt=now - _days("AUDIT_EVENT_DAYS")),
        "sessions": Session.objects.filter(expire_date__lt=now),
        "notifications": Notification.objects.filter(created_at__lt=now - _days("NOTIFICATION_DAYS")),
        "candidate_matches": CandidateMatch.objects.exclude(profile__in=matchable).filter(
            computed_at__lt=match_cutoff),
        "vacancy_matches": VacancyMatch.objects.exclude(profile__in=matchable).filter(computed_at__lt=match_cutoff),
        # django-axes keeps failed sign-ins (the email tried and the address) for the lockout; once the
        # cool-off has passed they serve no purpose.
        "failed_logins": AccessAttempt.objects.filter(attempt_time__lt=now - _days("FAILED_LOGIN_DAYS")),
    }


def purge_stale_data(*, dry_run: bool = False, now=None) -> dict[str, int]:
    """Apply the policy; with ``dry_run`` only count. Returns how many rows (accounts) each rule removes."""
    from .services import account_erase

    now = now or timezone.now()
    accounts = list(stale_accounts(now))
    counts = {"accounts": len(accounts)}
    if not dry_run:
        for user in accounts:
            account_erase(user=user, actor=None)
    for name, queryset in stale_querysets(now).items():
        counts[name] = queryset.count() if dry_run else queryset.delete()[0]
    return counts
