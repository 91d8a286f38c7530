"""Matching entry points: thin tasks that take ids and call ``apps.matching.services``.

Shard and recompute tasks are idempotent (a re-delivered message rewrites the same rows), so they use
``acks_late``: a worker killed mid-task leaves its message to be delivered again. Time limits stay below
the broker's visibility timeout (one hour, worker/celery.py).
"""

import logging

from celery import chord, shared_task
from django.core.cache import cache

from worker.base import CountedTask

log = logging.getLogger(__name__)


class RunTask(CountedTask):
    """A step of a full run: a poison message (see worker.base) fails its run at once, with the reason."""

    def on_poison(self, args, kwargs, error: str) -> None:
        from apps.matching.services import full_rematch_fail

        if kwargs and kwargs.get("run_id"):
            full_rematch_fail(run_id=kwargs["run_id"], error=f"{self.name} {kwargs}: {error}")


RETRY = {"autoretry_for": (Exception,), "retry_backoff": 5, "retry_backoff_max": 300, "retry_jitter": True,
         "max_retries": 5}


@shared_task(name="matching.recompute_profile", acks_late=True, soft_time_limit=300, time_limit=360, **RETRY)
def recompute_profile(*, profile_id: int, **kwargs) -> dict:
    """Recompute one profile's vacancies and its place in every vacancy's list (idempotent)."""
    cache.delete(f"matching:pending:profile:{profile_id}")
    from apps.matching.services import match_profile_incremental

    return match_profile_incremental(profile_id=profile_id)


@shared_task(name="matching.recompute_vacancy", acks_late=True, soft_time_limit=300, time_limit=360, **RETRY)
def recompute_vacancy(*, vacancy_id: int, **kwargs) -> dict:
    """Recompute one vacancy's ranked candidates and its place in profiles' lists (idempotent)."""
    cache.delete(f"matching:pending:vacancy:{vacancy_id}")
    from apps.matching.services import match_vacancy_incremental

    return match_vacancy_incremental(vacancy_id=vacancy_id)


@shared_task(name="matching.full_rematch", soft_time_limit=600, time_limit=660)
def full_rematch(*, reason: str = "scheduled", shards: int | None = None, created_by_id: int | None = None,
                 **kwargs) -> int:
    """Start a full rematch: freeze its snapshot, then run the shards as a chord that ends in the merge."""
    from apps.matching import services

    run = services.full_rematch_start(reason=reason, shards=shards or services.shards_for(10**9),
                                      created_by=None if created_by_id is None else _user(created_by_id))
    launch_shards(run.pk, run.shards_total)
    return run.pk


def launch_shards(run_id: int, shards_total: int) -> None:
    """Send a started run's shards as a chord whose callback merges them (or records the failure)."""
    header = [rematch_shard.si(run_id=run_id, index=i) for i in range(shards_total)]
    chord(header)(rematch_finish.si(run_id=run_id).on_error(rematch_failed.si(run_id=run_id)))


@shared_task(name="matching.rematch_shard", base=RunTask, acks_late=True, soft_time_limit=1800, time_limit=1900,
             **RETRY)
def rematch_shard(*, run_id: int, index: int, **kwargs) -> dict:
    """Score one shard of a full run (idempotent: a re-delivered shard replaces its own rows)."""
    from apps.matching.services import full_rematch_shard

    return full_rematch_shard(run_id=run_id, index=index)


@shared_task(name="matching.rematch_finish", base=RunTask, acks_late=True, soft_time_limit=1800, time_limit=1900,
             **RETRY)
def rematch_finish(*, run_id: int, **kwargs) -> int:
    """Merge the shards' vacancy lists and make the run current (idempotent)."""
    from apps.matching.services import full_rematch_finish

    return full_rematch_finish(run_id=run_id).pk


@shared_task(name="matching.rematch_failed")
def rematch_failed(*args, run_id: int, **kwargs) -> None:
    """Record a run whose chord failed; the current generation stays as it was."""
    from apps.matching.services import full_rematch_fail

    full_rematch_fail(run_id=run_id, error="a shard or the merge failed after its retries")


def _user(user_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()
