"""Vacancies firms post, with the skills and languages they require."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.skills.levels import CEFR, SkillLevel
from apps.talent.models import JobType


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class VacancyQuerySet(models.QuerySet):
    @staticmethod
    def _open_q() -> Q:
        today = timezone.localdate()
        return Q(status=VacancyStatus.OPEN, firm__status="approved") & (Q(deadline__isnull=True) |
                                                                        Q(deadline__gte=today))

    def open(self):
        """Open and not past the deadline, from an approved firm."""
        return self.filter(self._open_q())

    def for_user(self, user):
        """Everyone sees open vacancies; firm members also see their firm's drafts and closed ones."""
        visible = self._open_q()
        if getattr(user, "is_authenticated", False):
            if user.is_platform_admin:
                return self
            firm_ids = user.organisation_ids("firm") if user.account_type == "firm" else []
            if firm_ids:
                visible |= Q(firm_id__in=firm_ids)
        return self.filter(visible)

    def editable_by(self, user):
        """Vacancies this user may change: their firm's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_admin:
            return self
        return self.filter(firm_id__in=user.organisation_ids("firm"))


class Vacancy(TimeStampedModel):
    """A job a firm offers: required and optional skills with minimum levels and weights."""

    firm = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="vacancies",
                             limit_choices_to={"kind": "firm"})
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=64, blank=True)
    remote = models.BooleanField(_("remote possible"), default=False)
    job_type = models.CharField(_("job type"), max_length=16, choices=JobType.choices, default=JobType.FULL_TIME)
    openings = models.PositiveIntegerField(_("openings"), default=1)
    salary_min = models.PositiveIntegerField(_("monthly salary from (CNY)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("monthly salary to (CNY)"), null=True, blank=True)
    markets = models.JSONField(_("target markets"), default=list, blank=True)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VacancyStatus.choices,
                              default=VacancyStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        # Browsing pages newest first: a backward index scan stops after one page instead of sorting 20,000 rows.
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="vacancy_published_idx"),
            # The API's browse list: status = 'open' in the default order (a first page without a sort), and its
            # COUNT(*) answered from the index alone (deadline and firm are the rest of the "open" rule; location,
            # job type and remote the common filters).
            models.Index(fields=["status", "-published_at", "-created_at"],
                         include=["deadline", "firm", "location", "job_type", "remote"],
                         name="vacancy_status_published_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["firm", "external_id"], name="uniq_vacancy_external_id"),
            models.CheckConstraint(condition=Q(openings__gte=1), name="vacancy_openings_positive"),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_max__gte=F("salary_min")),
                name="vacancy_salary_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.OPEN and (self.deadline is None or self.deadline >= timezone.localdate())


class VacancySkill(models.Model):
    """A skill a vacancy asks for: required or optional, with a minimum level and an importance weight."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(_("minimum level"), choices=SkillLevel.choices,
                                                 default=SkillLevel.WORKING)
    weight = models.FloatField(_("importance weight"), default=1.0)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "skill"], name="uniq_vacancy_skill"),
            models.CheckConstraint(condition=Q(min_level__gte=1) & Q(min_level__lte=5), name="vacancy_skill_level"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=10), name="vacancy_skill_weight"),
        ]
        ordering = ["-required", "-weight", "skill__code"]


class VacancyLanguage(models.Model):
    """A language a vacancy needs, at a minimum CEFR level."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"is_language": True})
    min_cefr = models.PositiveSmallIntegerField(_("minimum CEFR level"), choices=CEFR.choices, default=CEFR.B1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vacancy", "language"], name="uniq_vacancy_language")]
