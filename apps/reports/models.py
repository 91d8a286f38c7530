"""Report snapshots: one computed government report for a period and a set of filters.

A snapshot is built by the worker (``apps.reports.services.build``) and kept so periods can be compared. Its
``data`` holds RAW counts; it never leaves the app without ``apps.reports.suppression.suppress``.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
WEEK_RE = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")
FILTER_KEYS = ("district", "programme", "market")


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period ``YYYY-MM`` or ISO week ``YYYY-Www``; ValidationError otherwise."""
    value = (period or "").strip()
    month = MONTH_RE.match(value)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        start = datetime.date(year, number, 1)
        following = datetime.date(year + (number == 12), number % 12 + 1, 1)
        return start, following - datetime.timedelta(days=1)
    week = WEEK_RE.match(value)
    if week:
        try:
            start = datetime.date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        except ValueError:
            pass
        else:
            return start, start + datetime.timedelta(days=6)
    raise ValidationError(_("Enter a period as a month (2026-11) or an ISO week (2026-W47)."), code="period")


def current_period(today: datetime.date | None = None) -> str:
    """The month containing ``today`` (the site's local date by default), as ``YYYY-MM``."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


def normalise_filters(filters: dict | None) -> dict[str, str]:
    """The three filters as stripped strings, blank meaning "all"; unknown keys are dropped."""
    filters = filters or {}
    return {key: str(filters.get(key) or "").strip() for key in FILTER_KEYS}


class SnapshotStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATUSES = (SnapshotStatus.PENDING, SnapshotStatus.RUNNING)


class ReportSnapshotQuerySet(models.QuerySet):
    def for_user(self, user):
        """Government users and platform admins see every snapshot (city-wide aggregates); others none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin or user.account_type == "government":
            return self
        return self.none()

    def done(self):
        return self.filter(status=SnapshotStatus.DONE)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def same_scope(self, period: str, filters: dict):
        """Snapshots of one period with exactly these filters."""
        filters = normalise_filters(filters)
        return self.filter(period=period, **{f"filter_{key}": value for key, value in filters.items()})


def can_view_reports(user) -> bool:
    """Whether ``user`` may read reports and request builds (government and platform admins)."""
    return bool(getattr(user, "is_authenticated", False)
                and (user.is_platform_admin or user.account_type == "government"))


class ReportSnapshot(models.Model):
    """One computed report (raw counts) for a period and filters, with the state of its build."""

    period = models.CharField(_("period"), max_length=8, db_index=True,
                              help_text=_("A month (2026-11) or an ISO week (2026-W47)."))
    # The filters as separate columns so "same period and filters" is one indexed lookup; ``filters`` mirrors them.
    filter_district = models.CharField(_("district"), max_length=64, blank=True)
    filter_programme = models.CharField(_("programme"), max_length=32, blank=True)
    filter_market = models.CharField(_("market"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SnapshotStatus.choices,
                              default=SnapshotStatus.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    trigger = models.CharField(max_length=16, default="manual",
                               choices=[("manual", "manual"), ("schedule", "schedule"), ("command", "command")])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        indexes = [models.Index(fields=["period", "filter_district", "filter_programme", "filter_market",
                                        "status"], name="report_scope_idx")]
        constraints = [
            # The database refuses a second concurrent build of the same period and filters.
            models.UniqueConstraint(fields=["period", "filter_district", "filter_programme", "filter_market"],
                                    condition=Q(status__in=["pending", "running"]), name="one_active_report_build"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_pct"),
        ]

    def __str__(self):
        scope = ", ".join(f"{k}={v}" for k, v in self.filters.items() if v)
        return f"{self.period}{' (' + scope + ')' if scope else ''} · {self.status}"

    @property
    def filters(self) -> dict[str, str]:
        return {"district": self.filter_district, "programme": self.filter_programme, "market": self.filter_market}

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def progress_label(self) -> str:
        """The progress message in the active language (the build stores it untranslated)."""
        from django.utils.translation import gettext

        return gettext(self.progress_message) if self.progress_message else ""

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def clean(self):
        period_bounds(self.period)


class ReviewStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Not reviewed")
    REVIEWED = "reviewed", _("Reviewed")
    FLAGGED = "flagged", _("Flagged")


class MatchRunReviewQuerySet(models.QuerySet):
    def for_user(self, user):
        """Match-run reviews are operational records for platform admins only."""
        if getattr(user, "is_authenticated", False) and user.is_platform_admin:
            return self
        return self.none()


class MatchRunReview(models.Model):
    """A platform admin's verdict on one match run (reviewed or flagged) with a comment."""

    run = models.OneToOneField("matching.MatchRun", on_delete=models.CASCADE, related_name="review")
    status = models.CharField(_("review status"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.UNREVIEWED)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = MatchRunReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("match run review")
        verbose_name_plural = _("match run reviews")

    def __str__(self):
        return f"{self.run_id}: {self.status}"
