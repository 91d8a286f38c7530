"""Programmes (校企政 cooperation) with partner firms, and the courses providers teach."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.skills.levels import SkillLevel

from .base import bilingual, member_org_ids, signed_in

# --- Programmes -------------------------------------------------------------------------------------------


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


PUBLIC_PROGRAMME_STATUSES = (ProgrammeStatus.ACTIVE, ProgrammeStatus.COMPLETED)


class ProgrammeQuerySet(models.QuerySet):
    """Who sees and who changes programmes."""

    def for_user(self, user):
        """Running and completed programmes are public; the running university, partner firms and the funding
        agency also see their own drafts and cancelled ones; admins see all."""
        if signed_in(user) and user.is_platform_admin:
            return self
        visible = Q(status__in=PUBLIC_PROGRAMME_STATUSES)
        if signed_in(user):
            visible |= Q(university_id__in=member_org_ids(user, "university"))
            visible |= Q(government_id__in=member_org_ids(user, "government"))
            firm_ids = member_org_ids(user, "firm")
            if firm_ids:
                visible |= Q(pk__in=ProgrammePartner.objects.filter(firm_id__in=firm_ids).values("programme_id"))
        return self.filter(visible)

    def editable_by(self, user):
        """Programmes this user may change: those their university runs."""
        if not signed_in(user):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.filter(university_id__in=member_org_ids(user, "university"))


class Programme(TimeStampedModel):
    """A school–enterprise–government cooperation: who runs it, who co-designs and hires, who funds, the targets."""

    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    university = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="programmes_run",
                                   limit_choices_to={"kind": "university"}, verbose_name=_("run by"))
    partner_firms = models.ManyToManyField("accounts.Organisation", through="ProgrammePartner",
                                           related_name="programmes_partnered", blank=True)
    government = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="programmes_funded", limit_choices_to={"kind": "government"},
                                   verbose_name=_("funded by"))
    funding_amount = models.DecimalField(_("funding (CNY)"), max_digits=14, decimal_places=2, default=0,
                                         validators=[MinValueValidator(0)])
    target_trained = models.PositiveIntegerField(_("target: people trained"), default=0)
    target_placement_rate = models.DecimalField(
        _("target: placement rate (%)"), max_digits=5, decimal_places=2, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=16, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="programme_dates_order"),
            models.CheckConstraint(condition=Q(target_placement_rate__gte=0) & Q(target_placement_rate__lte=100),
                                   name="programme_target_rate_pct"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self, "name")

    @property
    def description(self) -> str:
        return bilingual(self, "description")


class ProgrammePartner(models.Model):
    """A firm co-running a programme, with the places it reserves for the programme's graduates (订单班)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    firm = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"kind": "firm"})
    reserved_places = models.PositiveIntegerField(_("reserved places"), default=0)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["programme", "firm__name"]
        verbose_name = _("partner firm")
        verbose_name_plural = _("partner firms")
        constraints = [models.UniqueConstraint(fields=["programme", "firm"], name="uniq_programme_partner")]

    def __str__(self):
        return f"{self.firm} @ {self.programme}"


# --- Courses ----------------------------------------------------------------------------------------------


class PublicTrainingCentre(models.Model):
    """Marks a provider as the city's public cross-border e-commerce service centre, whose training is free."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="public_training_centre", limit_choices_to={"kind": "university"})
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("public training centre")
        verbose_name_plural = _("public training centres")

    def __str__(self):
        return str(self.organisation)


class CourseMode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")


class CourseQuerySet(models.QuerySet):
    """Who sees and who changes courses."""

    def for_user(self, user):
        """Active courses of approved providers are public; providers also see their inactive ones."""
        if signed_in(user) and user.is_platform_admin:
            return self
        visible = Q(is_active=True, provider__status="approved")
        if signed_in(user):
            visible |= Q(provider_id__in=member_org_ids(user, "university"))
        return self.filter(visible)

    def editable_by(self, user):
        if not signed_in(user):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.filter(provider_id__in=member_org_ids(user, "university"))


class Course(TimeStampedModel):
    """A course a provider teaches: the skills it brings students to, at what level, in how many hours."""

    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="courses",
                                 limit_choices_to={"kind": "university"}, verbose_name=_("provider"))
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    hours = models.PositiveIntegerField(_("hours"), default=0)
    mode = models.CharField(_("mode"), max_length=16, choices=CourseMode.choices, default=CourseMode.ON_SITE)
    fee = models.DecimalField(_("fee (CNY)"), max_digits=10, decimal_places=2, default=0,
                              validators=[MinValueValidator(0)])
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name", "title_zh", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [models.CheckConstraint(condition=Q(fee__gte=0), name="course_fee_not_negative")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return bilingual(self, "title")

    @property
    def description(self) -> str:
        return bilingual(self, "description")


class CourseSkill(models.Model):
    """A skill a course teaches and the level a student holds on completing it."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level reached"), choices=SkillLevel.choices,
                                             default=SkillLevel.WORKING)

    class Meta:
        ordering = ["-level", "skill__code"]
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="uniq_course_skill"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="course_skill_level_1_5"),
        ]

    def __str__(self):
        return f"{self.skill} → {self.level}"
