"""Enrollment writes: students join and leave cohorts; staff admit, complete, fail and grade them.

Every change that takes a place locks the cohort first (see ``locks``) and counts again, so a cohort never
holds more people than its capacity however many enroll at once. Completing credits the course's skills
(``credits.credits_grant``); leaving the completed status takes the credit back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.talent.models import StudentProfile

from ..models import SEAT_STATUSES, Cohort, Enrollment, EnrollmentStatus
from .catalogue import require_editable
from .credits import credits_grant, credits_revoke
from .locks import lock_cohort, seats_taken

_UNSET = object()


class CohortFull(ValidationError):
    """No place is left in the cohort; the API answers 409 with this message."""

    def __init__(self, cohort: Cohort, taken: int):
        super().__init__(_("This cohort is full: all %(capacity)s places are taken.") % {"capacity": cohort.capacity},
                         code="cohort_full")
        self.cohort = cohort
        self.taken = taken


def ensure_seat(cohort: Cohort, *, needed: int = 1) -> int:
    """Raise ``CohortFull`` unless ``needed`` places are free in the locked cohort; return places taken."""
    taken = seats_taken(cohort)
    if taken + needed > cohort.capacity:
        raise CohortFull(cohort, taken)
    return taken


def _check_student(profile: StudentProfile) -> None:
    if profile.user.account_type != "student" or not profile.user.is_active:
        raise ValidationError({"profile": _("Only active student and trainee accounts can enroll.")})


@transaction.atomic
def enrollment_join(*, cohort: Cohort, profile: StudentProfile) -> Enrollment:
    """A student joins a cohort whose enrollment window is open: enrolled at once if a place is free, or
    applied when the cohort's staff approve each application. A full cohort raises ``CohortFull``."""
    _check_student(profile)
    cohort = lock_cohort(cohort.pk)
    if cohort.is_cancelled:
        raise ValidationError({"cohort": _("This cohort has been cancelled.")})
    if not cohort.is_enrollment_open:
        raise ValidationError({"cohort": _("Enrollment for this cohort is not open (it runs %(opens)s to "
                                           "%(closes)s).") % {"opens": cohort.enrollment_opens_on or "—",
                                                              "closes": cohort.closes_on}})
    existing = Enrollment.objects.select_for_update().filter(cohort=cohort, profile=profile).first()
    if existing is not None and existing.status != EnrollmentStatus.DROPPED:
        raise ValidationError({"cohort": _("You are already in this cohort (%(status)s).")
                               % {"status": existing.get_status_display()}}, code="already_enrolled")
    status = EnrollmentStatus.APPLIED if cohort.requires_approval else EnrollmentStatus.ENROLLED
    if status == EnrollmentStatus.ENROLLED:
        ensure_seat(cohort)
    enrollment = existing or Enrollment(cohort=cohort, profile=profile)
    enrollment.status = status
    enrollment.enrolled_at = timezone.now() if status == EnrollmentStatus.ENROLLED else None
    enrollment.completed_at = None
    enrollment.updated_by = profile.user
    enrollment.full_clean(exclude=["cohort", "profile", "updated_by"])
    enrollment.save()
    return enrollment


@transaction.atomic
def enrollment_leave(*, enrollment: Enrollment, user) -> Enrollment:
    """A student gives up an application or a place (before completing); the place is free again."""
    if user is not None and enrollment.profile.user_id != user.pk and not user.is_platform_admin:
        raise PermissionDenied(_("You can only leave your own cohorts."))
    lock_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in (EnrollmentStatus.APPLIED, EnrollmentStatus.ENROLLED):
        raise ValidationError({"status": _("A %(status)s enrollment cannot be given up.")
                               % {"status": enrollment.get_status_display().lower()}})
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.updated_by = user
    enrollment.save(update_fields=["status", "updated_by", "updated_at"])
    return enrollment


