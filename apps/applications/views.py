"""Pipeline pages: the student's applications and invitations, applying, a firm's board per vacancy (candidates
by stage with their match explanation, bulk shortlist/reject, invitations from the ranked list) and outcomes.

Reads start from ``Application.objects.for_user`` / ``Vacancy.objects.editable_by``; every write calls
``apps.applications.services`` and turns its refusal into a message on the page, never an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType
from apps.jobs.models import Vacancy
from apps.matching import selectors as match_selectors
from apps.privacy import audit
from apps.talent.models import StudentProfile
from apps.web.permissions import role_required

from . import selectors, services
from .forms import ApplyForm, BulkForm, InviteForm, MoveForm, OutcomeForm, RespondForm, WithdrawForm
from .models import ACTIVE_STAGES, FIRM_STAGES, PIPELINE_RANK, Application, ContactConsent, Stage

student_required = role_required(AccountType.STUDENT)
firm_required = role_required(AccountType.FIRM, AccountType.ADMIN)
INVITE_SUGGESTIONS = 10

COMPONENT_LABELS = (
    ("required", gettext_lazy("Required skills")), ("optional", gettext_lazy("Optional skills")),
    ("similarity", gettext_lazy("Skill similarity")), ("language", gettext_lazy("Languages")),
    ("preference", gettext_lazy("Preferences")),
)


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _back(request, fallback: str, **kwargs):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback, **kwargs)


# --- students ------------------------------------------------------------------------------------------------


@student_required
def my_applications(request):
    """The student's invitations, applications in progress and closed ones, with what each firm may see."""
    rows = list(selectors.student_applications(user=request.user))
    consents = {c.application_id: c for c in ContactConsent.objects.for_user(request.user).active()
                .filter(application__in=rows)}
    for row in rows:
        row.consent = consents.get(row.pk)
    return render(request, "applications/mine.html", {
        "invitations": [a for a in rows if a.stage == Stage.INVITED],
        "active": [a for a in rows if a.stage in ACTIVE_STAGES and a.stage != Stage.INVITED],
        "closed": [a for a in rows if a.stage not in ACTIVE_STAGES],
        "respond_form": RespondForm(), "withdraw_form": WithdrawForm(),
    })


@student_required
def apply(request, vacancy_id: int):
    """Apply to an open vacancy: an optional note and the consent to share contact details with the firm."""
    vacancy = get_object_or_404(Vacancy.objects.for_user(request.user).select_related("firm"), pk=vacancy_id)
    existing = Application.objects.for_user(request.user).filter(vacancy=vacancy).first()
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_apply(user=request.user, vacancy=vacancy, note=form.cleaned_data["note"])
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("Your application was sent. %(firm)s can now see your contact details.")
                             % {"firm": vacancy.firm.name})
            return redirect("applications:mine")
    return render(request, "applications/apply.html", {"vacancy": vacancy, "form": form, "existing": existing})


def _own(request, pk: int) -> Application:
    application = Application.objects.for_user(request.user).filter(pk=pk, profile__user=request.user).first()
    if application is None:
        raise Http404
    return application


@require_POST
@student_required
def respond(request, pk: int, answer: str):
    """Accept or decline an invitation."""
    application = _own(request, pk)
    form = RespondForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.invitation_respond(user=request.user, application=application, accept=answer == "accept",
                                    note=note)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Invitation accepted: your application is with the firm.") if answer == "accept"
                         else _("Invitation declined."))
    return redirect("applications:mine")


@require_POST
@student_required
def withdraw(request, pk: int):
    """Withdraw an application: it leaves the pipeline and the firm no longer sees the contact details."""
    application = _own(request, pk)
    form = WithdrawForm(request.POST)
    try:
        services.application_withdraw(user=request.user, application=application,
                                      reason=form.cleaned_data["reason"] if form.is_valid() else "")
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Application withdrawn. The firm no longer sees your contact details."))
    return redirect("applications:mine")


