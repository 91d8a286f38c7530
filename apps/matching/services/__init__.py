"""Matching services: full rematches in shards, incremental recomputes, and the import hook."""

import threading as _threading

from .common import active_weights, top_k_size
from .full import (
    fail_stuck_runs,
    full_rematch_fail,
    full_rematch_finish,
    full_rematch_in_process,
    full_rematch_shard,
    full_rematch_start,
    shards_for,
)
from .incremental import match_profile_incremental, match_vacancy_incremental

_IN_PROCESS_LOCK = _threading.Lock()

__all__ = [
    "active_weights", "fail_stuck_runs", "full_rematch_after_import", "full_rematch_fail", "full_rematch_finish",
    "full_rematch_in_process", "full_rematch_shard", "full_rematch_start", "match_profile_incremental",
    "match_vacancy_incremental", "shards_for", "top_k_size",
]


def full_rematch_after_import(*, reason: str = "import") -> None:
    """After a bulk load: one full rematch (through the workers when a broker is configured).

    Without a broker it runs in this process: inline by default (``MATCHING['AFTER_IMPORT']``), or in a
    background thread with "thread" (only for a long-running web process: a command would exit first).
    """
    from django.conf import settings

    from apps.core import respcache

    respcache.bump("matches", "profiles", "vacancies")  # bulk loads bypass the model signals
    if settings.CELERY_TASK_ALWAYS_EAGER:
        if settings.MATCHING.get("AFTER_IMPORT", "inline") != "thread":
            full_rematch_in_process(reason=reason)
            return
        import threading

        from django.db import close_old_connections

        def work():
            try:
                with _IN_PROCESS_LOCK:
                    full_rematch_in_process(reason=reason)
            finally:
                close_old_connections()

        threading.Thread(target=work, name="rematch-after-import", daemon=False).start()
        return
    from django.db import transaction

    from worker.tasks.matching import full_rematch

    # Inside a transaction (an import that commits at the end) the workers must not start before the data is in.
    transaction.on_commit(lambda: full_rematch.delay(reason=reason))
