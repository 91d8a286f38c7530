"""The Celery side of TalentMatch: the app, its queues, the beat schedule and the task entry points."""

from .celery import app as celery_app

__all__ = ["celery_app"]
