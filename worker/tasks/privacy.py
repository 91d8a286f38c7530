"""Privacy tasks: the nightly retention purge."""

from celery import shared_task


@shared_task(name="privacy.purge_stale_data")
def purge_stale_data(dry_run: bool = False, **kwargs) -> dict:
    """Apply the retention policy (settings.PRIVACY_RETENTION); idempotent: a second run finds nothing stale."""
    from apps.privacy.retention import purge_stale_data as purge

    return purge(dry_run=dry_run)
