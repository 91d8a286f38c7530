"""The base class of every task: a delivery counter that stops poison messages.

Tasks that use ``acks_late`` leave their message unacknowledged until they finish, so a worker killed in the
middle (``kill -9``, out of memory, a segfault in a C library) gets the message back: redelivered at once
when a prefork child dies (``task_reject_on_worker_lost``), or after the broker's visibility timeout when
the whole worker dies. That is what makes them survive faults, but a message that itself kills the worker
would come back forever, and retries (``autoretry_for``) do not count it because the task never returns.

``CountedTask.before_start`` therefore counts each delivery of a message in the shared cache (Redis when a
broker is configured), keyed by task id and retry number, before the task body runs. Once a message has
been delivered more than ``settings.CELERY_TASK_MAX_DELIVERIES`` times it is recorded as a
``apps.ops.FailedTask`` (reason "poison"), the task's ``on_poison`` hook runs (matching runs mark themselves
failed there), and the message is rejected without requeueing. Tasks that raise are bounded by their
``max_retries`` as before; when they give up for good, ``_record_failure`` stores a FailedTask too
(reason "failed"). Eager (in-process) runs are not counted.
"""

from __future__ import annotations

import logging

from celery import Task
from celery.exceptions import Reject
from celery.signals import task_failure

log = logging.getLogger(__name__)

COUNTER_TIMEOUT = 7 * 24 * 60 * 60  # longer than any redelivery cycle; a finished task's counter just expires


def delivery_key(task_id: str, retries: int) -> str:
    return f"tasks:deliveries:{task_id}:{retries}"


def count_delivery(task_id: str, retries: int) -> int:
    """Add one delivery of this message and return how many there have been (atomic in Redis)."""
    from django.core.cache import cache

    key = delivery_key(task_id, retries)
    cache.add(key, 0, timeout=COUNTER_TIMEOUT)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=COUNTER_TIMEOUT)
        return 1


def max_deliveries() -> int:
    from django.conf import settings

    return int(getattr(settings, "CELERY_TASK_MAX_DELIVERIES", 3) or 0)


class CountedTask(Task):
    """Rejects (and records) a message delivered more than CELERY_TASK_MAX_DELIVERIES times."""

    def before_start(self, task_id, args, kwargs):
        request = self.request
        limit = max_deliveries()
        if request.is_eager or not task_id or limit <= 0:
            return
        try:
            deliveries = count_delivery(task_id, request.retries or 0)
        except Exception:  # no shared cache: run the task rather than refuse it
            log.exception("could not count the deliveries of %s %s", self.name, task_id)
            return
        if deliveries <= limit:
            return
        error = (f"delivered {deliveries} times without finishing (limit {limit}); "
                 "the message is dropped, not redelivered")
        log.error("poison message: task %s id %s %s", self.name, task_id, error)
        from apps.ops.services import failed_task_record

        failed_task_record(task_name=self.name, task_id=task_id, reason="poison", args=args, kwargs=kwargs,
                           retries=request.retries or 0, deliveries=deliveries, error=error,
                           hostname=request.hostname or "")
        try:
            self.on_poison(args, kwargs, error)
        except Exception:
            log.exception("on_poison of %s %s failed", self.name, task_id)
        raise Reject(error, requeue=False)

    def on_poison(self, args, kwargs, error: str) -> None:
        """Hook: clean up after a message given up on (say, mark its run failed)."""


@task_failure.connect
def _record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra):
    """A task that failed for good (not a poison rejection, recorded already): keep a FailedTask row."""
    if sender is None or isinstance(exception, Reject):
        return
    request = getattr(sender, "request", None)
    if request is not None and getattr(request, "is_eager", False):
        return  # in-process: the caller sees the exception itself
    from apps.ops.services import failed_task_record

    failed_task_record(task_name=sender.name, task_id=task_id or "", reason="failed", args=args, kwargs=kwargs,
                       retries=getattr(request, "retries", 0) or 0,
                       error=f"{type(exception).__name__}: {exception}",
                       hostname=getattr(request, "hostname", "") or "")
