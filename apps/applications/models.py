"""Applications and invitations, their stage history, contact consents and hiring outcomes.

One ``Application`` per student and vacancy (a database constraint): the student applied, or the firm
invited them. Every stage change is an ``ApplicationEvent`` (who, when, from, to, why). Applying, or
accepting an invitation, grants the firm a ``ContactConsent`` (recorded with time and purpose); withdrawing
the application or the consent ends it, and the firm stops seeing the contact details at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


# The pipeline in order; an application only moves forward along it (or leaves it: rejected/withdrawn/declined).
PIPELINE = (Stage.INVITED, Stage.APPLIED, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)
PIPELINE_RANK = {stage: rank for rank, stage in enumerate(PIPELINE)}
ACTIVE_STAGES = (Stage.INVITED, Stage.APPLIED, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER)
CLOSED_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN, Stage.DECLINED)
# Stages the firm moves an application to (hired needs a free opening; rejected needs a reason).
FIRM_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED)
# The learning signal: reaching one of these counts as a positive outcome.
POSITIVE_RANK = PIPELINE_RANK[Stage.SHORTLISTED]


class Source(models.TextChoices):
    APPLIED = "applied", _("The student applied")
    INVITED = "invited", _("The firm invited the student")


class ActorRole(models.TextChoices):
    STUDENT = "student", _("Student")
    FIRM = "firm", _("Firm")
    ADMIN = "admin", _("Platform admin")
    SYSTEM = "system", _("System")


class ApplicationQuerySet(models.QuerySet):
    def active(self):
        """Still in the pipeline: invited, applied, shortlisted, interview or offer."""
        return self.filter(stage__in=ACTIVE_STAGES)

    def for_user(self, user):
        """Students see their own; members of a firm see the applications to their firm's vacancies; platform
        admins see all; everyone else none (universities and government get aggregates only)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        if user.account_type == "student":
            return self.filter(profile__user=user)
        if user.account_type == "firm":
            return self.filter(vacancy__firm_id__in=user.organisation_ids("firm"))
        return self.none()

    def managed_by(self, user):
        """Applications whose stage this user may change as the employer: their firm's, or any for admins."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.filter(vacancy__firm_id__in=user.organisation_ids("firm"))


class Application(models.Model):
    """A student's application to a vacancy, or a firm's invitation of a student, and where it stands."""

    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey("jobs.Vacancy", on_delete=models.CASCADE, related_name="applications")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, db_index=True)
    # Furthest pipeline stage ever reached (PIPELINE_RANK): the outcome learning reads it.
    furthest = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("note to the firm"), blank=True, max_length=2000)
    invite_message = models.TextField(_("invitation message"), blank=True, max_length=2000)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    stage_changed_at = models.DateTimeField()
    # First decision of the firm on this application (shortlist, interview, offer, hire or reject).
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The match as it stood when the application was made (score, its five parts, the weights version).
    match_score = models.FloatField(null=True, blank=True)
    match_required = models.FloatField(null=True, blank=True)
    match_optional = models.FloatField(null=True, blank=True)
    match_similarity = models.FloatField(null=True, blank=True)
    match_language = models.FloatField(null=True, blank=True)
    match_preference = models.FloatField(null=True, blank=True)
    match_weights_version = models.CharField(max_length=64, blank=True)
    # Hiring outcome, confirmed by the firm.
    hired_at = models.DateTimeField(null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_confirmed_at = models.DateTimeField(null=True, blank=True)
    stayed_3_months = models.BooleanField(_("stayed 3 months"), null=True, blank=True)
    stayed_6_months = models.BooleanField(_("stayed 6 months"), null=True, blank=True)
    outcome_updated_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["profile", "vacancy"], name="uniq_application_profile_vacancy"),
            models.CheckConstraint(condition=Q(furthest__lte=len(PIPELINE) - 1), name="application_furthest_range"),
            models.CheckConstraint(condition=~Q(stage="hired") | Q(hired_at__isnull=False),
                                   name="application_hired_has_time"),
        ]
        indexes = [
            models.Index(fields=["vacancy", "stage"], name="application_vacancy_stage"),
            models.Index(fields=["profile", "stage"], name="application_profile_stage"),
        ]

    def __str__(self):
        return f"{self.profile} → {self.vacancy} ({self.stage})"

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    @property
    def match_components(self) -> dict[str, float] | None:
        """The five score parts at application time, or None when the pair was not scored."""
        if self.match_required is None:
            return None
        return {name: getattr(self, f"match_{name}")
                for name in ("required", "optional", "similarity", "language", "preference")}


class ApplicationEvent(models.Model):
    """One stage change of an application: who made it, when, from which stage to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_role = models.CharField(max_length=16, choices=ActorRole.choices)
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="app_event_application_time")]

    def __str__(self):
        return f"{self.application_id}: {self.from_stage or '∅'} → {self.to_stage}"


class ContactConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def for_user(self, user):
        """Students see their own consents; firm members those given to their firm; admins all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        if user.account_type == "student":
            return self.filter(profile__user=user)
        if user.account_type == "firm":
            return self.filter(firm_id__in=user.organisation_ids("firm"))
        return self.none()


class ContactConsent(models.Model):
    """A student's permission for one firm to see their email and phone, with when, why and until when."""

    profile = models.ForeignKey("talent.StudentProfile", on_delete=models.CASCADE, related_name="contact_consents")
    firm = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="contact_consents")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=200)
    granted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)

    objects = ContactConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("contact consent")
        verbose_name_plural = _("contact consents")
        indexes = [models.Index(fields=["profile", "firm"], condition=Q(withdrawn_at__isnull=True),
                                name="consent_active_idx")]

    def __str__(self):
        return f"{self.profile} → {self.firm} ({'active' if self.withdrawn_at is None else 'withdrawn'})"
