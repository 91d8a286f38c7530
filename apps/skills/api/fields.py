"""Serializer fields other apps use to take skills and levels the way people write them."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.skills.levels import CEFR, parse_cefr
from apps.skills.models import Skill
from apps.skills.selectors import SkillResolutionError, skill_resolve


@extend_schema_field({"type": "string", "description": "A skill code, or any label or alias in English or Chinese.",
                      "example": "platform.aliexpress"})
class SkillReferenceField(serializers.Field):
    """Accepts a skill's code or any of its names and gives a ``Skill``; shows the code.

    ``languages`` says whether the field takes languages (True) or other skills (False); a name of the wrong
    kind gets a message pointing to the right list rather than "unknown".
    """

    def __init__(self, *, languages: bool = False, **kwargs):
        self.languages = languages
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Skill:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Give the skill as text: its code or one of its names."))
        _refuse_control_characters(data)
        try:
            return skill_resolve(data, languages_only=self.languages)
        except SkillResolutionError as error:
            try:
                skill_resolve(data, languages_only=not self.languages)
            except SkillResolutionError:
                raise serializers.ValidationError(str(error)) from None
        if self.languages:
            raise serializers.ValidationError(_("%(name)s is not a language.") % {"name": data.strip()})
        raise serializers.ValidationError(
            _("%(name)s is a language: list it under languages with a CEFR level.") % {"name": data.strip()})

    def to_representation(self, value: Skill) -> str:
        return value.code


@extend_schema_field({"type": "string",
                      "description": "CEFR level A1-C2 (answers always use A1-C2; input also takes 1-6 or a "
                                     "language exam code such as CET-6).",
                      "example": "B2"})
class CEFRField(serializers.Field):
    """A CEFR level stored as 1-6, shown as A1-C2; input also takes numbers and exam codes (CET-6, TEM-8)."""

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool) or not isinstance(data, str | int):
            raise serializers.ValidationError(_("Give a CEFR level such as B2."))
        _refuse_control_characters(str(data))
        try:
            return parse_cefr(str(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def to_representation(self, value: int) -> str:
        return CEFR(value).label


def _refuse_control_characters(text: str) -> None:
    """NUL and other control characters are never part of a name (and PostgreSQL refuses NUL in queries)."""
    if any(ord(char) < 32 for char in text):
        raise serializers.ValidationError(_("Control characters are not allowed."))
