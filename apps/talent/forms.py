"""Forms of the student profile pages; they validate and translate, the services write."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalize
from apps.skills.levels import CEFR, SkillLevel
from apps.skills.models import Location, Market, Skill
from apps.skills.selectors import SkillResolutionError, skill_resolve, skill_search

from .models import JobType, Visibility


def location_choices():
    return [(loc.code, loc.label) for loc in Location.objects.all()]


def market_choices():
    return [(market.code, market.label) for market in Market.objects.all()]


class ProfileForm(forms.Form):
    """Personal details and job preferences."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            help_text=_("Hidden from firms unless you choose to show your contact details."))
    school = forms.CharField(label=_("School"), max_length=200, required=False)
    major = forms.CharField(label=_("Major"), max_length=200, required=False)
    graduation_year = forms.IntegerField(label=_("Graduation year"), required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    bio = forms.CharField(label=_("Short bio"), max_length=2000, required=False,
                          widget=forms.Textarea(attrs={"rows": 5}),
                          help_text=_("What you have done and want to do. We can suggest skills from it."))
    pref_locations = forms.MultipleChoiceField(label=_("Preferred locations"), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    pref_job_types = forms.MultipleChoiceField(label=_("Preferred job types"), required=False,
                                               choices=JobType.choices, widget=forms.CheckboxSelectMultiple)
    pref_markets = forms.MultipleChoiceField(label=_("Markets you are interested in"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    remote_ok = forms.BooleanField(label=_("Open to remote work"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pref_locations"].choices = location_choices()
        self.fields["pref_markets"].choices = market_choices()

    def clean_graduation_year(self):
        year = self.cleaned_data.get("graduation_year")
        this_year = timezone.localdate().year
        if year is not None and not 1950 <= year <= this_year + 8:
            raise forms.ValidationError(
                _("Give a year between %(low)s and %(high)s.") % {"low": 1950, "high": this_year + 8}
            )
        return year

    def profile_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("full_name")
        data.pop("phone")
        return data


class PrivacyForm(forms.Form):
    """Who sees the profile, whether it is matched, and whether firms see contact details."""

    visibility = forms.ChoiceField(label=_("Who can see my profile"), choices=Visibility.choices,
                                   widget=forms.RadioSelect)
    matching_opt_in = forms.BooleanField(label=_("Include me in matching"), required=False)
    contact_visible_to_firms = forms.BooleanField(label=_("Show my contact details to firms"), required=False)


class SkillPickMixin:
    """Resolve a skill typed by name (any label or alias, either language, any width) or picked by code."""

    languages_only = False

    def resolve_skill(self, name: str, code: str) -> Skill | None:
        self.suggestions: list[Skill] = []
        base = Skill.objects.active().filter(is_language=self.languages_only)
        if code:
            skill = base.filter(code=code).first()
            if skill:
                return skill
        name = (name or "").strip()
        if not name:
            self.add_error("name", _("Type the name of a skill."))
            return None
        try:
            return skill_resolve(name, languages_only=self.languages_only)
        except SkillResolutionError as error:
            self.suggestions = _suggested_skills(name, error, languages_only=self.languages_only)
            if not self.languages_only and _is_language(name):
                self.suggestions = []
                self.add_error("name", _("“%(name)s” is a language: add it under languages with a CEFR level.")
                               % {"name": name})
                return None
            if _names_several(name, languages_only=self.languages_only):
                message = _("“%(name)s” names more than one skill; pick one below.")
            elif self.suggestions:
                message = _("We do not know a skill called “%(name)s”. Did you mean one of these?")
            else:
                message = _("We do not know a skill called “%(name)s”. Try another name, in Chinese or English.")
            self.add_error("name", message % {"name": name})
            return None


def _names_several(name: str, *, languages_only: bool) -> bool:
    """Whether ``name`` is a label or alias of more than one active skill (the resolver refuses to guess)."""
    skills = Skill.objects.active().filter(is_language=languages_only, aliases__normalized=normalize(name))
    return skills.values("pk").distinct().count() > 1


def _is_language(name: str) -> bool:
    try:
        skill_resolve(name, languages_only=True)
    except SkillResolutionError:
        return False
    return True


def _suggested_skills(name: str, error: SkillResolutionError, *, languages_only: bool) -> list[Skill]:
    codes = [m.group(1) for m in (re.search(r"\(([^()]+)\)$", s) for s in error.suggestions) if m]
    found = list(Skill.objects.active().filter(code__in=codes, is_language=languages_only))
    for skill in skill_search(name, limit=6, languages_only=languages_only):
        if skill not in found:
            found.append(skill)
    return found[:6]


class AddSkillForm(SkillPickMixin, forms.Form):
    """Add one skill at a level."""

    name = forms.CharField(label=_("Skill"), max_length=200, required=False)
    code = forms.CharField(required=False, widget=forms.HiddenInput)
    # Set by the "did you mean" buttons, which win over the typed name.
    pick = forms.CharField(required=False, widget=forms.HiddenInput)
    level = forms.TypedChoiceField(label=_("Level"), choices=SkillLevel.choices, coerce=int,
                                   initial=SkillLevel.WORKING)

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("pick") or cleaned.get("code", "")
        cleaned["skill"] = self.resolve_skill(cleaned.get("name", ""), code)
        return cleaned


class SkillLevelForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), choices=SkillLevel.choices, coerce=int)


class AddLanguageForm(forms.Form):
    """Add or change a language at a CEFR level."""

    language = forms.ModelChoiceField(label=_("Language"), queryset=Skill.objects.none(),
                                      empty_label=_("Choose a language"))
    cefr = forms.TypedChoiceField(label=_("CEFR level"), choices=CEFR.choices, coerce=int, initial=CEFR.B1,
                                  help_text=_("A1–A2 beginner · B1–B2 independent · C1–C2 proficient. "
                                              "CET-4 ≈ B1, CET-6 ≈ B2, TEM-8 ≈ C1."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Skill.objects.active().languages().order_by("category__order", "code")
        self.fields["language"].label_from_instance = lambda skill: skill.label


class AddSuggestedForm(forms.Form):
    """Add several suggested skills at once, all at one level."""

    skills = forms.ModelMultipleChoiceField(queryset=Skill.objects.none(), to_field_name="code",
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Tick at least one skill.")})
    level = forms.TypedChoiceField(label=_("Level"), choices=SkillLevel.choices, coerce=int,
                                   initial=SkillLevel.BASIC)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.active().filter(is_language=False)
