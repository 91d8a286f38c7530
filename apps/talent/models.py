"""Student and trainee skill profiles.

A profile belongs to one user. Skills carry a level 1-5 and where the level comes from; languages a
CEFR level. Contact details (the user's email and phone) stay hidden from firms unless the student
shares them (``contact_visible_to_firms``) or applies to the firm.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.skills.levels import CEFR, SkillLevel


class Visibility(models.TextChoices):
    FIRMS = "firms", _("Visible to approved firms")
    HIDDEN = "hidden", _("Hidden")


class JobType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    INTERNSHIP = "internship", _("Internship")


class SkillSourceKind(models.TextChoices):
    SELF = "self", _("Self-declared")
    COURSE = "course", _("Course completed")
    FIRM = "firm", _("Confirmed by a firm")


class StudentProfileQuerySet(models.QuerySet):
    def matchable(self):
        """Profiles the matching engine may score: visible and opted in."""
        return self.filter(visibility=Visibility.FIRMS, matching_opt_in=True, user__is_active=True)

    def for_user(self, user):
        """Students see their own; members of approved firms see matchable profiles; admins see all.

        Universities see profiles of their own students (``university`` link); government sees none
        (aggregates only, through reports).
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        from apps.accounts.models import AccountType, ApprovalStatus, OrganisationKind

        if user.account_type == AccountType.STUDENT:
            return self.filter(user=user)
        if user.account_type == AccountType.FIRM:
            if user.memberships.filter(organisation__kind=OrganisationKind.FIRM,
                                       organisation__status=ApprovalStatus.APPROVED).exists():
                return self.matchable()
            return self.none()
        if user.account_type == AccountType.UNIVERSITY:
            return self.filter(university_id__in=user.organisation_ids(OrganisationKind.UNIVERSITY))
        return self.none()


class StudentProfile(TimeStampedModel):
    """A student's or trainee's skill profile, preferences and consent settings."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True, unique=True)
    university = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="students",
        limit_choices_to={"kind": "university"},
    )
    school = models.CharField(_("school"), max_length=200, blank=True)
    major = models.CharField(_("major"), max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    bio = models.TextField(_("short bio"), blank=True, max_length=2000)
    pref_locations = models.JSONField(_("preferred locations"), default=list, blank=True)
    remote_ok = models.BooleanField(_("open to remote work"), default=True)
    pref_job_types = models.JSONField(_("preferred job types"), default=list, blank=True)
    pref_markets = models.JSONField(_("preferred markets"), default=list, blank=True)
    visibility = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.FIRMS)
    matching_opt_in = models.BooleanField(_("include me in matching"), default=True)
    contact_visible_to_firms = models.BooleanField(_("show my contact details to firms"), default=False)

    objects = StudentProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        indexes = [models.Index(fields=["visibility", "matching_opt_in"], name="profile_matchable_idx")]

    def __str__(self):
        return self.user.full_name or self.user.email

    @property
    def full_name(self) -> str:
        return self.user.full_name

    def contact_visible_to(self, user) -> bool:
        """Whether ``user`` may read this student's email and phone."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_platform_admin or user.pk == self.user_id:
            return True
        if user.account_type == "firm":
            return self.contact_visible_to_firms and self.visibility == Visibility.FIRMS
        return False


class ProfileSkill(models.Model):
    """A skill a student holds, at a level, with where the level comes from."""

    profile = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices, default=SkillLevel.WORKING)
    source = models.CharField(_("source"), max_length=16, choices=SkillSourceKind.choices,
                              default=SkillSourceKind.SELF)
    evidence = models.CharField(_("evidence"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="uniq_profile_skill"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="profile_skill_level_1_5"),
        ]
        ordering = ["-level", "skill__code"]

    def __str__(self):
        return f"{self.skill} ({self.level})"


class ProfileLanguage(models.Model):
    """A language a student speaks, at a CEFR level (A1-C2 stored as 1-6)."""

    profile = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"is_language": True})
    cefr = models.PositiveSmallIntegerField(_("CEFR level"), choices=CEFR.choices)
    source = models.CharField(_("source"), max_length=16, choices=SkillSourceKind.choices,
                              default=SkillSourceKind.SELF)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="uniq_profile_language"),
            models.CheckConstraint(condition=Q(cefr__gte=1) & Q(cefr__lte=6), name="profile_language_cefr_1_6"),
        ]
        ordering = ["-cefr"]

    def __str__(self):
        return f"{self.language} {self.get_cefr_display()}"
