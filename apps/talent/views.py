"""Student profile pages: details, preferences, visibility and consent, the skill and language editor.

Every write goes through ``apps.talent.services``; what a user may read comes from ``for_user``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType
from apps.skills.models import Location, Market, Skill
from apps.skills.selectors import skills_suggest_from_text
from apps.web.permissions import role_required

from . import selectors, services
from .forms import AddLanguageForm, AddSkillForm, AddSuggestedForm, PrivacyForm, ProfileForm, SkillLevelForm
from .models import ProfileSkill, SkillSourceKind

student_required = role_required(AccountType.STUDENT)


def _profile(request):
    return selectors.profile_of_student(request.user) or services.profile_ensure(user=request.user)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@student_required
def profile(request):
    """The student's profile as a whole, with links to each editor."""
    prof = _profile(request)
    locations = {loc.code: loc.label for loc in Location.objects.filter(code__in=prof.pref_locations or [])}
    markets = {m.code: m.label for m in Market.objects.filter(code__in=prof.pref_markets or [])}
    return render(request, "talent/profile.html", {
        "profile": prof,
        "skills": selectors.profile_skills(prof),
        "languages": selectors.profile_languages(prof),
        "pref_locations": [locations.get(code, code) for code in prof.pref_locations or []],
        "pref_markets": [markets.get(code, code) for code in prof.pref_markets or []],
    })


