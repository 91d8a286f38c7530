"""Housekeeping tasks."""

from celery import shared_task


@shared_task(name="maintenance.ping")
def ping() -> str:
    """Round-trip check used by health checks and integration tests."""
    return "pong"


@shared_task(name="maintenance.clear_expired_sessions")
def clear_expired_sessions(**kwargs) -> int:
    """Delete expired login sessions, which the database session store never removes itself; returns how many."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="maintenance.fail_stuck_runs", soft_time_limit=120, time_limit=150)
def fail_stuck_runs(**kwargs) -> list[int]:
    """Mark failed the full rematches with no shard progress for MATCHING["STUCK_AFTER_SECONDS"]; their ids."""
    from apps.matching.services import fail_stuck_runs as mark

    return mark()
