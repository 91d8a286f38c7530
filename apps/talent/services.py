"""Writes for student profiles. Every change that affects matching schedules a recompute on commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.matching.triggers import profile_changed
from apps.skills.models import Skill

from .models import ProfileLanguage, ProfileSkill, SkillSourceKind, StudentProfile

PROFILE_FIELDS = (
    "school", "major", "graduation_year", "city", "bio", "pref_locations", "remote_ok", "pref_job_types",
    "pref_markets", "visibility", "matching_opt_in", "contact_visible_to_firms",
)


def profile_ensure(*, user) -> StudentProfile:
    """The user's profile, created empty on first use."""
    profile, _ = StudentProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, profile: StudentProfile, data: dict, full_name: str | None = None,
                   phone: str | None = None, consent_source: str = "profile") -> StudentProfile:
    """Change profile fields (only those named in ``PROFILE_FIELDS``) and the user's name/phone.

    A change of a consent switch (matching, contact sharing) is recorded as a ``privacy.ConsentRecord``."""
    from apps.privacy.services import PROFILE_CONSENTS, record_profile_consents, snapshot

    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({field: "This field cannot be changed here." for field in unknown})
    before = snapshot(profile, PROFILE_CONSENTS)
    for field, value in data.items():
        setattr(profile, field, value)
    _validate_choices(profile)
    profile.full_clean(exclude=["user", "university"])
    profile.save()
    record_profile_consents(profile=profile, before=before, source=consent_source)
    user_fields = []
    if full_name is not None:
        profile.user.full_name = full_name.strip()
        user_fields.append("full_name")
    if phone is not None:
        profile.user.phone = phone.strip()
        user_fields.append("phone")
    if user_fields:
        profile.user.full_clean(exclude=["password"])
        profile.user.save(update_fields=user_fields)
    profile_changed(profile.pk)
    return profile


def _validate_choices(profile: StudentProfile) -> None:
    from apps.skills.models import Location, Market

    from .models import JobType

    errors = {}
    for field, allowed in (
        ("pref_locations", set(Location.objects.values_list("code", flat=True))),
        ("pref_markets", set(Market.objects.values_list("code", flat=True))),
        ("pref_job_types", set(JobType.values)),
    ):
        value = getattr(profile, field) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors[field] = "Give a list of codes."
            continue
        bad = [v for v in value if v not in allowed]
        if bad:
            errors[field] = f"Unknown code(s): {', '.join(bad)}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def profile_set_skill(*, profile: StudentProfile, skill: Skill, level: int,
                      source: str = SkillSourceKind.SELF, evidence: str = "") -> ProfileSkill:
    """Add or change one skill. A self-declared edit never overwrites a course- or firm-confirmed level
    with a lower one silently: it is refused with a message."""
    if skill.is_language:
        raise ValidationError({"skill": "Languages are kept with a CEFR level: add it under languages."})
    if not 1 <= int(level) <= 5:
        raise ValidationError({"level": "Level must be from 1 to 5."})
    existing = ProfileSkill.objects.select_for_update().filter(profile=profile, skill=skill).first()
    if existing and existing.source != SkillSourceKind.SELF and source == SkillSourceKind.SELF \
            and int(level) < existing.level:
        raise ValidationError(
            {"level": f"This level was {existing.get_source_display().lower()}; it cannot be lowered here."}
        )
    row, _ = ProfileSkill.objects.update_or_create(
        profile=profile, skill=skill, defaults={"level": int(level), "source": source, "evidence": evidence}
    )
    profile.save(update_fields=["updated_at"])
    profile_changed(profile.pk)
    return row


@transaction.atomic
def profile_remove_skill(*, profile: StudentProfile, skill: Skill) -> None:
    ProfileSkill.objects.filter(profile=profile, skill=skill).delete()
    profile.save(update_fields=["updated_at"])
    profile_changed(profile.pk)


@transaction.atomic
def profile_set_language(*, profile: StudentProfile, language: Skill, cefr: int,
                         source: str = SkillSourceKind.SELF) -> ProfileLanguage:
    if not language.is_language:
        raise ValidationError({"language": f"{language.label} is not a language."})
    if not 1 <= int(cefr) <= 6:
        raise ValidationError({"cefr": "CEFR level must be A1-C2."})
    row, _ = ProfileLanguage.objects.update_or_create(
        profile=profile, language=language, defaults={"cefr": int(cefr), "source": source}
    )
    profile.save(update_fields=["updated_at"])
    profile_changed(profile.pk)
    return row


@transaction.atomic
def profile_remove_language(*, profile: StudentProfile, language: Skill) -> None:
    ProfileLanguage.objects.filter(profile=profile, language=language).delete()
    profile.save(update_fields=["updated_at"])
    profile_changed(profile.pk)


@transaction.atomic
def profile_replace_skills(*, profile: StudentProfile, skills: Iterable[tuple[Skill, int]],
                           languages: Iterable[tuple[Skill, int]] = ()) -> StudentProfile:
    """Replace all self-declared skills and languages at once (the API's PUT); confirmed ones stay."""
    skills, languages = list(skills), list(languages)
    seen = set()
    for skill, _level in skills:
        if skill.pk in seen:
            raise ValidationError({"skills": f"{skill.code} is listed twice."})
        seen.add(skill.pk)
    ProfileSkill.objects.filter(profile=profile, source=SkillSourceKind.SELF).exclude(
        skill__in=[s for s, _ in skills]).delete()
    for skill, level in skills:
        profile_set_skill(profile=profile, skill=skill, level=level)
    ProfileLanguage.objects.filter(profile=profile, source=SkillSourceKind.SELF).exclude(
        language__in=[lang for lang, _ in languages]).delete()
    for language, cefr in languages:
        profile_set_language(profile=profile, language=language, cefr=cefr)
    profile_changed(profile.pk)
    return profile
