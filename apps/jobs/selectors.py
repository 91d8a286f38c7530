"""Reads for vacancies: public browsing with filters, the detail page, a firm's own list.

Visibility always starts from ``Vacancy.objects.for_user`` (or ``editable_by`` for a firm's own list).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from apps.accounts.models import Organisation, OrganisationKind

from .models import Vacancy, VacancyLanguage, VacancySkill

FIRM_CHOICES_SECONDS = 60


@dataclass(frozen=True)
class VacancyFilters:
    """What the browsing page filters on; empty values mean "any"."""

    text: str = ""
    skill_id: int | None = None
    category: str = ""
    location: str = ""
    job_type: str = ""
    market: str = ""
    remote: bool = False
    firm_id: int | None = None


def _skills_prefetch() -> Prefetch:
    rows = VacancySkill.objects.select_related("skill").order_by("-required", "-weight", "skill__code")
    return Prefetch("skills", queryset=rows)


def vacancy_browse(user, filters: VacancyFilters) -> QuerySet[Vacancy]:
    """Open vacancies this user may see, filtered; with firm and skills loaded for a page of results."""
    vacancies = Vacancy.objects.for_user(user).open()
    if filters.text:
        vacancies = vacancies.filter(
            Q(title__icontains=filters.text) | Q(description__icontains=filters.text)
            | Q(firm__name__icontains=filters.text) | Q(firm__name_en__icontains=filters.text)
        )
    if filters.skill_id:
        asking = VacancySkill.objects.filter(skill_id=filters.skill_id).values("vacancy_id")
        vacancies = vacancies.filter(pk__in=asking)
    if filters.category:
        vacancies = vacancies.filter(
            pk__in=VacancySkill.objects.filter(skill__category__code=filters.category).values("vacancy_id")
        )
    if filters.location:
        vacancies = vacancies.filter(location=filters.location)
    if filters.job_type:
        vacancies = vacancies.filter(job_type=filters.job_type)
    if filters.market:
        if connection.features.supports_json_field_contains:
            vacancies = vacancies.filter(markets__contains=[filters.market])
        else:  # SQLite: the JSON text holds each code in quotes
            vacancies = vacancies.filter(markets__icontains=f'"{filters.market}"')
    if filters.remote:
        vacancies = vacancies.filter(remote=True)
    if filters.firm_id:
        vacancies = vacancies.filter(firm_id=filters.firm_id)
    return (
        vacancies.select_related("firm")
        .prefetch_related(_skills_prefetch())
        .order_by("-published_at", "-pk")
    )


def firms_with_open_vacancies(user) -> QuerySet[Organisation]:
    """Firms to offer in the browsing filter: visible to the user and with at least one open vacancy."""
    return Organisation.objects.for_user(user).filter(
        kind=OrganisationKind.FIRM, pk__in=Vacancy.objects.open().values("firm_id")
    ).order_by("name")


def firm_filter_choices(user) -> list[tuple[int, str]]:
    """(id, name) of firms with open vacancies, cached for a minute.

    Only approved firms have open vacancies and approved firms are visible to everyone, so the
    list is the same for every user and one cache entry serves all.
    """
    def load():
        return list(firms_with_open_vacancies(user).values_list("pk", "name"))

    return cache.get_or_set("jobs:firm-filter-choices", load, FIRM_CHOICES_SECONDS)


def vacancy_detail(user, pk: int) -> QuerySet[Vacancy]:
    """A one-row QuerySet for the detail page, with requirements loaded."""
    return (
        Vacancy.objects.for_user(user).filter(pk=pk).select_related("firm")
        .prefetch_related(
            _skills_prefetch(),
            Prefetch("languages", queryset=VacancyLanguage.objects.select_related("language").order_by("-min_cefr")),
        )
    )


def firm_vacancies(user, *, status: str = "") -> QuerySet[Vacancy]:
    """The vacancies a firm member may edit, newest first, with a count of skills."""
    vacancies = Vacancy.objects.editable_by(user).select_related("firm").annotate(skill_count=Count("skills"))
    if status:
        vacancies = vacancies.filter(status=status)
    return vacancies.order_by("-updated_at", "-pk")


def firm_vacancy_counts(user) -> dict[str, int]:
    rows = Vacancy.objects.editable_by(user).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def firms_of_user(user) -> QuerySet[Organisation]:
    """Firms the user belongs to (pending ones too): where a new vacancy may go."""
    return Organisation.objects.filter(kind=OrganisationKind.FIRM, memberships__user=user).order_by("name")
