"""Forms of the vacancy pages. They validate with translated messages; ``apps.jobs.services`` writes."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalize
from apps.skills.levels import CEFR, SkillLevel
from apps.skills.models import Location, Market, Skill, SkillCategory
from apps.skills.selectors import SkillResolutionError, skill_resolve
from apps.talent.models import JobType

from .models import VacancyStatus

MAX_SKILL_ROWS = 40
MAX_LANGUAGE_ROWS = 12


def _location_choices():
    return [("", _("Any / not fixed"))] + [(loc.code, loc.label) for loc in Location.objects.all()]


class VacancyForm(forms.Form):
    """The vacancy's own fields (requirements are the two formsets below)."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tasks, products, platforms and markets. We can suggest skills from it."))
    job_type = forms.ChoiceField(label=_("Job type"), choices=JobType.choices, initial=JobType.FULL_TIME)
    location = forms.ChoiceField(label=_("Location"), required=False)
    remote = forms.BooleanField(label=_("Remote work possible"), required=False)
    openings = forms.IntegerField(label=_("Openings"), min_value=1, max_value=999, initial=1)
    salary_min = forms.IntegerField(label=_("Monthly salary from (CNY)"), min_value=0, max_value=1_000_000,
                                    required=False)
    salary_max = forms.IntegerField(label=_("Monthly salary to (CNY)"), min_value=0, max_value=1_000_000,
                                    required=False)
    markets = forms.MultipleChoiceField(label=_("Target markets"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateField(label=_("Application deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    external_id = forms.CharField(label=_("Your reference"), max_length=100, required=False,
                                  help_text=_("Optional: your own code for this vacancy, unique within your firm."))

    def __init__(self, *args, firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = _location_choices()
        self.fields["markets"].choices = [(m.code, m.label) for m in Market.objects.all()]
        if firms is not None and len(firms) > 1:
            self.fields["firm"] = forms.TypedChoiceField(
                label=_("Firm"), choices=[(f.pk, f.name) for f in firms], coerce=int)
            self.order_fields(["firm"])

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and high < low:
            self.add_error("salary_max", _("The upper salary is below the lower one."))
        cleaned["external_id"] = (cleaned.get("external_id") or "").strip() or None
        return cleaned

    def vacancy_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("firm", None)
        return data


class SkillRowForm(forms.Form):
    """One required or optional skill; a row with no skill name is ignored."""

    name = forms.CharField(label=_("Skill"), max_length=200, required=False)
    code = forms.CharField(required=False, widget=forms.HiddenInput)
    min_level = forms.TypedChoiceField(label=_("Minimum level"), choices=SkillLevel.choices, coerce=int,
                                       initial=SkillLevel.WORKING)
    weight = forms.FloatField(label=_("Weight"), min_value=0.1, max_value=10, initial=1.0,
                              widget=forms.NumberInput(attrs={"step": "0.1"}))
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        name, code = (cleaned.get("name") or "").strip(), (cleaned.get("code") or "").strip()
        cleaned["skill"] = None
        if not name and not code:
            return cleaned
        if code:
            skill = Skill.objects.active().filter(code=code, is_language=False).first()
            if skill:
                cleaned["skill"] = skill
                return cleaned
        try:
            cleaned["skill"] = skill_resolve(name, languages_only=False)
        except SkillResolutionError as error:
            hint = ", ".join(error.suggestions)
            several = Skill.objects.active().filter(is_language=False, aliases__normalized=normalize(name))
            if several.values("pk").distinct().count() > 1:
                message = _("“%(name)s” names more than one skill; pick one from the list.") % {"name": name}
            elif hint:
                message = _("Unknown skill “%(name)s”. Did you mean: %(hint)s?") % {"name": name, "hint": hint}
            else:
                message = _("Unknown skill “%(name)s”.") % {"name": name}
            if Skill.objects.active().languages().filter(aliases__normalized=normalize(name)).exists():
                message = _("“%(name)s” is a language: add it under languages.") % {"name": name}
            self.add_error("name", message)
        return cleaned


class BaseSkillRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[int, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if self.can_delete and self._should_delete_form(form):
                continue
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill.pk in seen:
                raise forms.ValidationError(
                    _("%(skill)s is listed twice (rows %(first)s and %(second)s).")
                    % {"skill": skill.label, "first": seen[skill.pk], "second": number}
                )
            seen[skill.pk] = number

    def requirements(self):
        from .services import SkillRequirement

        return [
            SkillRequirement(skill=form.cleaned_data["skill"], min_level=form.cleaned_data["min_level"],
                             weight=form.cleaned_data["weight"], required=form.cleaned_data["required"])
            for form in self.forms
            if form.cleaned_data.get("skill") and not (self.can_delete and self._should_delete_form(form))
        ]


SkillRowFormSet = formset_factory(SkillRowForm, formset=BaseSkillRowFormSet, extra=1, can_delete=True,
                                  max_num=MAX_SKILL_ROWS, validate_max=True)


class LanguageRowForm(forms.Form):
    """One language at a minimum CEFR level; a row without a language is ignored."""

    language = forms.ModelChoiceField(label=_("Language"), queryset=Skill.objects.none(), required=False,
                                      empty_label="—")
    min_cefr = forms.TypedChoiceField(label=_("Minimum level (CEFR)"), choices=CEFR.choices, coerce=int,
                                      initial=CEFR.B1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = Skill.objects.active().languages().order_by("category__order", "code")
        self.fields["language"].label_from_instance = lambda skill: skill.label


class BaseLanguageRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[int, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if self.can_delete and self._should_delete_form(form):
                continue
            language = form.cleaned_data.get("language")
            if language is None:
                continue
            if language.pk in seen:
                raise forms.ValidationError(
                    _("%(language)s is listed twice (rows %(first)s and %(second)s).")
                    % {"language": language.label, "first": seen[language.pk], "second": number}
                )
            seen[language.pk] = number

    def requirements(self):
        from .services import LanguageRequirement

        return [
            LanguageRequirement(language=form.cleaned_data["language"], min_cefr=form.cleaned_data["min_cefr"])
            for form in self.forms
            if form.cleaned_data.get("language") and not (self.can_delete and self._should_delete_form(form))
        ]


LanguageRowFormSet = formset_factory(LanguageRowForm, formset=BaseLanguageRowFormSet, extra=1, can_delete=True,
                                     max_num=MAX_LANGUAGE_ROWS, validate_max=True)


class VacancyFilterForm(forms.Form):
    """The browsing filters (GET). Invalid values are reported and ignored, never an error page."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    skill = forms.CharField(label=_("Skill"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Skill area"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)
    job_type = forms.ChoiceField(label=_("Job type"), required=False)
    market = forms.ChoiceField(label=_("Market"), required=False)
    firm = forms.TypedChoiceField(label=_("Firm"), required=False, coerce=int, empty_value=None)
    remote = forms.BooleanField(label=_("Remote possible"), required=False)

    def __init__(self, *args, firms=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["category"].choices = anything + [(c.code, c.label) for c in SkillCategory.objects.all()]
        self.fields["location"].choices = anything + [(loc.code, loc.label) for loc in Location.objects.all()]
        self.fields["job_type"].choices = anything + list(JobType.choices)
        self.fields["market"].choices = anything + [(m.code, m.label) for m in Market.objects.all()]
        self.fields["firm"].choices = anything + list(firms)
        self.fields["skill"].widget.attrs["placeholder"] = _("any name, e.g. 速卖通")
        self.fields["q"].widget.attrs["placeholder"] = _("title, description or firm")
        self.resolved_skill = None

    def clean_skill(self):
        text = (self.cleaned_data.get("skill") or "").strip()
        if not text:
            return ""
        try:
            self.resolved_skill = skill_resolve(text)
        except SkillResolutionError as error:
            hint = ", ".join(error.suggestions)
            if hint:
                raise forms.ValidationError(
                    _("Unknown skill “%(name)s”. Did you mean: %(hint)s?") % {"name": text, "hint": hint}
                ) from None
            raise forms.ValidationError(_("Unknown skill “%(name)s”.") % {"name": text}) from None
        return text


STATUS_FILTERS = [("", _("All")), *VacancyStatus.choices]
