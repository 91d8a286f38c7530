"""TalentMatch project package: settings, URLs, WSGI/ASGI entry points."""

from worker import celery_app  # noqa: E402  (binds shared_task to this app)

__all__ = ["celery_app"]
