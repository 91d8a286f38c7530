"""Representations of the taxonomy; searching and resolving happen in ``apps.skills.selectors``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.skills.models import Location, Market, Skill, SkillCategory


class SkillCategorySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text=_("Label in the request's language."))

    class Meta:
        model = SkillCategory
        fields = ["code", "label_en", "label_zh", "label"]


class MarketSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Market
        fields = ["code", "label_en", "label_zh", "label"]


class LocationSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Location
        fields = ["code", "label_en", "label_zh", "label"]


class SkillSerializer(serializers.ModelSerializer):
    """A skill with labels in both languages, its category and its other names."""

    label = serializers.CharField(read_only=True, help_text=_("Label in the request's language."))
    category = SkillCategorySerializer(read_only=True)
    aliases_en = serializers.SerializerMethodField(help_text=_("Other English names people use."))
    aliases_zh = serializers.SerializerMethodField(help_text=_("Other Chinese names people use."))

    class Meta:
        model = Skill
        fields = ["code", "label_en", "label_zh", "label", "category", "is_language", "aliases_en", "aliases_zh",
                  "description_en", "description_zh", "esco_uri", "source"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases_en(self, skill) -> list[str]:
        return [row.alias for row in skill.aliases.all() if row.kind == "alias" and row.language == "en"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases_zh(self, skill) -> list[str]:
        return [row.alias for row in skill.aliases.all() if row.kind == "alias" and row.language == "zh"]


class SkillSearchParamsSerializer(serializers.Serializer):
    """Query parameters of the skill search."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text=_("Text in a code, label or alias (any language, any case or width)."))
    category = serializers.CharField(required=False, max_length=64, help_text=_("Category code."))
    language = serializers.BooleanField(required=False, allow_null=True, default=None,
                                        help_text=_("true: only languages; false: no languages; absent: both."))


class SkillResolveRequestSerializer(serializers.Serializer):
    names = serializers.ListField(child=serializers.CharField(max_length=255, trim_whitespace=False),
                                  min_length=1, max_length=200,
                                  help_text=_("Names as people write them: codes, labels or aliases."))
    kind = serializers.ChoiceField(choices=[("any", "any"), ("skill", "skill"), ("language", "language")],
                                   default="any", help_text=_("Resolve only skills, only languages, or both."))


class ResolvedNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    skill = SkillSerializer()


class UnknownNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    message = serializers.CharField()
    suggestions = serializers.ListField(child=serializers.CharField(), help_text=_('"Label (code)" of close skills.'))


class SkillResolveResponseSerializer(serializers.Serializer):
    resolved = ResolvedNameSerializer(many=True)
    unknown = UnknownNameSerializer(many=True)


class SkillSuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000, help_text=_("A vacancy description, a CV paragraph..."))
    limit = serializers.IntegerField(min_value=1, max_value=50, default=15)


class SkillSuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_en = serializers.CharField()
    label_zh = serializers.CharField()
    matched = serializers.CharField(help_text=_("The name found in the text (normalised)."))
    occurrences = serializers.IntegerField()


class SkillSuggestResponseSerializer(serializers.Serializer):
    suggestions = SkillSuggestionSerializer(many=True)
