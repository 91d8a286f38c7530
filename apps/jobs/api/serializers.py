"""Representation and input shape of vacancies; creating and changing them goes through ``apps.jobs.services``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill
from apps.skills.api.fields import CEFRField, SkillReferenceField
from apps.skills.levels import CEFR


class SkillRequirementSerializer(serializers.ModelSerializer):
    skill = SkillReferenceField()
    label_en = serializers.CharField(source="skill.label_en", read_only=True)
    label_zh = serializers.CharField(source="skill.label_zh", read_only=True)
    min_level = serializers.IntegerField(min_value=1, max_value=5, default=3, help_text=_("1 aware … 5 expert."))
    weight = serializers.FloatField(min_value=0.01, max_value=10, default=1.0,
                                    help_text=_("Importance, above 0 and at most 10."))

    class Meta:
        model = VacancySkill
        fields = ["skill", "label_en", "label_zh", "min_level", "weight"]


class _RequirementList(serializers.ListSerializer):
    """Reads one kind of the vacancy's skill rows (required or optional); writes under its own name."""

    required_rows: bool

    def get_attribute(self, instance):
        return [row for row in instance.skills.all() if row.required is self.required_rows]


class RequiredSkillList(_RequirementList):
    required_rows = True


class OptionalSkillList(_RequirementList):
    required_rows = False


class LanguageRequirementSerializer(serializers.ModelSerializer):
    language = SkillReferenceField(languages=True)
    label_en = serializers.CharField(source="language.label_en", read_only=True)
    label_zh = serializers.CharField(source="language.label_zh", read_only=True)
    min_cefr = CEFRField(default=CEFR.B1)

    class Meta:
        model = VacancyLanguage
        fields = ["language", "label_en", "label_zh", "min_cefr"]


class VacancySerializer(serializers.ModelSerializer):
    """A vacancy with its skill and language requirements.

    ``firm`` may be left out when the caller belongs to one firm; it cannot change after creation. Skills and
    languages take a code or any name. ``required_skills``/``optional_skills``/``languages`` replace the
    stored lists: on create and PUT a list not sent is empty; on PATCH it stays as stored (so a PATCH with
    only ``optional_skills`` keeps the required ones).
    """

    firm = serializers.IntegerField(source="firm_id", required=False,
                                    help_text=_("The firm's organisation id; needed only if you belong to several."))
    firm_name = serializers.CharField(source="firm.name", read_only=True)
    markets = serializers.ListField(child=serializers.CharField(max_length=64), max_length=30, required=False,
                                    help_text=_("Market codes (see /api/v1/markets/)."))
    required_skills = RequiredSkillList(child=SkillRequirementSerializer(), required=False, max_length=60)
    optional_skills = OptionalSkillList(child=SkillRequirementSerializer(), required=False, max_length=60)
    languages = LanguageRequirementSerializer(many=True, required=False, max_length=20)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Vacancy
        fields = ["id", "firm", "firm_name", "external_id", "title", "description", "location", "remote", "job_type",
                  "openings", "salary_min", "salary_max", "markets", "deadline", "status", "is_open", "published_at",
                  "required_skills", "optional_skills", "languages", "created_at", "updated_at"]
        read_only_fields = ["status", "published_at", "created_at", "updated_at"]
        extra_kwargs = {"openings": {"min_value": 1}}
        # Uniqueness of external_id per firm is the service's and the database's job (answered with 400/409).
        validators: list = []

    def validate_firm(self, value):
        if self.instance is not None and value != self.instance.firm_id:
            raise serializers.ValidationError(_("A vacancy cannot move to another firm."))
        return value
