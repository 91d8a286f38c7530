"""Representations of a student's own profile and the shapes of skill edits; writes go through talent services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.skills.api.fields import CEFRField, SkillReferenceField
from apps.talent.models import JobType, ProfileLanguage, ProfileSkill, StudentProfile


class ProfileSkillSerializer(serializers.ModelSerializer):
    skill = serializers.CharField(source="skill.code", read_only=True)
    label_en = serializers.CharField(source="skill.label_en", read_only=True)
    label_zh = serializers.CharField(source="skill.label_zh", read_only=True)

    class Meta:
        model = ProfileSkill
        fields = ["skill", "label_en", "label_zh", "level", "source"]
        read_only_fields = fields


class ProfileLanguageSerializer(serializers.ModelSerializer):
    language = serializers.CharField(source="language.code", read_only=True)
    label_en = serializers.CharField(source="language.label_en", read_only=True)
    label_zh = serializers.CharField(source="language.label_zh", read_only=True)
    cefr = CEFRField(read_only=True)

    class Meta:
        model = ProfileLanguage
        fields = ["language", "label_en", "label_zh", "cefr", "source"]
        read_only_fields = fields


class ProfileSkillsSerializer(serializers.ModelSerializer):
    """All skills and languages on a profile, whatever their source (self, course, firm)."""

    skills = ProfileSkillSerializer(many=True, read_only=True)
    languages = ProfileLanguageSerializer(many=True, read_only=True)

    class Meta:
        model = StudentProfile
        fields = ["skills", "languages"]


class ProfileSerializer(ProfileSkillsSerializer):
    """The student's own profile: details, preferences, consent settings, skills and languages.

    Skills and languages are read here and changed at ``/profile/skills/``.
    """

    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", max_length=150, required=False, allow_blank=True)
    phone = serializers.CharField(source="user.phone", max_length=32, required=False, allow_blank=True)
    university_name = serializers.CharField(source="university.name", read_only=True, default=None, allow_null=True)
    graduation_year = serializers.IntegerField(min_value=1950, max_value=2100, required=False, allow_null=True)
    pref_locations = serializers.ListField(child=serializers.CharField(max_length=64), max_length=50, required=False,
                                           help_text=_("Location codes (see /api/v1/locations/)."))
    pref_markets = serializers.ListField(child=serializers.CharField(max_length=64), max_length=50, required=False,
                                         help_text=_("Market codes (see /api/v1/markets/)."))
    pref_job_types = serializers.ListField(child=serializers.ChoiceField(choices=JobType.choices), max_length=3,
                                           required=False)

    class Meta:
        model = StudentProfile
        fields = ["email", "full_name", "phone", "university", "university_name", "school", "major",
                  "graduation_year", "city", "bio", "pref_locations", "remote_ok", "pref_job_types", "pref_markets",
                  "visibility", "matching_opt_in", "contact_visible_to_firms", "skills", "languages", "updated_at"]
        read_only_fields = ["university", "updated_at"]


class SkillLevelSerializer(serializers.Serializer):
    skill = SkillReferenceField()
    level = serializers.IntegerField(min_value=1, max_value=5, help_text=_("1 aware … 5 expert."))


class LanguageLevelSerializer(serializers.Serializer):
    language = SkillReferenceField(languages=True)
    cefr = CEFRField()


class ProfileSkillsReplaceSerializer(serializers.Serializer):
    """The full list of self-declared skills and languages; send [] to clear one. Confirmed ones stay."""

    skills = SkillLevelSerializer(many=True, max_length=300)
    languages = LanguageLevelSerializer(many=True, max_length=50)


class ProfileSkillSetSerializer(serializers.Serializer):
    """One skill (``skill`` + ``level``) or one language (``language`` + ``cefr``) to add or change."""

    skill = SkillReferenceField(required=False)
    level = serializers.IntegerField(min_value=1, max_value=5, required=False)
    language = SkillReferenceField(languages=True, required=False)
    cefr = CEFRField(required=False)

    def validate(self, attrs):
        if ("skill" in attrs) == ("language" in attrs):
            raise serializers.ValidationError(_("Send either skill and level, or language and cefr."))
        if "skill" in attrs and "level" not in attrs:
            raise serializers.ValidationError({"level": _("Give the level, 1-5.")})
        if "language" in attrs and "cefr" not in attrs:
            raise serializers.ValidationError({"cefr": _("Give the CEFR level, A1-C2.")})
        return attrs
