"""Taxonomy endpoints: search and look up skills, resolve names, suggest skills from text, reference lists."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import ScopedQuerysetMixin
from apps.skills.models import Location, Market, Skill, SkillAlias, SkillCategory
from apps.skills.selectors import SkillResolutionError, skill_resolve, skill_search, skills_suggest_from_text

from . import serializers

_ALIASES = Prefetch("aliases", queryset=SkillAlias.objects.order_by("pk"))
_KIND = {"any": None, "skill": False, "language": True}
# Codes contain dots and colons (``platform.amazon``, ``esco:…``); control characters never (PostgreSQL refuses NUL).
CODE_REGEX = r"[^/\x00-\x1f]+"


@extend_schema_view(
    list=extend_schema(summary="Search skills", parameters=[serializers.SkillSearchParamsSerializer]),
    retrieve=extend_schema(summary="One skill by code"),
)
class SkillViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The skills taxonomy (public). Codes contain dots and colons (``platform.amazon``, ``esco:…``)."""

    queryset = Skill.objects.filter(is_active=True).select_related("category").prefetch_related(_ALIASES)
    serializer_class = serializers.SkillSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX

    def get_base_queryset(self):
        if self.action != "list":
            return super().get_base_queryset()
        params = serializers.SkillSearchParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return skill_search(params.validated_data.get("q", ""), limit=0,
                            category=params.validated_data.get("category") or None,
                            languages_only=params.validated_data["language"]).prefetch_related(_ALIASES)

    @extend_schema(summary="Resolve names to skills", request=serializers.SkillResolveRequestSerializer,
                   responses=serializers.SkillResolveResponseSerializer)
    @action(detail=False, methods=["post"])
    def resolve(self, request):
        """Map names people write (codes, labels, aliases, either language) to skills; list the unknown ones
        with suggestions. Ambiguous names are listed as unknown with the codes they could mean."""
        body = serializers.SkillResolveRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        languages_only = _KIND[body.validated_data["kind"]]
        resolved, unknown = [], []
        for name in body.validated_data["names"]:
            try:
                resolved.append({"name": name, "skill": skill_resolve(name, languages_only=languages_only)})
            except SkillResolutionError as error:
                unknown.append({"name": name, "message": str(error), "suggestions": error.suggestions})
        if resolved:  # one query for every resolved skill's aliases instead of one per skill
            skills = {s.pk: s for s in self.get_queryset().filter(pk__in=[r["skill"].pk for r in resolved])}
            resolved = [{"name": r["name"], "skill": skills[r["skill"].pk]} for r in resolved]
        return Response(serializers.SkillResolveResponseSerializer({"resolved": resolved, "unknown": unknown}).data)

    @extend_schema(summary="Suggest skills from free text", request=serializers.SkillSuggestRequestSerializer,
                   responses=serializers.SkillSuggestResponseSerializer)
    @action(detail=False, methods=["post"])
    def suggest(self, request):
        """Skills of the taxonomy named in a text (a vacancy description, a CV), most mentioned first."""
        body = serializers.SkillSuggestRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        suggestions = skills_suggest_from_text(body.validated_data["text"], limit=body.validated_data["limit"])
        return Response(serializers.SkillSuggestResponseSerializer({"suggestions": suggestions}).data)



class _ReferenceViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A short public reference list, unpaginated, looked up by code."""

    scope_public = True  # reference data: the same for every caller
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX


@extend_schema_view(list=extend_schema(summary="Skill categories"), retrieve=extend_schema(summary="One category"))
class SkillCategoryViewSet(_ReferenceViewSet):
    queryset = SkillCategory.objects.all()
    serializer_class = serializers.SkillCategorySerializer


@extend_schema_view(list=extend_schema(summary="Target markets"), retrieve=extend_schema(summary="One market"))
class MarketViewSet(_ReferenceViewSet):
    queryset = Market.objects.all()
    serializer_class = serializers.MarketSerializer


@extend_schema_view(list=extend_schema(summary="Work locations"), retrieve=extend_schema(summary="One location"))
class LocationViewSet(_ReferenceViewSet):
    queryset = Location.objects.all()
    serializer_class = serializers.LocationSerializer
