"""Writes for programmes, partner firms, courses and cohorts (university staff and platform admins)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation, OrganisationKind
from apps.skills.models import Skill

from ..models import Cohort, Course, CourseSkill, Programme, ProgrammePartner, PublicTrainingCentre
from .locks import lock_cohort, seats_taken

PROGRAMME_FIELDS = ("name_zh", "name_en", "description_zh", "description_en", "government", "funding_amount",
                    "target_trained", "target_placement_rate", "starts_on", "ends_on", "status")
COURSE_FIELDS = ("title_zh", "title_en", "description_zh", "description_en", "hours", "mode", "fee", "is_active")
COHORT_FIELDS = ("programme", "name", "starts_on", "ends_on", "capacity", "place", "instructor",
                 "enrollment_opens_on", "enrollment_closes_on", "requires_approval", "is_cancelled")


def require_editable(queryset, obj, user, message: str) -> None:
    """Raise ``PermissionDenied`` unless ``obj`` is in ``queryset.editable_by(user)``."""
    if user is None:
        return  # operator commands and tasks act for the platform
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(message)


def _check_member(user, organisation: Organisation, kind: str, message: str) -> None:
    if organisation.kind != kind:
        raise ValidationError({"university" if kind == OrganisationKind.UNIVERSITY else "provider":
                               _("%(name)s is not a university or training provider.") % {"name": organisation}})
    if user is None or user.is_platform_admin:
        return
    if user.account_type != kind or organisation.pk not in user.organisation_ids(kind):
        raise PermissionDenied(message)


def _apply(obj, data: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in sorted(unknown)})
    for field, value in data.items():
        setattr(obj, field, value)


def _check_dates(obj) -> None:
    if obj.starts_on and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})


# --- Programmes -------------------------------------------------------------------------------------------


def _check_programme(programme: Programme) -> None:
    _check_dates(programme)
    if programme.government_id and programme.government.kind != OrganisationKind.GOVERNMENT:
        raise ValidationError({"government": _("The funding body must be a government agency.")})
    programme.full_clean(exclude=["university", "created_by", "government"])


@transaction.atomic
def programme_create(*, user, university: Organisation, data: dict,
                     partners: Iterable[tuple[Organisation, int]] = ()) -> Programme:
    """Create a programme run by ``university`` (the caller must belong to it), with its partner firms."""
    _check_member(user, university, OrganisationKind.UNIVERSITY,
                  _("Only staff of this university can create its programmes."))
    programme = Programme(university=university, created_by=user if user is not None else None)
    _apply(programme, data, PROGRAMME_FIELDS)
    _check_programme(programme)
    programme.save()
    for firm, reserved in partners:
        programme_set_partner(programme=programme, user=user, firm=firm, reserved_places=reserved)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, user, data: dict) -> Programme:
    """Change a programme's names, funding, targets, dates or status."""
    require_editable(Programme.objects, programme, user, _("Only staff of the university running this programme "
                                                          "can change it."))
    _apply(programme, data, PROGRAMME_FIELDS)
    _check_programme(programme)
    programme.save()
    return programme


@transaction.atomic
def programme_set_partner(*, programme: Programme, user, firm: Organisation, reserved_places: int = 0,
                          note: str = "") -> ProgrammePartner:
    """Add a partner firm or change the places it reserves for graduates (订单班)."""
    require_editable(Programme.objects, programme, user, _("Only staff of the university running this programme "
                                                          "can change its partners."))
    if firm.kind != OrganisationKind.FIRM:
        raise ValidationError({"firm": _("%(name)s is not a firm.") % {"name": firm}})
    if int(reserved_places) < 0:
        raise ValidationError({"reserved_places": _("Reserved places cannot be negative.")})
    partner, _created = ProgrammePartner.objects.update_or_create(
        programme=programme, firm=firm, defaults={"reserved_places": int(reserved_places), "note": note})
    partner.full_clean()
    return partner


@transaction.atomic
def programme_remove_partner(*, programme: Programme, user, firm: Organisation) -> None:
    """Drop a partner firm (its reserved places go with it; hires already recorded stay)."""
    require_editable(Programme.objects, programme, user, _("Only staff of the university running this programme "
                                                          "can change its partners."))
    ProgrammePartner.objects.filter(programme=programme, firm=firm).delete()


# --- Courses ----------------------------------------------------------------------------------------------


