"""Cohort pages: browse and join (students), schedule, roster, completions and roster uploads (staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType
from apps.core.security import throttle_view
from apps.imports.csvio import ImportFileError, template_csv
from apps.talent import services as talent_services
from apps.web.permissions import role_required

from .. import imports, selectors, services
from ..forms import CohortForm, CompleteAllForm, EnrollmentForm, RosterAddForm, RosterUploadForm
from ..models import Cohort, Course, Enrollment, EnrollmentStatus, Programme, RosterImport
from ..services.rosters import roster_upload
from .common import form_errors

staff_required = role_required(AccountType.UNIVERSITY, AccountType.ADMIN)
student_required = role_required(AccountType.STUDENT)


def cohort_list(request):
    """Cohorts anyone may browse; open for enrollment only unless ``all=1``."""
    query = request.GET.get("q", "")[:100]
    skill = request.GET.get("skill", "")[:255]
    show_all = request.GET.get("all") == "1"
    cohorts = selectors.cohorts_for_user(request.user, query=query, open_only=not show_all, skill_code=skill)
    page = Paginator(cohorts, 30).get_page(request.GET.get("page"))
    joined = {}
    if request.user.is_authenticated and request.user.account_type == AccountType.STUDENT:
        joined = dict(Enrollment.objects.filter(profile__user=request.user, cohort__in=[c.pk for c in page])
                      .values_list("cohort_id", "status"))
    for cohort in page:
        cohort.my_status = joined.get(cohort.pk)
        cohort.seats_left = max(0, cohort.capacity - cohort.seats_taken)
    return render(request, "cohorts/list.html", {"page_obj": page, "query": query, "skill": skill,
                                                 "show_all": show_all})


def cohort_detail(request, pk: int):
    cohort = selectors.cohort_detail(request.user, pk)
    if cohort is None:
        raise Http404
    editable = Cohort.objects.editable_by(request.user).filter(pk=pk).exists()
    roster = []
    if editable:
        roster = list(selectors.cohort_roster(request.user, cohort))
        for enrollment in roster:
            enrollment.form = EnrollmentForm(prefix=f"e{enrollment.pk}", form_id=f"roster-{enrollment.pk}", initial={
                "status": enrollment.status, "attendance": enrollment.attendance, "grade": enrollment.grade})
    return render(request, "cohorts/detail.html", {
        "cohort": cohort, "editable": editable, "roster": roster,
        "seats_left": max(0, cohort.capacity - cohort.seats_taken),
        "mine": selectors.enrollment_of(request.user, cohort),
        "add_form": RosterAddForm() if editable else None,
        "complete_form": CompleteAllForm() if editable else None,
        "statuses": EnrollmentStatus,
    })


def _cohort_form_querysets(user):
    courses = Course.objects.editable_by(user).filter(is_active=True)
    programmes = Programme.objects.for_user(user).filter(
        Q(pk__in=Programme.objects.editable_by(user).values("pk"))
        | Q(pk__in=Programme.objects.filter(cohorts__course__in=courses).values("pk")))
    return courses, programmes.distinct()


@staff_required
def cohort_create(request):
    courses, programmes = _cohort_form_querysets(request.user)
    initial = {}
    if request.GET.get("course", "").isdigit():
        initial["course"] = int(request.GET["course"])
    if request.GET.get("programme", "").isdigit():
        initial["programme"] = int(request.GET["programme"])
    form = CohortForm(request.POST or None, initial=initial, courses=courses, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(user=request.user, course=form.cleaned_data["course"],
                                            data=form.cohort_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Cohort scheduled."))
            return redirect("cohorts:detail", pk=cohort.pk)
    return render(request, "cohorts/form.html", {"form": form, "title": _("Schedule a cohort"),
                                                 "back_url": reverse("cohorts:list")})


@staff_required
def cohort_edit(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.editable_by(request.user), pk=pk)
    courses, programmes = _cohort_form_querysets(request.user)
    form = CohortForm(request.POST or None, initial=CohortForm.initial_from(cohort), courses=courses,
                      programmes=programmes, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, user=request.user, data=form.cohort_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("cohorts:detail", pk=pk)
    return render(request, "cohorts/form.html", {"form": form, "title": _("Edit cohort"),
                                                 "back_url": reverse("cohorts:detail", args=[pk])})


@student_required
@require_POST
def join(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.for_user(request.user), pk=pk)
    profile = talent_services.profile_ensure(user=request.user)
    try:
        enrollment = services.enrollment_join(cohort=cohort, profile=profile)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrollment.status == EnrollmentStatus.APPLIED:
            messages.success(request, _("Application sent. The cohort's staff will confirm your place."))
        else:
            messages.success(request, _("You are enrolled. Completing the cohort adds its skills to your profile."))
    return redirect("cohorts:detail", pk=pk)


@student_required
@require_POST
def leave(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.for_user(request.user), pk=pk)
    enrollment = selectors.enrollment_of(request.user, cohort)
    if enrollment is None:
        messages.error(request, _("You are not in this cohort."))
    else:
        try:
            services.enrollment_leave(enrollment=enrollment, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You have left the cohort; your place is free for someone else."))
    return redirect("cohorts:detail", pk=pk)


@staff_required
@require_POST
def roster_add(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.editable_by(request.user), pk=pk)
    form = RosterAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the student's email or external id and a status."))
        return redirect("cohorts:detail", pk=pk)
    profile = selectors.find_student(request.user, form.cleaned_data["student"])
    if profile is None:
        messages.error(request, _("No student or trainee has this email or external id."))
        return redirect("cohorts:detail", pk=pk)
    try:
        services.enrollment_add(cohort=cohort, profile=profile, user=request.user, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is on the roster.") % {"name": profile})
    return redirect("cohorts:detail", pk=pk)


@staff_required
@require_POST
def enrollment_edit(request, pk: int):
    """Change one roster line: status (completing credits skills), attendance and grade."""
    enrollment = get_object_or_404(Enrollment.objects.editable_by(request.user).select_related("cohort", "profile"),
                                   pk=pk)
    form = EnrollmentForm(request.POST, prefix=f"e{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("cohorts:detail", pk=enrollment.cohort_id)
    try:
        services.enrollment_update(enrollment=enrollment, user=request.user, status=form.cleaned_data["status"],
                                   attendance=form.cleaned_data["attendance"], grade=form.cleaned_data["grade"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s: saved.") % {"name": enrollment.profile})
    return redirect("cohorts:detail", pk=enrollment.cohort_id)


@staff_required
@require_POST
def complete_all(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.editable_by(request.user), pk=pk)
    form = CompleteAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid completion date."))
        return redirect("cohorts:detail", pk=pk)
    try:
        count = services.cohort_complete_all(cohort=cohort, user=request.user,
                                             completed_on=form.cleaned_data["completed_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s students marked completed; their skills are credited.")
                         % {"count": count})
    return redirect("cohorts:detail", pk=pk)


@staff_required
@throttle_view("imports")
def roster_import(request, pk: int):
    """Upload a roster file; the import runs in the worker and its report appears on the import's page."""
    cohort = get_object_or_404(Cohort.objects.editable_by(request.user), pk=pk)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = roster_upload(cohort=cohort, user=request.user, upload=form.cleaned_data["file"],
                                strict=form.cleaned_data["strict"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("cohorts:roster_import_detail", pk=run.pk)
    return render(request, "cohorts/roster_import.html", {
        "cohort": cohort, "form": form, "imports": selectors.roster_imports_for_user(request.user, cohort)[:20],
        "columns": imports.COLUMNS,
    }, status=400 if form.errors else 200)


@staff_required
def roster_template(request, pk: int):
    get_object_or_404(Cohort.objects.editable_by(request.user), pk=pk)
    response = HttpResponse(template_csv(list(imports.COLUMNS), imports.TEMPLATE_EXAMPLE),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="talentmatch-roster-template.csv"'
    return response


@staff_required
def roster_import_detail(request, pk: int):
    run = get_object_or_404(RosterImport.objects.for_user(request.user).select_related("cohort").defer("source_text"),
                            pk=pk)
    return render(request, "cohorts/roster_import_detail.html", {"run": run, "cohort": run.cohort})


@staff_required
def roster_import_errors(request, pk: int):
    run = get_object_or_404(RosterImport.objects.for_user(request.user).defer("source_text"), pk=pk)
    if not run.errors_csv:
        raise PermissionDenied(_("This import has no rows with problems."))
    response = HttpResponse(("\ufeff" + run.errors_csv).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-import-{run.pk}-problems.csv"'
    return response


@student_required
def my_cohorts(request):
    return render(request, "cohorts/mine.html", {"enrollments": selectors.enrollments_of_student(request.user)})
