"""Reads of the privacy app: each user's consents as they stand, the audit trail for admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from .models import AuditEvent, ConsentRecord, Purpose
from .services import EMAIL_CONSENTS, PROFILE_CONSENTS


@dataclass(frozen=True)
class ConsentState:
    """One purpose (and scope) as it stands now: the switch, and the record that set it, if any."""

    purpose: str
    scope: str
    label: str
    granted: bool
    record: ConsentRecord | None

    @property
    def since(self) -> datetime | None:
        return self.record.created_at if self.record else None


def latest_records(user) -> dict[tuple[str, str], ConsentRecord]:
    """The latest record per (purpose, scope) of ``user``."""
    latest: dict[tuple[str, str], ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(user=user).order_by("created_at", "pk"):
        latest[(record.purpose, record.scope)] = record
    return latest


def consent_states(user) -> list[ConsentState]:
    """Matching and contact sharing (students), and email, read from the switches the platform obeys."""
    from apps.notifications.services import settings_for
    from apps.talent.models import StudentProfile

    latest = latest_records(user)
    states = []
    profile = StudentProfile.objects.filter(user=user).first()
    if profile is not None:
        for field, purpose in PROFILE_CONSENTS.items():
            states.append(ConsentState(purpose, "", str(Purpose(purpose).label), bool(getattr(profile, field)),
                                       latest.get((purpose, ""))))
    row = settings_for(user)
    granted = [bool(getattr(row, field)) for field in EMAIL_CONSENTS]
    records = [r for r in (latest.get((Purpose.EMAIL, scope)) for scope in EMAIL_CONSENTS.values()) if r]
    states.append(ConsentState(Purpose.EMAIL, "", str(Purpose.EMAIL.label), any(granted),
                               max(records, key=lambda r: (r.created_at, r.pk)) if records else None))
    return states


def firm_consents(user) -> QuerySet:
    """Firms the student shared contact details with by applying (active consents), one row per consent."""
    from apps.applications.models import ContactConsent

    return (ContactConsent.objects.for_user(user).active().filter(profile__user=user)
            .select_related("firm", "application__vacancy").order_by("firm__name", "-granted_at"))


def audit_events(user, *, actor: str = "", action: str = "", date_from=None, date_to=None) -> QuerySet[AuditEvent]:
    """The audit trail as ``user`` may read it (platform admins), filtered."""
    events = AuditEvent.objects.for_user(user).select_related("actor")
    actor = (actor or "").strip()
    if actor:
        events = events.filter(actor_id=int(actor)) if actor.isdigit() else events.filter(
            actor__email__icontains=actor)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.order_by("-created_at", "-pk")
