"""Vacancy pages: public browsing and detail; a firm's own list, editor, publish, close and delete.

Reads go through ``apps.jobs.selectors`` (which start from ``for_user``/``editable_by``); every write
goes through ``apps.jobs.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType
from apps.skills.models import Location, Market, Skill
from apps.skills.selectors import SkillResolutionError, skill_resolve, skills_suggest_from_text
from apps.web.permissions import role_required

from . import selectors, services
from .forms import STATUS_FILTERS, LanguageRowFormSet, SkillRowFormSet, VacancyFilterForm, VacancyForm
from .models import Vacancy, VacancyStatus

firm_required = role_required(AccountType.FIRM)
PAGE_SIZE = 20


def _labels(model) -> dict[str, str]:
    return {item.code: item.label for item in model.objects.all()}


def vacancy_list(request):
    """Open vacancies with filters and pagination."""
    firms = selectors.firm_filter_choices(request.user)
    form = VacancyFilterForm(request.GET or None, firms=firms)
    filters = selectors.VacancyFilters()
    if form.is_bound:
        form.is_valid()  # invalid filters are shown next to their field and ignored
        data = form.cleaned_data
        filters = selectors.VacancyFilters(
            text=data.get("q", "").strip(),
            skill_id=form.resolved_skill.pk if form.resolved_skill else None,
            category=data.get("category", ""),
            location=data.get("location", ""),
            job_type=data.get("job_type", ""),
            market=data.get("market", ""),
            remote=bool(data.get("remote")),
            firm_id=data.get("firm"),
        )
    page = Paginator(selectors.vacancy_browse(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {
        "form": form, "page_obj": page, "locations": _labels(Location), "markets": _labels(Market),
        "filtered": filters != selectors.VacancyFilters(), "skill": form.resolved_skill,
    })


def vacancy_detail(request, pk: int):
    """One vacancy: skills with levels, languages, firm, salary, deadline."""
    vacancy = get_object_or_404(selectors.vacancy_detail(request.user, pk))
    can_edit = Vacancy.objects.editable_by(request.user).filter(pk=pk).exists()
    skills = list(vacancy.skills.all())
    return render(request, "jobs/detail.html", {
        "vacancy": vacancy,
        "required_skills": [row for row in skills if row.required],
        "optional_skills": [row for row in skills if not row.required],
        "languages": vacancy.languages.all(),
        "location_label": _labels(Location).get(vacancy.location, vacancy.location),
        "market_labels": [_labels(Market).get(code, code) for code in vacancy.markets or []],
        "can_edit": can_edit,
    })


@firm_required
def my_vacancies(request):
    """The firm's vacancies, filtered by status."""
    status = request.GET.get("status", "")
    if status not in VacancyStatus.values:
        status = ""
    page = Paginator(selectors.firm_vacancies(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    counts = selectors.firm_vacancy_counts(request.user)
    tabs = [(value, label, sum(counts.values()) if not value else counts.get(value, 0))
            for value, label in STATUS_FILTERS]
    return render(request, "jobs/mine.html", {
        "page_obj": page, "status": status, "tabs": tabs, "organisation": request.user.primary_organisation,
    })


@firm_required
def vacancy_create(request):
    firms = list(selectors.firms_of_user(request.user))
    if not firms:
        raise PermissionDenied
    return _editor(request, vacancy=None, firms=firms)


@firm_required
def vacancy_edit(request, pk: int):
    vacancy = get_object_or_404(Vacancy.objects.editable_by(request.user).select_related("firm"), pk=pk)
    return _editor(request, vacancy=vacancy, firms=[vacancy.firm])


def _initial_from(vacancy: Vacancy):
    fields = {name: getattr(vacancy, name) for name in services.VACANCY_FIELDS}
    skills = [
        {"name": row.skill.label, "code": row.skill.code, "min_level": row.min_level, "weight": row.weight,
         "required": row.required}
        for row in vacancy.skills.select_related("skill")
    ]
    languages = [{"language": row.language_id, "min_cefr": row.min_cefr}
                 for row in vacancy.languages.select_related("language")]
    return fields, skills, languages


def _raw_rows(formset, names) -> list[dict]:
    """The rows as typed (valid or not), without the ones marked for removal."""
    rows = []
    for form in formset.forms:
        if form.prefix and formset.data.get(f"{form.prefix}-DELETE"):
            continue
        row = {name: form[name].value() for name in names}
        if any(value not in (None, "", False) for key, value in row.items() if key in ("name", "code", "language")):
            rows.append(row)
    return rows


def _unbound_initial(form) -> dict:
    initial = {}
    for name, field in form.fields.items():
        if hasattr(field, "choices") and getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = form.data.getlist(name)
        else:
            initial[name] = form[name].value()
    return initial


def _editor(request, *, vacancy: Vacancy | None, firms):
    firm = vacancy.firm if vacancy else firms[0]
    if request.method != "POST":
        if vacancy:
            fields, skills, languages = _initial_from(vacancy)
        else:
            fields, skills, languages = {}, [], []
        form = VacancyForm(initial=fields, firms=firms)
        skill_rows = SkillRowFormSet(prefix="skills", initial=skills)
        language_rows = LanguageRowFormSet(prefix="languages", initial=languages)
        return _render_editor(request, vacancy, firm, form, skill_rows, language_rows)

    action = request.POST.get("action", "save")
    form = VacancyForm(request.POST, firms=firms)
    skill_rows = SkillRowFormSet(request.POST, prefix="skills")
    language_rows = LanguageRowFormSet(request.POST, prefix="languages")
    if action == "suggest":
        return _suggest(request, vacancy, firm, firms, form, skill_rows, language_rows)

    if form.is_valid() and skill_rows.is_valid() and language_rows.is_valid():
        if "firm" in form.cleaned_data:
            firm = next((f for f in firms if f.pk == form.cleaned_data["firm"]), firm)
        try:
            if vacancy is None:
                vacancy = services.vacancy_create(
                    firm=firm, user=request.user, data=form.vacancy_data(),
                    skills=skill_rows.requirements(), languages=language_rows.requirements())
            else:
                services.vacancy_update(
                    vacancy=vacancy, user=request.user, data=form.vacancy_data(),
                    skills=skill_rows.requirements(), languages=language_rows.requirements())
        except ValidationError as error:
            _service_errors(form, skill_rows, language_rows, error)
        else:
            if action == "publish" and vacancy.status != VacancyStatus.OPEN:
                if _publish(request, vacancy):
                    return redirect("jobs:detail", pk=vacancy.pk)
                messages.warning(request, _("The vacancy is saved as a draft."))
                return redirect("jobs:edit", pk=vacancy.pk)
            messages.success(request, _("The vacancy is saved."))
            return redirect("jobs:detail", pk=vacancy.pk)
    messages.error(request, _("Please correct the errors below; nothing was saved."))
    return _render_editor(request, vacancy, firm, form, skill_rows, language_rows, status=200)


def _suggest(request, vacancy, firm, firms, form, skill_rows, language_rows):
    """Add rows for skills and languages the description mentions; nothing is saved."""
    skills_typed = _raw_rows(skill_rows, ["name", "code", "min_level", "weight", "required"])
    languages_typed = _raw_rows(language_rows, ["language", "min_cefr"])
    have_codes = {row["code"] for row in skills_typed if row.get("code")}
    for row in skills_typed:
        if not row.get("code") and row.get("name"):
            try:
                have_codes.add(skill_resolve(row["name"]).code)
            except SkillResolutionError:
                pass  # the row keeps its error for when the form is saved
    have_languages = {str(row["language"]) for row in languages_typed}
    found = skills_suggest_from_text(request.POST.get("description", ""))
    by_id = Skill.objects.in_bulk([s.skill_id for s in found])
    added = 0
    for suggestion in found:
        skill = by_id.get(suggestion.skill_id)
        if skill is None:
            continue
        if skill.is_language:
            if str(skill.pk) not in have_languages:
                languages_typed.append({"language": skill.pk, "min_cefr": 3})
                added += 1
        elif skill.code not in have_codes:
            skills_typed.append({"name": skill.label, "code": skill.code, "min_level": 3, "weight": 1.0,
                                 "required": True})
            added += 1
    if added:
        messages.info(request, _("%(count)s skills suggested from the description were added below; "
                                 "check their levels, then save.") % {"count": added})
    else:
        messages.info(request, _("We found no further skills in the description."))
    unbound = VacancyForm(initial=_unbound_initial(form), firms=firms)
    return _render_editor(request, vacancy, firm, unbound, SkillRowFormSet(prefix="skills", initial=skills_typed),
                          LanguageRowFormSet(prefix="languages", initial=languages_typed))


def _service_errors(form, skill_rows, language_rows, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        if field == "skills":
            skill_rows._non_form_errors = skill_rows.error_class(errors, error_class="nonform")
        elif field == "languages":
            language_rows._non_form_errors = language_rows.error_class(errors, error_class="nonform")
        elif field == "external_id" or "uniq_vacancy_external_id" in " ".join(errors):
            form.add_error("external_id", _("Another vacancy of your firm already uses this reference."))
        else:
            form.add_error(field if field in form.fields else None, errors)


def _render_editor(request, vacancy, firm, form, skill_rows, language_rows, status=200):
    return render(request, "jobs/edit.html", {
        "vacancy": vacancy, "firm": firm, "form": form, "skill_rows": skill_rows, "language_rows": language_rows,
    }, status=status)


_PUBLISH_MESSAGES = {
    "status": lambda: _("Your firm is waiting for approval by a platform admin; you can publish once it is "
                        "approved."),
    "skills": lambda: _("Add at least one skill before publishing."),
    "deadline": lambda: _("The application deadline has passed; set a later date before publishing."),
}


def _publish(request, vacancy: Vacancy) -> bool:
    try:
        services.vacancy_publish(vacancy=vacancy, user=request.user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key in error.error_dict:
                message = _PUBLISH_MESSAGES.get(key)
                messages.error(request, message() if message else " ".join(error.message_dict[key]))
        else:
            messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, _("The vacancy is published; candidates are being matched."))
    return True


def _editable(request, pk: int) -> Vacancy:
    return get_object_or_404(Vacancy.objects.editable_by(request.user).select_related("firm"), pk=pk)


@firm_required
@require_POST
def vacancy_publish(request, pk: int):
    vacancy = _editable(request, pk)
    _publish(request, vacancy)
    return redirect(request.POST.get("next")) if _safe_next(request) else redirect("jobs:mine")


@firm_required
@require_POST
def vacancy_close(request, pk: int):
    vacancy = _editable(request, pk)
    services.vacancy_close(vacancy=vacancy, user=request.user)
    messages.success(request, _("“%(title)s” is closed: it no longer appears in browsing or matching.")
                     % {"title": vacancy.title})
    return redirect(request.POST.get("next")) if _safe_next(request) else redirect("jobs:mine")


@firm_required
def vacancy_delete(request, pk: int):
    """Ask first (GET), delete on POST."""
    vacancy = _editable(request, pk)
    if request.method == "POST":
        title = vacancy.title
        services.vacancy_delete(vacancy=vacancy, user=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("jobs:mine")
    return render(request, "jobs/delete.html", {"vacancy": vacancy})


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure())
