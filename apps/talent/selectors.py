"""Reads for student profiles, always scoped by ``StudentProfile.objects.for_user``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import ProfileLanguage, ProfileSkill, StudentProfile


def profile_of_student(user) -> StudentProfile | None:
    """The signed-in student's own profile, with what the profile pages show loaded in a few queries."""
    return (
        StudentProfile.objects.for_user(user)
        .select_related("user", "university")
        .filter(user=user)
        .first()
    )


def profile_skills(profile: StudentProfile) -> QuerySet[ProfileSkill]:
    return profile.skills.select_related("skill", "skill__category").order_by("-level", "skill__code")


def profile_languages(profile: StudentProfile) -> QuerySet[ProfileLanguage]:
    return profile.languages.select_related("language").order_by("-cefr", "language__code")


def students_for_user(user, *, query: str = "") -> QuerySet[StudentProfile]:
    """Profiles a university (its own students) or an admin may list, with a skill count."""
    profiles = StudentProfile.objects.for_user(user).select_related("user").annotate(skill_count=Count("skills"))
    query = query.strip()
    if query:
        profiles = profiles.filter(
            Q(user__full_name__icontains=query) | Q(major__icontains=query) | Q(school__icontains=query)
            | Q(external_id__iexact=query)
        )
    return profiles.order_by("user__full_name", "pk")