@require_POST
@student_required
def withdraw_consent(request, pk: int):
    """Stop the application's firm seeing the contact details (the application itself stays)."""
    application = _own(request, pk)
    count = services.consent_withdraw(user=request.user, profile=application.profile,
                                      firm_id=application.vacancy.firm_id)
    if count:
        messages.success(request, _("%(firm)s no longer sees your contact details.") % {
            "firm": application.vacancy.firm.name})
    else:
        messages.info(request, _("This firm had no consent to withdraw."))
    return redirect("applications:mine")


# --- one application (both sides) -----------------------------------------------------------------------------


def detail(request, pk: int):
    """One application with its full stage history (who, when, from, to, why)."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    application = selectors.application_detail(user=request.user, pk=pk)
    if application is None:
        raise Http404
    managed = Application.objects.managed_by(request.user).filter(pk=pk).exists()
    contact = selectors.contact_visible(profile=application.profile, user=request.user)
    if contact:
        audit.contact_viewed(request.user, [application.profile])
    return render(request, "applications/detail.html", {
        "application": application, "events": application.events.all(), "managed": managed,
        "contact": contact,
        "outcome_form": _outcome_form(application) if managed else None,
    })


# --- firms ---------------------------------------------------------------------------------------------------


def _managed_vacancy(request, vacancy_id: int) -> Vacancy:
    return get_object_or_404(Vacancy.objects.editable_by(request.user).select_related("firm"), pk=vacancy_id)


@firm_required
def firm_overview(request):
    """The firm's vacancies with how many candidates are at each stage."""
    vacancies = list(Vacancy.objects.editable_by(request.user).select_related("firm").order_by("-created_at")[:200])
    counts = {}
    for vacancy_id, stage, n in (Application.objects.filter(vacancy__in=vacancies).order_by()
                                 .values_list("vacancy_id", "stage").annotate(n=Count("pk"))):
        counts.setdefault(vacancy_id, {})[stage] = n
    rows = [{"vacancy": v, "counts": counts.get(v.pk, {}),
             "total": sum(counts.get(v.pk, {}).values())} for v in vacancies]
    return render(request, "applications/firm_overview.html", {"rows": rows, "stages": Stage})


def _outcome_form(application: Application) -> OutcomeForm:
    def tri(value):
        return "" if value is None else ("yes" if value else "no")

    return OutcomeForm(initial={"start_date": application.start_date, "stayed_3_months": tri(
        application.stayed_3_months), "stayed_6_months": tri(application.stayed_6_months)})


@firm_required
def board(request, vacancy_id: int):
    """The pipeline board of one vacancy: candidates by stage, each with the match explanation, contact details
    where consented, stage actions, bulk shortlist/reject, and the best ranked candidates to invite."""
    vacancy = _managed_vacancy(request, vacancy_id)
    applications = list(selectors.vacancy_pipeline(vacancy=vacancy))
    explanations = selectors.pipeline_explanations(vacancy=vacancy, applications=applications)
    shared = selectors.consented_profile_ids(user=request.user, profile_ids=[a.profile_id for a in applications])
    for application in applications:
        application.why = explanations.get(application.pk)
        application.contact = application.profile_id in shared or application.profile.contact_visible_to(request.user)
        application.next_stages = [s for s in FIRM_STAGES if s != Stage.REJECTED and application.stage in ACTIVE_STAGES
                                   and application.stage != Stage.INVITED
                                   and PIPELINE_RANK[s] > PIPELINE_RANK[application.stage]]
        application.outcome_form = _outcome_form(application) if application.stage == Stage.HIRED else None
    audit.contact_viewed(request.user, [a.profile for a in applications if a.contact])
    columns, closed = selectors.board_columns(applications)
    hires = sum(1 for a in applications if a.stage == Stage.HIRED)
    return render(request, "applications/board.html", {
        "vacancy": vacancy, "columns": columns, "closed": closed, "total": len(applications),
        "hires": hires, "openings_left": max(vacancy.openings - hires, 0),
        "suggestions": _suggestions(request.user, vacancy) if vacancy.is_open else [],
        "bulk_form": BulkForm(), "move_form": MoveForm(), "invite_form": InviteForm(),
        "component_labels": COMPONENT_LABELS,
    })


