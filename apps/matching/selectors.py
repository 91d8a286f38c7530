"""Reads of stored matches: a vacancy's ranked candidates and a profile's ranked vacancies.

Each list is one indexed query on the current generation (``(vacancy|profile, generation, -score, id)``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CandidateMatch, MatchState, VacancyMatch


def current_generation() -> int:
    state = MatchState.objects.filter(pk=1).only("current_generation").first()
    return state.current_generation if state else 0


def vacancy_candidates(*, vacancy_id: int, limit: int | None = None,
                       generation: int | None = None) -> QuerySet[CandidateMatch]:
    """The vacancy's ranked candidates: score descending, then profile id (the documented tie-break).

    ``generation`` defaults to the current one (pass it when already read, to save a query)."""
    generation = current_generation() if generation is None else generation
    qs = (CandidateMatch.objects.filter(vacancy_id=vacancy_id, generation=generation)
          .select_related("profile__user").order_by("-score", "profile_id"))
    return qs[:limit] if limit else qs


def profile_vacancies(*, profile_id: int, limit: int | None = None,
                      generation: int | None = None) -> QuerySet[VacancyMatch]:
    """The profile's ranked vacancies: score descending, then vacancy id."""
    generation = current_generation() if generation is None else generation
    qs = (VacancyMatch.objects.filter(profile_id=profile_id, generation=generation)
          .select_related("vacancy__firm").order_by("-score", "vacancy_id"))
    return qs[:limit] if limit else qs


def last_computed(*, vacancy_id: int | None = None, profile_id: int | None = None, state: MatchState | None = None):
    """When the shown list was computed (the newest row's time), or ``None``.

    ``state`` is the ``MatchState`` row when the caller already read it (saves up to two queries)."""
    generation = current_generation() if state is None else state.current_generation
    if vacancy_id is not None:
        row = CandidateMatch.objects.filter(vacancy_id=vacancy_id, generation=generation).order_by(
            "-computed_at").values_list("computed_at", flat=True).first()
    else:
        row = VacancyMatch.objects.filter(profile_id=profile_id, generation=generation).order_by(
            "-computed_at").values_list("computed_at", flat=True).first()
    if row is None:
        state = state if state is not None else MatchState.objects.filter(pk=1).first()
        return state.computed_at if state else None
    return row