@student_required
def edit(request):
    """Edit personal details and job preferences."""
    prof = _profile(request)
    initial = {field: getattr(prof, field) for field in (
        "school", "major", "graduation_year", "city", "bio", "pref_locations", "pref_job_types", "pref_markets",
        "remote_ok")}
    initial.update(full_name=request.user.full_name, phone=request.user.phone)
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=prof, data=form.profile_data(),
                                    full_name=form.cleaned_data["full_name"], phone=form.cleaned_data["phone"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("talent:profile")
    return render(request, "talent/edit.html", {"form": form, "profile": prof})


@student_required
def privacy(request):
    """Visibility and consent, each explained in plain words."""
    prof = _profile(request)
    form = PrivacyForm(request.POST or None, initial={
        "visibility": prof.visibility, "matching_opt_in": prof.matching_opt_in,
        "contact_visible_to_firms": prof.contact_visible_to_firms})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=prof, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your visibility and consent settings are saved."))
            return redirect("talent:profile")
    return render(request, "talent/privacy.html", {"form": form, "profile": prof})


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _skills_page(request, prof, *, add_form=None, language_form=None, suggestions=None, suggest_form=None,
                 status=200):
    suggested_languages = []
    if suggestions is not None:
        suggested_languages = [s for s in suggestions if s.is_language]
        suggestions = [s for s in suggestions if not s.is_language]
    skills = list(selectors.profile_skills(prof))
    for row in skills:
        row.level_form = SkillLevelForm(initial={"level": row.level}, prefix=f"s{row.skill_id}")
    return render(request, "talent/skills.html", {
        "profile": prof,
        "skills": skills,
        "languages": selectors.profile_languages(prof),
        "add_form": add_form or AddSkillForm(),
        "language_form": language_form or AddLanguageForm(),
        "suggestions": suggestions,
        "suggested_languages": suggested_languages,
        "suggest_form": suggest_form or AddSuggestedForm(initial={"skills": [s.code for s in suggestions or []]}),
        "sources": SkillSourceKind,
    }, status=status)


@student_required
def skills(request):
    """The skill and language editor."""
    return _skills_page(request, _profile(request))


@student_required
@require_POST
def skill_add(request):
    """Add a skill typed by any name (resolved on the server) or picked from the search list."""
    prof = _profile(request)
    form = AddSkillForm(request.POST)
    if form.is_valid() and form.cleaned_data["skill"] is not None:
        skill = form.cleaned_data["skill"]
        existing = ProfileSkill.objects.filter(profile=prof, skill=skill).first()
        if existing and existing.source != SkillSourceKind.SELF and form.cleaned_data["level"] < existing.level:
            form.add_error("level", _("This level was confirmed (%(source)s); it cannot be lowered here.")
                           % {"source": existing.get_source_display()})
        elif existing and form.cleaned_data["level"] == existing.level:
            messages.info(request, _("%(skill)s is already in your profile at this level.") % {"skill": skill.label})
            return redirect("talent:skills")
        else:
            try:
                services.profile_set_skill(profile=prof, skill=skill, level=form.cleaned_data["level"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if existing:
                    messages.success(request, _("%(skill)s: level changed.") % {"skill": skill.label})
                else:
                    messages.success(request, _("%(skill)s added.") % {"skill": skill.label})
                return redirect("talent:skills")
    return _skills_page(request, prof, add_form=form)


@student_required
@require_POST
def skill_level(request, skill_id: int):
    """Change the level of a skill the student holds."""
    prof = _profile(request)
    row = get_object_or_404(ProfileSkill.objects.select_related("skill"), profile=prof, skill_id=skill_id)
    form = SkillLevelForm(request.POST, prefix=f"s{skill_id}")
    if not form.is_valid():
        messages.error(request, _("Choose a level from 1 to 5."))
    elif row.source != SkillSourceKind.SELF and form.cleaned_data["level"] < row.level:
        messages.error(request, _("%(skill)s: this level was confirmed (%(source)s); it cannot be lowered here.")
                       % {"skill": row.skill.label, "source": row.get_source_display()})
    elif form.cleaned_data["level"] != row.level:
        # A student's own change makes the level self-declared; the service keeps confirmed levels from dropping.
        try:
            services.profile_set_skill(profile=prof, skill=row.skill, level=form.cleaned_data["level"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(skill)s: level changed.") % {"skill": row.skill.label})
    return redirect("talent:skills")


@student_required
@require_POST
def skill_remove(request, skill_id: int):
    prof = _profile(request)
    row = get_object_or_404(ProfileSkill.objects.select_related("skill"), profile=prof, skill_id=skill_id)
    services.profile_remove_skill(profile=prof, skill=row.skill)
    messages.success(request, _("%(skill)s removed.") % {"skill": row.skill.label})
    return redirect("talent:skills")


@student_required
def skill_suggest(request):
    """Skills the bio mentions that the profile does not list yet."""
    prof = _profile(request)
    if not prof.bio.strip():
        messages.info(request, _("Write a short bio first; we look for skills in it."))
        return redirect("talent:edit")
    held = set(prof.skills.values_list("skill_id", flat=True)) | set(
        prof.languages.values_list("language_id", flat=True))
    found = [s.skill_id for s in skills_suggest_from_text(prof.bio) if s.skill_id not in held]
    by_id = Skill.objects.in_bulk(found)
    suggestions = [by_id[pk] for pk in found if pk in by_id]
    if not suggestions:
        messages.info(request, _("We found no new skills in your bio. Add them by name below."))
    return _skills_page(request, prof, suggestions=suggestions)


@student_required
@require_POST
def skill_add_many(request):
    prof = _profile(request)
    form = AddSuggestedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values()))))
        return redirect("talent:skills")
    added = 0
    for skill in form.cleaned_data["skills"]:
        if ProfileSkill.objects.filter(profile=prof, skill=skill).exists():
            continue
        services.profile_set_skill(profile=prof, skill=skill, level=form.cleaned_data["level"])
        added += 1
    messages.success(request, _("Skills added: %(count)s.") % {"count": added})
    return redirect("talent:skills")


@student_required
@require_POST
def language_add(request):
    prof = _profile(request)
    form = AddLanguageForm(request.POST)
    if form.is_valid():
        try:
            services.profile_set_language(profile=prof, language=form.cleaned_data["language"],
                                          cefr=form.cleaned_data["cefr"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("%(language)s saved.") % {"language": form.cleaned_data["language"].label})
            return redirect("talent:skills")
    return _skills_page(request, prof, language_form=form)


@student_required
@require_POST
def language_remove(request, language_id: int):
    prof = _profile(request)
    row = get_object_or_404(prof.languages.select_related("language"), language_id=language_id)
    services.profile_remove_language(profile=prof, language=row.language)
    messages.success(request, _("%(language)s removed.") % {"language": row.language.label})
    return redirect("talent:skills")


@role_required(AccountType.UNIVERSITY, AccountType.ADMIN)
def students(request):
    """A university's own students (admins see all), with their number of skills."""
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.students_for_user(request.user, query=query), 50).get_page(request.GET.get("page"))
    return render(request, "talent/students.html", {"page_obj": page, "query": query})
