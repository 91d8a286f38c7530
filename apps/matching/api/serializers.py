"""Read-only shapes of the match lists, their explanations and match runs.

Items are built by the views as plain dicts (``rank``, the stored ``row``, the ``why`` explanation and, for
candidates, the ``profile`` and ``contact``); these serializers only pick fields out of them.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.matching.models import MatchRun


class _DirectSerializer(serializers.Serializer):
    """A read-only serializer whose ``to_representation`` walks a precompiled list of its fields.

    The same output as DRF's generic ``Serializer.to_representation`` (same keys in the same order, ``None``
    for a missing value, each field's own ``to_representation``; ``tests/matching/test_query_counts.py``
    compares the two), without its per-value ``get_attribute`` and ``_readable_fields`` machinery: a page of
    50 explained matches has some 10,000 values, which cost more than everything else the API does.
    Sources here are plain attributes, dict keys and properties (never callables to call).
    """

    def _plan(self):
        plan = self.__dict__.get("_direct_plan")
        if plan is None:
            plan = []
            for field in self._readable_fields:
                if isinstance(field, serializers.ListSerializer):
                    kind = "many"
                elif isinstance(field, serializers.BaseSerializer):
                    kind = "one"
                else:
                    kind = "value"
                plan.append((field.field_name, tuple(field.source_attrs), field, kind))
            self.__dict__["_direct_plan"] = plan
        return plan

    def to_representation(self, instance):
        answer = {}
        for name, attrs, field, kind in self._plan():
            value = instance
            for attr in attrs:
                value = value[attr] if isinstance(value, Mapping) else getattr(value, attr)
            if value is None:
                answer[name] = None
            elif kind == "many":
                child = field.child
                answer[name] = [child.to_representation(item) for item in value]
            else:
                answer[name] = field.to_representation(value)
        return answer


class MatchComponentsSerializer(_DirectSerializer):
    """The five parts of the score, each in [0, 1] (stored with the list)."""

    required = serializers.FloatField(help_text=_("Importance-weighted share of required skills met at level."))
    optional = serializers.FloatField(help_text=_("The same for optional skills."))
    similarity = serializers.FloatField(help_text=_("IDF-weighted similarity of the whole skill profile."))
    language = serializers.FloatField(help_text=_("Share of required languages met at CEFR level."))
    preference = serializers.FloatField(help_text=_("Location/remote, job type and market preferences."))


class MatchSkillSerializer(_DirectSerializer):
    """One skill the vacancy asks for, seen from the candidate."""

    code = serializers.CharField(source="skill.code")
    label_en = serializers.CharField(source="skill.label_en")
    label_zh = serializers.CharField(source="skill.label_zh")
    required = serializers.BooleanField()
    have = serializers.IntegerField(help_text=_("The candidate's level 1-5; 0 when not held."))
    need = serializers.IntegerField(help_text=_("The minimum level the vacancy asks for."))
    gap = serializers.IntegerField(help_text=_("Levels short (0 when met)."))
    weight = serializers.FloatField(help_text=_("Importance weight the vacancy gives the skill."))
    source = serializers.CharField(help_text=_("Where the candidate's level comes from: self, course or firm; "
                                               "empty when not held."))


class MatchLanguageSerializer(_DirectSerializer):
    """One language the vacancy asks for, with CEFR names."""

    code = serializers.CharField(source="language.code")
    label_en = serializers.CharField(source="language.label_en")
    label_zh = serializers.CharField(source="language.label_zh")
    have = serializers.CharField(source="have_name", help_text=_("The candidate's CEFR level (A1-C2); '—' when "
                                                                 "not spoken."))
    need = serializers.CharField(source="need_name", help_text=_("The minimum CEFR level asked for."))


class _MatchFields(_DirectSerializer):
    rank = serializers.IntegerField(help_text=_("Position in the ranked list, from 1."))
    score = serializers.FloatField(source="row.score", help_text=_("0-1; shown as a percentage on the pages."))
    components = MatchComponentsSerializer(source="row")
    matched_skills = MatchSkillSerializer(source="why.matched", many=True)
    missing_skills = MatchSkillSerializer(source="why.missing", many=True)
    languages_met = MatchLanguageSerializer(source="why.languages_met", many=True)
    languages_missing = MatchLanguageSerializer(source="why.languages_missing", many=True)
    reason = serializers.CharField(source="why.reason", help_text=_("One line, in the caller's language."))
    details_available = serializers.BooleanField(
        source="why.available", help_text=_("False when one side left matching since the list was computed."))
    computed_at = serializers.DateTimeField(source="row.computed_at")


class CandidateProfileSerializer(_DirectSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    school = serializers.CharField()
    major = serializers.CharField()
    graduation_year = serializers.IntegerField(allow_null=True)


class CandidateContactSerializer(_DirectSerializer):
    email = serializers.EmailField()
    phone = serializers.CharField()


class CandidateSerializer(_MatchFields):
    """A student in a vacancy's ranked list; ``contact`` is null unless the student shared it."""

    profile = CandidateProfileSerializer()
    contact = CandidateContactSerializer(allow_null=True, help_text=_(
        "The student's email and phone, only when they share them with firms or consented to your firm; else null."))


class MatchedVacancySerializer(_DirectSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    firm_name = serializers.CharField(source="firm.name")
    location = serializers.CharField()
    remote = serializers.BooleanField()
    job_type = serializers.CharField()
    salary_min = serializers.IntegerField(allow_null=True)
    salary_max = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)


class VacancyMatchSerializer(_MatchFields):
    """A vacancy in the student's ranked list, with why it fits and what the student lacks."""

    vacancy = MatchedVacancySerializer()


class MatchRefreshSerializer(serializers.Serializer):
    detail = serializers.CharField()


class MatchRunSerializer(serializers.ModelSerializer):
    """One matcher run: what it covered, how long each step took, the weights it used."""

    duration = serializers.FloatField(allow_null=True, read_only=True, help_text=_("Seconds, when finished."))

    class Meta:
        model = MatchRun
        fields = ["id", "kind", "status", "generation", "weights_version", "reason", "target_id", "top_k",
                  "shards_total", "shards_done", "profiles", "vacancies", "candidate_rows", "vacancy_rows",
                  "timings", "stats", "error", "created_at", "started_at", "finished_at", "duration"]
        read_only_fields = fields
