"""Training cohort entry points: thin tasks that call ``apps.cohorts.services``."""

from celery import shared_task


@shared_task(name="cohorts.import_roster", acks_late=True, max_retries=0, soft_time_limit=1800, time_limit=1900)
def import_roster(*, roster_import_id: int, **kwargs) -> dict:
    """Import one uploaded roster file and store its per-row report (idempotent: runs once per upload)."""
    from apps.cohorts.services.rosters import roster_import_run

    run = roster_import_run(roster_import_id=roster_import_id)
    return {"roster_import_id": run.pk, "status": run.status, "created": run.created, "updated": run.updated,
            "rejected": run.rejected}
