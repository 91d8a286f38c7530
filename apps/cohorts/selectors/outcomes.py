"""Placement tracking: who each cohort and programme trained, who was hired where, how long after completing,
the placement rate against the programme's target, and hires at partner firms against their reserved places.

A graduate (completed enrollment) counts as placed by a cohort when they have a placement that started on or
after the cohort's first day (订单班 students often start before the last one). Counts are aggregates over
every enrollment; the per-person rows are only those ``Enrollment.objects.for_user`` lets the reader see —
the whole roster for its staff, the consenting graduates for partner firms, none for government.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import Organisation

from ..models import Cohort, Enrollment, EnrollmentStatus, Placement, Programme


@dataclass
class GraduateOutcome:
    """One graduate: their first placement since the cohort began, and how long after completing."""

    enrollment: Enrollment
    placement: Placement | None
    days_to_placement: int | None
    at_partner_firm: bool
    email: str = ""  # only when the graduate lets this reader see it (``StudentProfile.contact_visible_to``)


@dataclass
class Outcome:
    """Counts for one cohort or one programme."""

    enrolled: int = 0
    completed: int = 0
    failed: int = 0
    dropped: int = 0
    placed: int = 0
    placed_at_partners: int = 0
    days_to_placement: list[int] = field(default_factory=list)

    @property
    def placement_rate(self) -> float | None:
        """Placed graduates as a percentage of graduates (None before anyone completed)."""
        return round(100.0 * self.placed / self.completed, 1) if self.completed else None

    @property
    def median_days_to_placement(self) -> float | None:
        return float(statistics.median(self.days_to_placement)) if self.days_to_placement else None

    def add(self, other: Outcome) -> None:
        for name in ("enrolled", "completed", "failed", "dropped", "placed", "placed_at_partners"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.days_to_placement += other.days_to_placement


@dataclass
class CohortOutcome:
    """A cohort's totals and the graduates the reader may see."""

    cohort: Cohort
    totals: Outcome
    graduates: list[GraduateOutcome]


@dataclass
class PartnerOutcome:
    """A partner firm's hires from the programme against the places it reserved."""

    firm: Organisation
    reserved_places: int
    hired: int

    @property
    def filled_rate(self) -> float | None:
        return round(100.0 * self.hired / self.reserved_places, 1) if self.reserved_places else None


@dataclass
class ProgrammeOutcome:
    """A programme's totals against its targets, per cohort and per partner firm."""

    programme: Programme
    totals: Outcome
    cohorts: list[CohortOutcome]
    partners: list[PartnerOutcome]

    @property
    def trained_vs_target(self) -> float | None:
        target = self.programme.target_trained
        return round(100.0 * self.totals.completed / target, 1) if target else None

    @property
    def target_rate(self) -> float:
        return float(self.programme.target_placement_rate or Decimal(0))

    @property
    def meets_placement_target(self) -> bool | None:
        rate = self.totals.placement_rate
        return None if rate is None else rate >= self.target_rate


def _outcomes(user, cohorts: list[Cohort], partner_firms: dict[int, set[int]]) -> list[CohortOutcome]:
    """``partner_firms``: programme id -> firm ids."""
    enrollments = list(Enrollment.objects.filter(cohort__in=cohorts).select_related("profile", "profile__user"))
    visible = set(Enrollment.objects.for_user(user).filter(cohort__in=cohorts).values_list("pk", flat=True))
    graduates = {e.profile_id for e in enrollments if e.status == EnrollmentStatus.COMPLETED}
    placements: dict[int, list[Placement]] = {}
    for placement in Placement.objects.filter(profile_id__in=graduates).select_related("firm").order_by(
            "started_on", "pk"):
        placements.setdefault(placement.profile_id, []).append(placement)
    out = []
    for cohort in cohorts:
        partners = partner_firms.get(cohort.programme_id, set())
        totals, rows = Outcome(), []
        for enrollment in (e for e in enrollments if e.cohort_id == cohort.pk):
            if enrollment.status in (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.FAILED):
                totals.enrolled += 1
            if enrollment.status == EnrollmentStatus.FAILED:
                totals.failed += 1
            if enrollment.status == EnrollmentStatus.DROPPED:
                totals.dropped += 1
            if enrollment.status != EnrollmentStatus.COMPLETED:
                continue
            totals.completed += 1
            placement = next((p for p in placements.get(enrollment.profile_id, [])
                              if p.started_on >= cohort.starts_on), None)
            days = None
            at_partner = False
            if placement is not None:
                totals.placed += 1
                at_partner = placement.firm_id in partners
                totals.placed_at_partners += int(at_partner)
                if enrollment.completed_at:
                    days = (placement.started_on - timezone.localdate(enrollment.completed_at)).days
                    totals.days_to_placement.append(days)
            if enrollment.pk in visible:
                profile = enrollment.profile
                rows.append(GraduateOutcome(enrollment=enrollment, placement=placement, days_to_placement=days,
                                            at_partner_firm=at_partner,
                                            email=profile.user.email if profile.contact_visible_to(user) else ""))
        rows.sort(key=lambda r: (r.placement is None, r.enrollment.profile.user.full_name or "", r.enrollment.pk))
        out.append(CohortOutcome(cohort=cohort, totals=totals, graduates=rows))
    return out


def cohort_outcome(user, cohort: Cohort) -> CohortOutcome:
    """One cohort's totals and the graduates the user may see, with where they were hired."""
    partners = {}
    if cohort.programme_id:
        partners[cohort.programme_id] = set(cohort.programme.partners.values_list("firm_id", flat=True))
    return _outcomes(user, [cohort], partners)[0]


def programme_outcome(user, programme: Programme) -> ProgrammeOutcome:
    """The programme's cohorts, its totals against the targets, and hires per partner firm."""
    cohorts = list(programme.cohorts.select_related("course").order_by("starts_on", "pk"))
    partner_rows = list(programme.partners.select_related("firm"))
    cohort_rows = _outcomes(user, cohorts, {programme.pk: {p.firm_id for p in partner_rows}})
    totals = Outcome()
    for row in cohort_rows:
        totals.add(row.totals)
    graduates = set(Enrollment.objects.filter(cohort__programme=programme, status=EnrollmentStatus.COMPLETED)
                    .values_list("profile_id", flat=True))
    start = programme.starts_on
    partners = []
    for partner in partner_rows:
        hired = (Placement.objects.filter(profile_id__in=graduates, firm_id=partner.firm_id, started_on__gte=start)
                 .values("profile_id").distinct().count())
        partners.append(PartnerOutcome(firm=partner.firm, reserved_places=partner.reserved_places, hired=hired))
    return ProgrammeOutcome(programme=programme, totals=totals, cohorts=cohort_rows, partners=partners)
