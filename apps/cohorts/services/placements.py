"""Recording where students were hired (by staff, until the applications pipeline records hires itself)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation, OrganisationKind
from apps.jobs.models import Vacancy
from apps.talent.models import StudentProfile

from ..models import Cohort, Placement, PlacementSource


def _may_record(user, profile: StudentProfile) -> bool:
    """Admins, and staff of the student's university or of a cohort the student is in."""
    if user is None or user.is_platform_admin:
        return True
    if user.account_type != "university":
        return False
    return StudentProfile.objects.for_user(user).filter(pk=profile.pk).exists() or profile.enrollments.filter(
        cohort__in=Cohort.objects.editable_by(user)).exists()


@transaction.atomic
def placement_record(*, user, profile: StudentProfile, firm: Organisation, started_on: dt.date,
                     vacancy: Vacancy | None = None, job_title: str = "", note: str = "",
                     source: str = PlacementSource.STAFF) -> Placement:
    """Record that ``profile`` started work at ``firm`` (staff of the student's university or of a cohort the
    student took, or an admin)."""
    if not _may_record(user, profile):
        raise PermissionDenied(_("You can record placements only for your own students and trainees."))
    if firm.kind != OrganisationKind.FIRM:
        raise ValidationError({"firm": _("%(name)s is not a firm.") % {"name": firm}})
    if vacancy is not None and vacancy.firm_id != firm.pk:
        raise ValidationError({"vacancy": _("This vacancy belongs to another firm.")})
    if started_on > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"started_on": _("The start date is more than a year ahead.")})
    if Placement.objects.filter(profile=profile, firm=firm, started_on=started_on).exists():
        raise ValidationError({"started_on": _("This placement is already recorded.")})
    placement = Placement(profile=profile, firm=firm, vacancy=vacancy, job_title=job_title.strip(),
                          started_on=started_on, note=note.strip(), source=source,
                          recorded_by=user if user is not None else None)
    placement.full_clean(exclude=["profile", "firm", "vacancy", "recorded_by"])
    placement.save()
    return placement


@transaction.atomic
def placement_delete(*, placement: Placement, user) -> None:
    """Remove a placement recorded by mistake."""
    if not _may_record(user, placement.profile):
        raise PermissionDenied(_("You can change placements only for your own students and trainees."))
    placement.delete()
