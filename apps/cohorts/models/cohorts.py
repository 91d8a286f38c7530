"""Cohorts (runs of a course), enrollments with their place-holding statuses, and course credits."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .base import member_org_ids, signed_in
from .programmes import Course, Programme

# --- Cohorts and enrollments ------------------------------------------------------------------------------


class CohortQuerySet(models.QuerySet):
    """Who sees and who runs cohorts, and which take enrollments today."""

    def for_user(self, user):
        """A cohort is visible when its course is and its programme (if any) is."""
        if signed_in(user) and user.is_platform_admin:
            return self
        return self.filter(
            Q(course__in=Course.objects.for_user(user))
            & (Q(programme__isnull=True) | Q(programme__in=Programme.objects.for_user(user)))
        )

    def editable_by(self, user):
        """Cohorts of the user's university's courses or programmes."""
        if not signed_in(user):
            return self.none()
        if user.is_platform_admin:
            return self
        org_ids = member_org_ids(user, "university")
        return self.filter(Q(course__provider_id__in=org_ids) | Q(programme__university_id__in=org_ids))

    def open_for_enrollment(self):
        """Not cancelled and inside the enrollment window today (it closes on the start date by default)."""
        today = timezone.localdate()
        return self.filter(is_cancelled=False).filter(
            Q(enrollment_opens_on__isnull=True) | Q(enrollment_opens_on__lte=today)
        ).filter(
            Q(enrollment_closes_on__gte=today) | Q(enrollment_closes_on__isnull=True, starts_on__gte=today)
        )


class Cohort(TimeStampedModel):
    """One run of a course inside a programme: dates, place, instructor, capacity, enrollment window."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("course"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="cohorts", verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=200, blank=True,
                            help_text=_("For example “2026 spring, evening class”."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    place = models.CharField(_("place"), max_length=200, blank=True)
    instructor = models.CharField(_("instructor"), max_length=150, blank=True)
    enrollment_opens_on = models.DateField(_("enrollment opens on"), null=True, blank=True)
    enrollment_closes_on = models.DateField(_("enrollment closes on"), null=True, blank=True,
                                            help_text=_("Empty: enrollment closes when the cohort starts."))
    requires_approval = models.BooleanField(_("staff approve each application"), default=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_dates_order"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.course.title} · {self.name or self.starts_on.isoformat()}"

    @property
    def closes_on(self):
        return self.enrollment_closes_on or self.starts_on

    @property
    def is_enrollment_open(self) -> bool:
        today = timezone.localdate()
        opened = self.enrollment_opens_on is None or self.enrollment_opens_on <= today
        return not self.is_cancelled and opened and today <= self.closes_on


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    DROPPED = "dropped", _("Dropped")


# Statuses that hold one of the cohort's places (an application does not; a dropped student gave it back).
SEAT_STATUSES = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.FAILED)


class EnrollmentQuerySet(models.QuerySet):
    """Rows about people: seen by the student, the cohort's staff and (graduates who consent) partner firms."""

    def holding_seats(self):
        return self.filter(status__in=SEAT_STATUSES)

    def editable_by(self, user):
        """Enrollments staff may change: those of cohorts they run."""
        if not signed_in(user):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.filter(cohort__in=Cohort.objects.editable_by(user))

    def for_user(self, user):
        """Students see their own; cohort staff their cohorts' rosters; partner firms the graduates of their
        programmes who share their contact details with firms; government none (aggregates only)."""
        if not signed_in(user):
            return self.none()
        if user.is_platform_admin:
            return self
        if user.account_type == "student":
            return self.filter(profile__user=user)
        if user.account_type == "university":
            return self.filter(cohort__in=Cohort.objects.editable_by(user))
        firm_ids = member_org_ids(user, "firm")
        if firm_ids:
            return self.filter(
                status=EnrollmentStatus.COMPLETED,
                cohort__programme__partners__firm_id__in=firm_ids,
                profile__contact_visible_to_firms=True,
                profile__visibility="firms",
            ).distinct()
        return self.none()


class Enrollment(TimeStampedModel):
    """A student's place in a cohort, from application to completion, with attendance and grade."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(_("status"), max_length=16, choices=EnrollmentStatus.choices,
                              default=EnrollmentStatus.APPLIED, db_index=True)
    attendance = models.DecimalField(_("attendance (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0), MaxValueValidator(100)])
    grade = models.CharField(_("grade"), max_length=16, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "profile__user__full_name", "pk"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "profile"], name="uniq_enrollment"),
            models.CheckConstraint(condition=Q(attendance__isnull=True) | (Q(attendance__gte=0)
                                                                            & Q(attendance__lte=100)),
                                   name="enrollment_attendance_pct"),
        ]

    def __str__(self):
        return f"{self.profile} in {self.cohort_id} ({self.status})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES


class CourseCreditQuerySet(models.QuerySet):
    """Active (not taken back) credits, and who may see them."""

    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_user(self, user):
        """Credits follow the enrollments they come from."""
        if signed_in(user) and user.is_platform_admin:
            return self
        return self.filter(enrollment__in=Enrollment.objects.for_user(user))


class CourseCredit(models.Model):
    """Evidence that a completed cohort credited one skill, and what the profile held before (the baseline),
    so that undoing the completion restores exactly the level and source it replaced."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="credits")
    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="course_credits")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level credited"))
    raised = models.BooleanField(_("raised the profile's level"), default=True)
    # The non-course state of the skill underneath every course credit (null level: the skill was absent).
    baseline_level = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_source = models.CharField(max_length=16, blank=True)
    baseline_evidence = models.CharField(max_length=255, blank=True)
    evidence = models.CharField(_("evidence"), max_length=255)
    credited_on = models.DateField(_("credited on"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CourseCreditQuerySet.as_manager()

    class Meta:
        ordering = ["profile", "skill", "pk"]
        verbose_name = _("course credit")
        verbose_name_plural = _("course credits")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "skill"], condition=Q(revoked_at__isnull=True),
                                    name="uniq_active_course_credit"),
        ]
        indexes = [models.Index(fields=["profile", "skill"], name="credit_profile_skill_idx")]

    def __str__(self):
        return f"{self.skill} {self.level} ← {self.enrollment_id}"
