"""Recording tasks the workers gave up on (called from ``worker.base``)."""

from __future__ import annotations

import json
import logging

from .models import FailedTask, FailureReason

log = logging.getLogger(__name__)


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)[:2000]


def failed_task_record(*, task_name: str, task_id: str, reason: str, args=None, kwargs=None, retries: int = 0,
                       deliveries: int = 0, error: str = "", hostname: str = "") -> FailedTask | None:
    """Store one given-up task; never raises (a failure to record must not hide the original failure)."""
    if reason not in FailureReason.values:
        raise ValueError(reason)
    try:
        return FailedTask.objects.create(
            task_name=task_name[:200], task_id=(task_id or "")[:64], reason=reason,
            args=_jsonable(list(args or [])), kwargs=_jsonable(dict(kwargs or {})), retries=retries or 0,
            deliveries=deliveries or 0, error=(error or "")[:10000], hostname=(hostname or "")[:200])
    except Exception:
        log.exception("could not record failed task %s %s", task_name, task_id)
        return None
