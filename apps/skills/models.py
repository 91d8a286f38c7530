"""The skills taxonomy: categories, skills with bilingual labels and aliases, markets and locations.

Every skill has a stable ``code``. People write skills in many ways (速卖通, AliExpress, ａｌｉｅｘｐｒｅｓｓ);
``normalized`` columns hold the case- and width-folded forms the resolver looks up.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _pick(obj, field: str) -> str:
    lang = (get_language() or "zh-hans").lower()
    zh = getattr(obj, f"{field}_zh")
    en = getattr(obj, f"{field}_en")
    return (zh or en) if lang.startswith("zh") else (en or zh)


class BilingualLabelMixin:
    @property
    def label(self) -> str:
        return _pick(self, "label")


class SkillCategory(BilingualLabelMixin, models.Model):
    """A top-level area of the taxonomy (platform operations, logistics, languages, ...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    label_en = models.CharField(_("English label"), max_length=200)
    label_zh = models.CharField(_("Chinese label"), max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("skill category")
        verbose_name_plural = _("skill categories")

    def __str__(self):
        return self.label


class SkillSource(models.TextChoices):
    NATIVE = "native", _("TalentMatch taxonomy")
    ESCO = "esco", _("ESCO import")


class SkillQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def languages(self):
        return self.filter(is_language=True)

    def for_user(self, user):
        """The taxonomy is public reference data."""
        return self


class Skill(BilingualLabelMixin, models.Model):
    """One skill with a stable code, labels and descriptions in Chinese and English."""

    code = models.CharField(_("code"), max_length=255, unique=True)
    category = models.ForeignKey(SkillCategory, on_delete=models.PROTECT, related_name="skills")
    label_en = models.CharField(_("English label"), max_length=255)
    label_zh = models.CharField(_("Chinese label"), max_length=255, blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    esco_uri = models.CharField(_("ESCO URI"), max_length=255, null=True, blank=True, unique=True)
    is_language = models.BooleanField(default=False, db_index=True)
    source = models.CharField(max_length=16, choices=SkillSource.choices, default=SkillSource.NATIVE)
    is_active = models.BooleanField(default=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "code"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.label

    @property
    def description(self) -> str:
        return _pick(self, "description")


class SkillAlias(models.Model):
    """Another name for a skill, in one language; ``normalized`` is what the resolver matches."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=255)
    language = models.CharField(max_length=8, choices=[("en", "English"), ("zh", "中文")])
    # "label" rows mirror the skill's own labels so one indexed lookup resolves any name.
    kind = models.CharField(max_length=8, choices=[("label", "label"), ("alias", "alias")], default="alias")
    normalized = models.CharField(max_length=255, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skill", "normalized"], name="uniq_skill_alias")]
        verbose_name = _("skill alias")
        verbose_name_plural = _("skill aliases")

    def __str__(self):
        return self.alias


class Market(BilingualLabelMixin, models.Model):
    """A target market or region firms sell to (RCEP, Middle East, ...)."""

    code = models.SlugField(max_length=64, unique=True)
    label_en = models.CharField(max_length=200)
    label_zh = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.label


class Location(BilingualLabelMixin, models.Model):
    """A district or place in the city where a job is or a student wants to work."""

    code = models.SlugField(max_length=64, unique=True)
    label_en = models.CharField(max_length=200)
    label_zh = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.label


class LanguageExam(models.Model):
    """A language exam (CET-4, TEM-8, IELTS 6.5, JLPT N2...) and the CEFR level it stands for."""

    code = models.SlugField(max_length=32, unique=True)
    label = models.CharField(max_length=64)
    language = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="exams")
    cefr = models.PositiveSmallIntegerField()

    def __str__(self):
        return self.label


class TaxonomyVersion(models.Model):
    """Records which version of the shipped taxonomy was last loaded."""

    version = models.CharField(max_length=32)
    loaded_at = models.DateTimeField(auto_now=True)
