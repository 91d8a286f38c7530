"""Matching entry points: thin tasks that call ``apps.matching.services``."""

from celery import shared_task
from django.core.cache import cache


@shared_task(name="matching.recompute_profile", acks_late=True, max_retries=3, soft_time_limit=300,
             time_limit=360)
def recompute_profile(*, profile_id: int, **kwargs) -> dict:
    """Recompute one profile's vacancies and its place in every vacancy's list (idempotent)."""
    cache.delete(f"matching:pending:profile:{profile_id}")
    from apps.matching.services import match_profile_incremental

    return match_profile_incremental(profile_id=profile_id)


@shared_task(name="matching.recompute_vacancy", acks_late=True, max_retries=3, soft_time_limit=300,
             time_limit=360)
def recompute_vacancy(*, vacancy_id: int, **kwargs) -> dict:
    """Recompute one vacancy's ranked candidates (idempotent)."""
    cache.delete(f"matching:pending:vacancy:{vacancy_id}")
    from apps.matching.services import match_vacancy_incremental

    return match_vacancy_incremental(vacancy_id=vacancy_id)