def _set_course_skills(course: Course, skills: Iterable[tuple[Skill, int]]) -> None:
    rows, seen = [], set()
    for skill, level in skills:
        if skill.is_language:
            raise ValidationError({"skills": _("%(skill)s is a language; courses credit skills, not languages.")
                                   % {"skill": skill.label}})
        if skill.pk in seen:
            raise ValidationError({"skills": _("%(code)s is listed twice.") % {"code": skill.code}})
        if not 1 <= int(level) <= 5:
            raise ValidationError({"skills": _("%(code)s: the level reached must be from 1 to 5.")
                                   % {"code": skill.code}})
        seen.add(skill.pk)
        rows.append(CourseSkill(course=course, skill=skill, level=int(level)))
    CourseSkill.objects.filter(course=course).delete()
    CourseSkill.objects.bulk_create(rows)


def _check_course(course: Course) -> None:
    if PublicTrainingCentre.objects.filter(organisation_id=course.provider_id).exists() and \
            Decimal(course.fee or 0) != 0:
        raise ValidationError({"fee": _("Courses of the public training centre are free: the fee must be 0.")})
    course.full_clean(exclude=["provider", "created_by"])


@transaction.atomic
def course_create(*, user, provider: Organisation, data: dict, skills: Iterable[tuple[Skill, int]] = ()) -> Course:
    """Create a course of ``provider`` with the skills it teaches and the level each reaches."""
    _check_member(user, provider, OrganisationKind.UNIVERSITY,
                  _("Only staff of this provider can create its courses."))
    course = Course(provider=provider, created_by=user if user is not None else None)
    _apply(course, data, COURSE_FIELDS)
    _check_course(course)
    course.save()
    _set_course_skills(course, skills)
    return course


@transaction.atomic
def course_update(*, course: Course, user, data: dict, skills: Iterable[tuple[Skill, int]] | None = None) -> Course:
    """Change a course; ``skills`` (when given) replaces what it teaches. Credits already given stay as given."""
    require_editable(Course.objects, course, user, _("Only staff of this provider can change its courses."))
    _apply(course, data, COURSE_FIELDS)
    _check_course(course)
    course.save()
    if skills is not None:
        _set_course_skills(course, skills)
    return course


# --- Cohorts ----------------------------------------------------------------------------------------------


def _check_cohort(cohort: Cohort, user, *, placed: bool = True) -> None:
    _check_dates(cohort)
    if cohort.enrollment_opens_on and cohort.enrollment_closes_on and \
            cohort.enrollment_closes_on < cohort.enrollment_opens_on:
        raise ValidationError({"enrollment_closes_on": _("Enrollment closes before it opens.")})
    if placed:
        _check_may_run(cohort.course, cohort.programme, user)
    cohort.full_clean(exclude=["course", "programme"])


def _check_may_run(course: Course, programme: Programme | None, user) -> None:
    """Inside a programme, its university decides what runs (any offered course); outside one, the course's
    provider does."""
    if user is None or user.is_platform_admin:
        return
    if programme is not None:
        if not Programme.objects.editable_by(user).filter(pk=programme.pk).exists():
            raise PermissionDenied(_("Only staff of the university running this programme can add cohorts to it."))
        if not Course.objects.for_user(user).filter(pk=course.pk).exists():
            raise ValidationError({"course": _("This course is not offered.")})
    elif not Course.objects.editable_by(user).filter(pk=course.pk).exists():
        raise PermissionDenied(_("You can only run cohorts of your own courses or inside your own programmes."))


@transaction.atomic
def cohort_create(*, user, course: Course, data: dict) -> Cohort:
    """Schedule a run of ``course`` (the caller runs the course or the programme it belongs to)."""
    cohort = Cohort(course=course)
    _apply(cohort, data, COHORT_FIELDS)
    _check_cohort(cohort, user)
    cohort.save()
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, user, data: dict) -> Cohort:
    """Change a cohort; its capacity cannot drop below the places already taken."""
    require_editable(Cohort.objects, cohort, user, _("Only staff running this cohort can change it."))
    cohort = lock_cohort(cohort.pk)
    previous_programme = cohort.programme_id
    _apply(cohort, data, COHORT_FIELDS)
    _check_cohort(cohort, user, placed=cohort.programme_id != previous_programme)
    if "capacity" in data:
        taken = seats_taken(cohort)
        if cohort.capacity < taken:
            raise ValidationError({"capacity": _("%(taken)s places are already taken; the capacity cannot be "
                                                 "lower.") % {"taken": taken}})
    cohort.save()
    return cohort
