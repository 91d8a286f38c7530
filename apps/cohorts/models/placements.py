"""Placements (who was hired where) and stored roster uploads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .base import member_org_ids, signed_in
from .cohorts import Cohort, Enrollment

# --- Placements -------------------------------------------------------------------------------------------


class PlacementSource(models.TextChoices):
    STAFF = "staff", _("Recorded by staff")
    PIPELINE = "pipeline", _("Hired through the platform")


class PlacementQuerySet(models.QuerySet):
    """Who may see which hires."""

    def for_user(self, user):
        """Students see their own; universities their students' and their cohorts' people; firms their hires;
        government none (aggregates only)."""
        if not signed_in(user):
            return self.none()
        if user.is_platform_admin:
            return self
        if user.account_type == "student":
            return self.filter(profile__user=user)
        if user.account_type == "university":
            org_ids = member_org_ids(user, "university")
            taught = Enrollment.objects.filter(cohort__in=Cohort.objects.editable_by(user)).values("profile_id")
            return self.filter(Q(profile__university_id__in=org_ids) | Q(profile_id__in=taught))
        firm_ids = member_org_ids(user, "firm")
        if firm_ids:
            return self.filter(firm_id__in=firm_ids)
        return self.none()


class Placement(TimeStampedModel):
    """A student hired by a firm: recorded by staff, or by the applications pipeline (source ``pipeline``) once a
    hire's start date is confirmed there (``apps.applications.services`` calls ``placement_record``)."""

    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="placements")
    firm = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"kind": "firm"}, verbose_name=_("firm"))
    vacancy = models.ForeignKey("jobs.Vacancy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("vacancy"))
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    source = models.CharField(_("source"), max_length=16, choices=PlacementSource.choices,
                              default=PlacementSource.STAFF)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [models.UniqueConstraint(fields=["profile", "firm", "started_on"], name="uniq_placement")]

    def __str__(self):
        return f"{self.profile} → {self.firm} ({self.started_on})"


# --- Roster imports ---------------------------------------------------------------------------------------


class RosterImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RosterImportQuerySet(models.QuerySet):
    """Roster uploads, seen by the staff of their cohort."""

    def for_user(self, user):
        """Staff of the cohort's university see its roster imports."""
        if signed_in(user) and user.is_platform_admin:
            return self
        return self.filter(cohort__in=Cohort.objects.editable_by(user))


class RosterImport(models.Model):
    """One uploaded roster file and the per-row report of importing it (run by the worker)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    source_text = models.TextField()
    strict = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=RosterImportStatus.choices, default=RosterImportStatus.PENDING)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rolled_back = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    errors_csv = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return f"{self.file_name} → {self.cohort_id} ({self.status})"
