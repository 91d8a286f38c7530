"""Asking for a report build: validate the period and filters, refuse a second concurrent build of the same
scope, and hand the work to the worker after the transaction commits. The page, the API, the command and beat
all call ``report_request``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.cohorts.models import Programme
from apps.skills.models import Location, Market

from ..models import ReportSnapshot, SnapshotStatus, normalise_filters, period_bounds

# A build that has not finished after this long is taken as abandoned (its worker died) and no longer blocks.
STALE_AFTER = datetime.timedelta(hours=3)


class BuildAlreadyRunning(ValidationError):
    """A build of the same period and filters is waiting or running."""

    def __init__(self, snapshot: ReportSnapshot):
        self.snapshot = snapshot
        super().__init__(_("A report for this period and these filters is already being built (%(progress)s%% "
                           "done). Wait for it to finish.") % {"progress": snapshot.progress}, code="running")


def validate_request(*, period: str, filters: dict | None) -> tuple[str, dict[str, str]]:
    """The period and filters, normalised; a ValidationError naming the field for anything unknown."""
    period = (period or "").strip()
    period_bounds(period)
    filters = normalise_filters(filters)
    errors = {}
    if filters["district"] and not Location.objects.filter(code=filters["district"]).exists():
        errors["district"] = _("Unknown district “%(value)s”.") % {"value": filters["district"]}
    if filters["market"] and not Market.objects.filter(code=filters["market"]).exists():
        errors["market"] = _("Unknown market “%(value)s”.") % {"value": filters["market"]}
    if filters["programme"] and not (filters["programme"].isdigit()
                                     and Programme.objects.filter(pk=int(filters["programme"])).exists()):
        errors["programme"] = _("Unknown programme “%(value)s”.") % {"value": filters["programme"]}
    if errors:
        raise ValidationError(errors)
    return period, filters


def _expire_abandoned(period: str, filters: dict) -> None:
    cutoff = timezone.now() - STALE_AFTER
    (ReportSnapshot.objects.same_scope(period, filters).active().filter(created_at__lt=cutoff)
     .update(status=SnapshotStatus.FAILED, error="abandoned: no worker finished the build",
             progress_message=gettext_noop("Failed"), finished_at=timezone.now()))


def report_request(*, period: str, filters: dict | None = None, user=None, trigger: str = "manual",
                   enqueue: bool = True) -> ReportSnapshot:
    """Create a pending snapshot and queue its build; ``BuildAlreadyRunning`` when one of the same scope is
    waiting or running (the database's partial unique index also refuses a race between two requests)."""
    period, filters = validate_request(period=period, filters=filters)
    _expire_abandoned(period, filters)
    running = ReportSnapshot.objects.same_scope(period, filters).active().first()
    if running is not None:
        raise BuildAlreadyRunning(running)
    try:
        with transaction.atomic():
            snapshot = ReportSnapshot.objects.create(
                period=period, filter_district=filters["district"], filter_programme=filters["programme"],
                filter_market=filters["market"], trigger=trigger,
                created_by=user if getattr(user, "is_authenticated", False) else None,
                progress_message=gettext_noop("Waiting for a worker"))
    except IntegrityError:
        running = ReportSnapshot.objects.same_scope(period, filters).active().first()
        if running is None:
            raise
        raise BuildAlreadyRunning(running) from None
    if enqueue:
        from worker.tasks.reports import build_report

        transaction.on_commit(lambda: build_report.delay(snapshot_id=snapshot.pk))
    return snapshot


def report_build_now(*, period: str, filters: dict | None = None, user=None,
                     trigger: str = "command") -> ReportSnapshot:
    """Request and build in this process (the command's ``--sync``)."""
    from .build import build_snapshot

    snapshot = report_request(period=period, filters=filters, user=user, trigger=trigger, enqueue=False)
    return build_snapshot(snapshot)
