"""Reading reports: which snapshots a user may see, and the suppressed data every page, export and API serves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import ReportSnapshot, SnapshotStatus, normalise_filters
from .suppression import suppress


def snapshots_for(user) -> QuerySet:
    """Snapshots ``user`` may see, newest first (none for roles other than government and platform admins)."""
    return ReportSnapshot.objects.for_user(user).order_by("-created_at", "-pk")


def latest_snapshot(user, *, period: str | None = None, filters: dict | None = None) -> ReportSnapshot | None:
    """The newest finished snapshot for the period (any period when None) and exactly these filters."""
    qs = snapshots_for(user).filter(status=SnapshotStatus.DONE)
    if period:
        qs = qs.filter(period=period)
    filters = normalise_filters(filters)
    qs = qs.filter(filter_district=filters["district"], filter_programme=filters["programme"],
                   filter_market=filters["market"])
    return qs.order_by("-finished_at", "-pk").first()


def active_build(user, *, period: str, filters: dict | None = None) -> ReportSnapshot | None:
    """The build of this scope that is waiting or running, if any."""
    return snapshots_for(user).same_scope(period, filters or {}).active().first()


def report_for(user, snapshot: ReportSnapshot) -> dict:
    """The snapshot's data as ``user`` may see it: always suppressed (small groups as "<5", no identities).

    Raises PermissionDenied when the user may not see the snapshot at all.
    """
    if not ReportSnapshot.objects.for_user(user).filter(pk=snapshot.pk).exists():
        raise PermissionDenied
    return suppress(snapshot.data)
