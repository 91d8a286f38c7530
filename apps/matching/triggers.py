"""Hooks the other apps call when something that affects matching changes.

Recomputes are enqueued after the transaction commits (never from inside it) and coalesced: many
edits of one profile or vacancy within ``MATCHING['COALESCE_SECONDS']`` cause one recompute.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from apps.core import respcache

log = logging.getLogger(__name__)

# Switched off by bulk imports and seeding, which run one full rematch at the end instead.
_SUPPRESSED = {"value": False}


class suppressed:
    """Context manager: no per-object recompute while bulk-loading data."""

    def __enter__(self):
        self._previous = _SUPPRESSED["value"]
        _SUPPRESSED["value"] = True

    def __exit__(self, *exc):
        _SUPPRESSED["value"] = self._previous
        return False


def _schedule(kind: str, object_id: int) -> None:
    # Cached API answers (apps.core.respcache) change with the data even before the recompute runs; bulk
    # writes that bypass model signals come through here too. Once per transaction, after it commits.
    respcache.bump("profiles" if kind == "profile" else "vacancies")
    if _SUPPRESSED["value"]:
        return

    def enqueue():
        from worker.tasks import matching as tasks

        task = tasks.recompute_profile if kind == "profile" else tasks.recompute_vacancy
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # In-process mode: the edit is already committed; a failing recompute must not turn the
            # user's successful save into an error page. It is logged; the nightly rematch repairs it.
            try:
                task.apply(kwargs={f"{kind}_id": object_id}, throw=True)
            except Exception:
                log.exception("in-process %s recompute for %s failed", kind, object_id)
            return
        delay = settings.MATCHING["COALESCE_SECONDS"]
        if cache.add(f"matching:pending:{kind}:{object_id}", 1, timeout=max(int(delay * 10), 30)):
            try:
                task.apply_async(kwargs={f"{kind}_id": object_id}, countdown=delay)
            except Exception:  # broker down: the nightly full rematch will catch up
                cache.delete(f"matching:pending:{kind}:{object_id}")
                log.exception("could not enqueue %s recompute for %s", kind, object_id)

    transaction.on_commit(enqueue)


def profile_changed(profile_id: int) -> None:
    """A profile's skills, preferences or visibility changed."""
    _schedule("profile", profile_id)


def vacancy_changed(vacancy_id: int) -> None:
    """A vacancy's requirements or status changed."""
    _schedule("vacancy", vacancy_id)
