"""Housekeeping tasks."""

from celery import shared_task


@shared_task(name="maintenance.ping")
def ping() -> str:
    """Round-trip check used by health checks and integration tests."""
    return "pong"
