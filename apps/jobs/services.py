"""Writes for vacancies. Publishing needs an approved firm; every change schedules re-matching on commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Organisation, OrganisationKind
from apps.matching.triggers import vacancy_changed
from apps.skills.models import Skill

from .models import Vacancy, VacancyLanguage, VacancySkill, VacancyStatus

VACANCY_FIELDS = ("title", "description", "location", "remote", "job_type", "openings", "salary_min",
                  "salary_max", "markets", "deadline", "external_id")


@dataclass(frozen=True)
class SkillRequirement:
    skill: Skill
    min_level: int = 3
    weight: float = 1.0
    required: bool = True


@dataclass(frozen=True)
class LanguageRequirement:
    language: Skill
    min_cefr: int = 3


def _check_member(user, firm: Organisation) -> None:
    if firm.kind != OrganisationKind.FIRM:
        raise ValidationError({"firm": "Vacancies belong to firms."})
    if user is None or user.is_platform_admin:
        return
    if not firm.memberships.filter(user=user).exists():
        raise PermissionDenied("You are not a member of this firm.")


def _validate_fields(vacancy: Vacancy) -> None:
    from apps.skills.models import Location, Market

    errors = {}
    if vacancy.location and not Location.objects.filter(code=vacancy.location).exists():
        errors["location"] = f"Unknown location {vacancy.location!r}."
    markets = vacancy.markets or []
    if not isinstance(markets, list):
        errors["markets"] = "Give a list of market codes."
    else:
        bad = sorted(set(markets) - set(Market.objects.filter(code__in=markets).values_list("code", flat=True)))
        if bad:
            errors["markets"] = f"Unknown market(s): {', '.join(bad)}."
    if vacancy.salary_min and vacancy.salary_max and vacancy.salary_max < vacancy.salary_min:
        errors["salary_max"] = "The upper salary is below the lower one."
    if errors:
        raise ValidationError(errors)


def _set_requirements(vacancy: Vacancy, skills, languages) -> None:
    if skills is not None:
        seen = set()
        rows = []
        for req in skills:
            if req.skill.is_language:
                raise ValidationError({"skills": f"{req.skill.label}: put languages under languages."})
            if req.skill.pk in seen:
                raise ValidationError({"skills": f"{req.skill.code} is listed twice."})
            if not 1 <= int(req.min_level) <= 5:
                raise ValidationError({"skills": f"{req.skill.code}: level must be from 1 to 5."})
            if not 0 < float(req.weight) <= 10:
                raise ValidationError({"skills": f"{req.skill.code}: weight must be above 0 and at most 10."})
            seen.add(req.skill.pk)
            rows.append(VacancySkill(vacancy=vacancy, skill=req.skill, min_level=int(req.min_level),
                                     weight=float(req.weight), required=bool(req.required)))
        VacancySkill.objects.filter(vacancy=vacancy).delete()
        VacancySkill.objects.bulk_create(rows)
    if languages is not None:
        rows = []
        seen = set()
        for req in languages:
            if not req.language.is_language:
                raise ValidationError({"languages": f"{req.language.label} is not a language."})
            if req.language.pk in seen:
                raise ValidationError({"languages": f"{req.language.code} is listed twice."})
            if not 1 <= int(req.min_cefr) <= 6:
                raise ValidationError({"languages": f"{req.language.code}: CEFR level must be A1-C2."})
            seen.add(req.language.pk)
            rows.append(VacancyLanguage(vacancy=vacancy, language=req.language, min_cefr=int(req.min_cefr)))
        VacancyLanguage.objects.filter(vacancy=vacancy).delete()
        VacancyLanguage.objects.bulk_create(rows)


@transaction.atomic
def vacancy_create(*, firm: Organisation, user, data: dict, skills=None, languages=None,
                   publish: bool = False) -> Vacancy:
    """Create a vacancy (a draft unless ``publish``)."""
    _check_member(user, firm)
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise ValidationError({field: "Unknown field." for field in unknown})
    vacancy = Vacancy(firm=firm, created_by=user if user and user.is_authenticated else None, **data)
    _validate_fields(vacancy)
    vacancy.full_clean(exclude=["firm", "created_by"])
    vacancy.save()
    _set_requirements(vacancy, skills or [], languages or [])
    if publish:
        vacancy_publish(vacancy=vacancy, user=user)
    vacancy_changed(vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, user, data: dict, skills=None, languages=None) -> Vacancy:
    """Change fields and (when given) replace the skill and language requirements."""
    _check_member(user, vacancy.firm)
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise ValidationError({field: "Unknown field." for field in unknown})
    for field, value in data.items():
        setattr(vacancy, field, value)
    _validate_fields(vacancy)
    vacancy.full_clean(exclude=["firm", "created_by"])
    vacancy.save()
    _set_requirements(vacancy, skills, languages)
    vacancy_changed(vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_publish(*, vacancy: Vacancy, user) -> Vacancy:
    """Open a vacancy to candidates; the firm must be approved and the vacancy must name its skills."""
    _check_member(user, vacancy.firm)
    if not vacancy.firm.is_approved:
        raise ValidationError({"status": "Your firm is waiting for approval by a platform admin; "
                                         "you can publish once it is approved."})
    if not vacancy.skills.exists():
        raise ValidationError({"skills": "Add at least one skill before publishing."})
    if vacancy.deadline and vacancy.deadline < timezone.localdate():
        raise ValidationError({"deadline": "The deadline has passed."})
    vacancy.status = VacancyStatus.OPEN
    vacancy.published_at = vacancy.published_at or timezone.now()
    vacancy.save(update_fields=["status", "published_at", "updated_at"])
    vacancy_changed(vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, user) -> Vacancy:
    """Close a vacancy: it leaves browsing and matching."""
    _check_member(user, vacancy.firm)
    vacancy.status = VacancyStatus.CLOSED
    vacancy.save(update_fields=["status", "updated_at"])
    vacancy_changed(vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_delete(*, vacancy: Vacancy, user) -> None:
    _check_member(user, vacancy.firm)
    pk = vacancy.pk
    vacancy.delete()
    vacancy_changed(pk)
