"""The student's own profile: details and preferences, self-declared skills and languages.

Only student/trainee accounts have a profile: other accounts get 403 with a message saying so.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.core.api import ScopedQuerysetMixin
from apps.core.permissions import IsStudent
from apps.skills.models import Skill
from apps.talent import services
from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile

from . import serializers


class _OwnProfileMixin(ScopedQuerysetMixin):
    permission_classes = [permissions.IsAuthenticated, IsStudent]
    queryset = StudentProfile.objects.select_related("user", "university").prefetch_related(
        Prefetch("skills", queryset=ProfileSkill.objects.select_related("skill")),
        Prefetch("languages", queryset=ProfileLanguage.objects.select_related("language")),
    )

    def get_object(self) -> StudentProfile:
        """The caller's profile (created empty on first use), read through ``StudentProfile.for_user``."""
        profile = self.get_queryset().filter(user=self.request.user).first()
        if profile is None:
            services.profile_ensure(user=self.request.user)
            profile = self.get_queryset().get(user=self.request.user)
        return profile

    def _skills_answer(self) -> Response:
        return Response(serializers.ProfileSkillsSerializer(self.get_object()).data)


class ProfileView(_OwnProfileMixin, generics.GenericAPIView):
    """Read and change the caller's profile."""

    serializer_class = serializers.ProfileSerializer

    @extend_schema(summary="My profile")
    def get(self, request):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="Change my profile (details, preferences, consent settings)")
    def patch(self, request):
        profile = self.get_object()
        body = self.get_serializer(profile, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user_data = data.pop("user", {})
        services.profile_update(profile=profile, data=data, full_name=user_data.get("full_name"),
                                phone=user_data.get("phone"), consent_source="api")
        return Response(self.get_serializer(self.get_object()).data)


class ProfileSkillsView(_OwnProfileMixin, generics.GenericAPIView):
    """Replace all self-declared skills and languages, or add/change one."""

    serializer_class = serializers.ProfileSkillsSerializer

    @extend_schema(summary="Replace my self-declared skills and languages",
                   request=serializers.ProfileSkillsReplaceSerializer,
                   responses={200: serializers.ProfileSkillsSerializer})
    def put(self, request):
        body = serializers.ProfileSkillsReplaceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.profile_replace_skills(
            profile=self.get_object(),
            skills=[(item["skill"], item["level"]) for item in body.validated_data["skills"]],
            languages=[(item["language"], item["cefr"]) for item in body.validated_data["languages"]],
        )
        return self._skills_answer()

    @extend_schema(summary="Add or change one skill or language", request=serializers.ProfileSkillSetSerializer,
                   responses={200: serializers.ProfileSkillsSerializer})
    def post(self, request):
        body = serializers.ProfileSkillSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = body.validated_data
        if "skill" in item:
            services.profile_set_skill(profile=self.get_object(), skill=item["skill"], level=item["level"])
        else:
            services.profile_set_language(profile=self.get_object(), language=item["language"], cefr=item["cefr"])
        return self._skills_answer()


class ProfileSkillDetailView(_OwnProfileMixin, generics.GenericAPIView):
    """Remove one skill or language from the caller's profile."""

    serializer_class = serializers.ProfileSkillsSerializer

    @extend_schema(summary="Remove a skill or language from my profile",
                   parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="The skill's code.")],
                   responses={204: OpenApiResponse(description="Removed.")})
    def delete(self, request, code: str):
        skill = get_object_or_404(Skill.objects.for_user(request.user), code=code)
        profile = self.get_object()
        if skill.is_language:
            if not profile.languages.filter(language=skill).exists():
                raise NotFound(_("%(code)s is not on your profile.") % {"code": code})
            services.profile_remove_language(profile=profile, language=skill)
        else:
            if not profile.skills.filter(skill=skill).exists():
                raise NotFound(_("%(code)s is not on your profile.") % {"code": code})
            services.profile_remove_skill(profile=profile, skill=skill)
        return Response(status=status.HTTP_204_NO_CONTENT)
