"""Matching services: full rematches in shards, incremental recomputes, and the import hook."""

from .common import active_weights, top_k_size
from .full import (
    full_rematch_fail,
    full_rematch_finish,
    full_rematch_in_process,
    full_rematch_shard,
    full_rematch_start,
    shards_for,
)
from .incremental import match_profile_incremental, match_vacancy_incremental

__all__ = [
    "active_weights", "full_rematch_after_import", "full_rematch_fail", "full_rematch_finish",
    "full_rematch_in_process", "full_rematch_shard", "full_rematch_start", "match_profile_incremental",
    "match_vacancy_incremental", "shards_for", "top_k_size",
]


def full_rematch_after_import(*, reason: str = "import") -> None:
    """After a bulk load: one full rematch (through the workers when a broker is configured)."""
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        full_rematch_in_process(reason=reason)
        return
    from worker.tasks.matching import full_rematch

    full_rematch.delay(reason=reason)