@transaction.atomic
def enrollment_add(*, cohort: Cohort, profile: StudentProfile, user,
                   status: str = EnrollmentStatus.ENROLLED) -> Enrollment:
    """Staff put a student on the roster directly (outside the enrollment window, but never over capacity)."""
    require_editable(Cohort.objects, cohort, user, _("Only staff running this cohort can change its roster."))
    _check_student(profile)
    enrollment = Enrollment.objects.filter(cohort=cohort, profile=profile).first()
    if enrollment is not None and enrollment.status != EnrollmentStatus.DROPPED:
        raise ValidationError({"profile": _("This student is already in the cohort (%(status)s).")
                               % {"status": enrollment.get_status_display()}})
    if enrollment is None:
        lock_cohort(cohort.pk)
        enrollment = Enrollment.objects.create(cohort=cohort, profile=profile, status=EnrollmentStatus.APPLIED,
                                               updated_by=user)
    return enrollment_update(enrollment=enrollment, user=user, status=status)


def _parse_attendance(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({"attendance": _("Attendance must be a percentage from 0 to 100.")}) from None
    if not Decimal(0) <= number <= Decimal(100):
        raise ValidationError({"attendance": _("Attendance must be a percentage from 0 to 100.")})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def enrollment_update(*, enrollment: Enrollment, user, status: str | None = None, attendance=_UNSET,
                      grade: str | None = None, completed_on: dt.date | None = None) -> Enrollment:
    """Staff change an enrollment's status, attendance or grade.

    Taking a place (applied/dropped → enrolled, completed or failed) needs a free one. Marking completed
    credits the course's skills; moving away from completed takes exactly that credit back. Both schedule
    the student's re-matching.
    """
    require_editable(Cohort.objects, enrollment.cohort, user, _("Only staff running this cohort can change its "
                                                                "roster."))
    cohort = lock_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_for_update().select_related("profile").get(pk=enrollment.pk)
    enrollment.cohort = cohort
    if status is not None and status not in EnrollmentStatus.values:
        raise ValidationError({"status": _("Unknown status %(value)s.") % {"value": status}})
    previous = enrollment.status
    if status is not None and status != previous:
        if status in SEAT_STATUSES and previous not in SEAT_STATUSES:
            ensure_seat(cohort)
        enrollment.status = status
        if status == EnrollmentStatus.ENROLLED and enrollment.enrolled_at is None:
            enrollment.enrolled_at = timezone.now()
    if attendance is not _UNSET:
        enrollment.attendance = _parse_attendance(attendance)
    if grade is not None:
        enrollment.grade = grade.strip()
    completing = enrollment.status == EnrollmentStatus.COMPLETED and previous != EnrollmentStatus.COMPLETED
    if completing:
        enrollment.completed_at = _completion_time(completed_on)
        if enrollment.enrolled_at is None:
            enrollment.enrolled_at = enrollment.completed_at
    elif enrollment.status == EnrollmentStatus.COMPLETED and completed_on is not None:
        enrollment.completed_at = _completion_time(completed_on)
    elif enrollment.status != EnrollmentStatus.COMPLETED:
        enrollment.completed_at = None
    enrollment.updated_by = user
    enrollment.full_clean(exclude=["cohort", "profile", "updated_by"])
    enrollment.save()
    if completing:
        credits_grant(enrollments=[enrollment], on=timezone.localdate(enrollment.completed_at))
    elif previous == EnrollmentStatus.COMPLETED and enrollment.status != EnrollmentStatus.COMPLETED:
        credits_revoke(enrollments=[enrollment])
    return enrollment


def _completion_time(completed_on: dt.date | None) -> dt.datetime:
    if completed_on is None:
        return timezone.now()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    return timezone.make_aware(dt.datetime.combine(completed_on, dt.time(12, 0)))


@transaction.atomic
def cohort_complete_all(*, cohort: Cohort, user, completed_on: dt.date | None = None) -> int:
    """Mark every enrolled student of the cohort completed at once; return how many."""
    require_editable(Cohort.objects, cohort, user, _("Only staff running this cohort can change its roster."))
    cohort = lock_cohort(cohort.pk)
    enrollments = list(Enrollment.objects.select_for_update().filter(cohort=cohort, status=EnrollmentStatus.ENROLLED))
    when = _completion_time(completed_on)
    for enrollment in enrollments:
        enrollment.cohort = cohort
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_at = when
        enrollment.updated_by = user
    Enrollment.objects.bulk_update(enrollments, ["status", "completed_at", "updated_by"], batch_size=500)
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(updated_at=timezone.now())
    credits_grant(enrollments=enrollments, on=timezone.localdate(when))
    return len(enrollments)