def _suggestions(user, vacancy: Vacancy) -> list:
    """The best ranked candidates not yet in the pipeline (the matcher already leaves applicants out)."""
    visible = StudentProfile.objects.for_user(user).values("pk")
    return list(match_selectors.vacancy_candidates(vacancy_id=vacancy.pk).filter(profile__in=visible)
                [:INVITE_SUGGESTIONS])


@require_POST
@firm_required
def invite(request, vacancy_id: int):
    """Invite a ranked candidate to apply."""
    vacancy = _managed_vacancy(request, vacancy_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a candidate to invite."))
        return redirect("applications:board", vacancy_id=vacancy.pk)
    profile = StudentProfile.objects.for_user(request.user).filter(pk=form.cleaned_data["profile"]).first()
    if profile is None:
        messages.error(request, _("This student's profile is not open to firms."))
        return redirect("applications:board", vacancy_id=vacancy.pk)
    try:
        services.invitation_create(user=request.user, vacancy=vacancy, profile=profile,
                                   message=form.cleaned_data["message"])
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Invitation sent to %(name)s.") % {"name": profile.full_name or profile.pk})
    return _back(request, "applications:board", vacancy_id=vacancy.pk)


@require_POST
@firm_required
def move(request, pk: int):
    """Move one application to a later stage (hire included) or reject it with a reason."""
    application = get_object_or_404(Application.objects.managed_by(request.user), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
    else:
        try:
            moved = services.application_move(user=request.user, application=application,
                                              to_stage=form.cleaned_data["stage"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("%(name)s: %(stage)s.") % {
                "name": moved.profile.full_name or moved.profile_id, "stage": moved.get_stage_display()})
    return _back(request, "applications:board", vacancy_id=application.vacancy_id)


@require_POST
@firm_required
def bulk(request, vacancy_id: int):
    """Shortlist or reject (with a reason) the selected candidates; each result is reported."""
    vacancy = _managed_vacancy(request, vacancy_id)
    ids = list(Application.objects.filter(vacancy=vacancy).values_list("pk", flat=True))
    form = BulkForm(request.POST, application_ids=ids)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("applications:board", vacancy_id=vacancy.pk)
    try:
        results = services.applications_bulk_move(user=request.user, vacancy=vacancy,
                                                  application_ids=form.cleaned_data["applications"],
                                                  to_stage=form.cleaned_data["action"],
                                                  reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _refusal(request, error)
        return redirect("applications:board", vacancy_id=vacancy.pk)
    done = sum(1 for r in results if r.ok)
    if done:
        messages.success(request, ngettext("%(count)d candidate moved.", "%(count)d candidates moved.", done)
                         % {"count": done})
    for result in results:
        if not result.ok:
            messages.warning(request, _("Application %(id)s: %(message)s") % {"id": result.application_id,
                                                                               "message": result.message})
    return redirect("applications:board", vacancy_id=vacancy.pk)


@require_POST
@firm_required
def outcome(request, pk: int):
    """Confirm a hire's start date and whether they stayed 3 and 6 months."""
    application = get_object_or_404(Application.objects.managed_by(request.user), pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return _back(request, "applications:board", vacancy_id=application.vacancy_id)
    data = form.cleaned_data
    try:
        services.outcome_record(user=request.user, application=application, start_date=data["start_date"],
                                stayed_3_months=form.tri(data["stayed_3_months"]),
                                stayed_6_months=form.tri(data["stayed_6_months"]))
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Outcome saved."))
    return _back(request, "applications:board", vacancy_id=application.vacancy_id)
