"""Government report entry points: thin tasks that call ``apps.reports.services``."""

from celery import shared_task


@shared_task(name="reports.build_report", acks_late=True, max_retries=0, soft_time_limit=1800, time_limit=1900)
def build_report(*, snapshot_id: int, **kwargs) -> dict:
    """Build one requested snapshot (idempotent: a snapshot already done or failed is left alone)."""
    from apps.reports.models import ReportSnapshot, SnapshotStatus
    from apps.reports.services.build import build_snapshot

    snapshot = ReportSnapshot.objects.filter(pk=snapshot_id).first()
    if snapshot is None or snapshot.status in (SnapshotStatus.DONE, SnapshotStatus.FAILED):
        return {"snapshot_id": snapshot_id, "status": getattr(snapshot, "status", "missing")}
    snapshot = build_snapshot(snapshot)
    return {"snapshot_id": snapshot.pk, "status": snapshot.status, "seconds": snapshot.timings.get("total")}


@shared_task(name="reports.weekly_report", max_retries=0)
def weekly_report(**kwargs) -> dict:
    """Beat: queue this month's city-wide report (skipped while one is already being built)."""
    from apps.reports.models import current_period
    from apps.reports.services.requests import BuildAlreadyRunning, report_request

    period = current_period()
    try:
        snapshot = report_request(period=period, filters={}, trigger="schedule")
    except BuildAlreadyRunning as exc:
        return {"period": period, "skipped": exc.snapshot.pk}
    return {"period": period, "snapshot_id": snapshot.pk}
