"""Programme and course pages: everyone browses; university staff create and change their own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType, Organisation, OrganisationKind
from apps.privacy import audit
from apps.web.permissions import role_required

from .. import selectors, services
from ..forms import CourseForm, PartnerForm, ProgrammeForm
from ..models import Course, Programme, ProgrammeStatus
from .common import form_errors, own_universities

staff_required = role_required(AccountType.UNIVERSITY, AccountType.ADMIN)


def programme_list(request):
    """Programmes the user may see; government staff see the ones they fund first."""
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    status = status if status in ProgrammeStatus.values else ""
    programmes = selectors.programmes_for_user(request.user, query=query, status=status)
    page = Paginator(programmes, 30).get_page(request.GET.get("page"))
    return render(request, "cohorts/programme_list.html", {
        "page_obj": page, "query": query, "status": status, "statuses": ProgrammeStatus.choices,
        "own": selectors.programmes_of_organisation(request.user),
        "can_create": bool(own_universities(request.user)),
    })


def programme_detail(request, pk: int):
    programme = get_object_or_404(selectors.programmes_for_user(request.user), pk=pk)
    outcome = selectors.programme_outcome(request.user, programme)
    editable = Programme.objects.editable_by(request.user).filter(pk=pk).exists()
    graduates = [row for cohort in outcome.cohorts for row in cohort.graduates]
    audit.contact_viewed(request.user, [row.enrollment.profile for row in graduates if row.email])
    return render(request, "cohorts/programme_detail.html", {
        "programme": programme, "outcome": outcome, "editable": editable,
        "partners": list(programme.partners.all()),
        "cohorts": selectors.cohorts_for_user(request.user, programme_id=programme.pk),
        "partner_form": PartnerForm() if editable else None,
        "graduates": graduates,
    })


@staff_required
def programme_create(request):
    universities = own_universities(request.user)
    if not universities:
        raise PermissionDenied(_("Only staff of an approved university or training provider can create programmes."))
    form = ProgrammeForm(request.POST or None, universities=universities)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(user=request.user, university=form.owner(),
                                                  data=form.programme_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Programme created. Add partner firms and cohorts next."))
            return redirect("cohorts:programme_detail", pk=programme.pk)
    return render(request, "cohorts/form.html", {"form": form, "title": _("New programme"),
                                                 "back_url": reverse("cohorts:programme_list")})


@staff_required
def programme_edit(request, pk: int):
    programme = get_object_or_404(Programme.objects.editable_by(request.user), pk=pk)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_from(programme))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, user=request.user, data=form.programme_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("cohorts:programme_detail", pk=pk)
    return render(request, "cohorts/form.html", {"form": form, "title": _("Edit programme"),
                                                 "back_url": reverse("cohorts:programme_detail", args=[pk])})


@staff_required
@require_POST
def partner_set(request, pk: int):
    """Add a partner firm or change its reserved places."""
    programme = get_object_or_404(Programme.objects.editable_by(request.user), pk=pk)
    form = PartnerForm(request.POST)
    if form.is_valid():
        try:
            services.programme_set_partner(programme=programme, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Partner firm saved."))
    else:
        messages.error(request, _("Choose a firm and a number of reserved places (0 or more)."))
    return redirect("cohorts:programme_detail", pk=pk)


@staff_required
@require_POST
def partner_remove(request, pk: int, firm_id: int):
    programme = get_object_or_404(Programme.objects.editable_by(request.user), pk=pk)
    firm = get_object_or_404(Organisation, pk=firm_id, kind=OrganisationKind.FIRM)
    services.programme_remove_partner(programme=programme, user=request.user, firm=firm)
    messages.success(request, _("%(firm)s is no longer a partner of this programme.") % {"firm": firm.name})
    return redirect("cohorts:programme_detail", pk=pk)


def course_list(request):
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.courses_for_user(request.user, query=query), 30).get_page(request.GET.get("page"))
    return render(request, "cohorts/course_list.html", {"page_obj": page, "query": query,
                                                        "can_create": bool(own_universities(request.user))})


def course_detail(request, pk: int):
    course = get_object_or_404(selectors.courses_for_user(request.user), pk=pk)
    return render(request, "cohorts/course_detail.html", {
        "course": course,
        "editable": Course.objects.editable_by(request.user).filter(pk=pk).exists(),
        "cohorts": selectors.cohorts_for_user(request.user).filter(course=course),
        "is_free": course.fee == 0,
    })


@staff_required
def course_create(request):
    providers = own_universities(request.user)
    if not providers:
        raise PermissionDenied(_("Only staff of an approved university or training provider can create courses."))
    form = CourseForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(user=request.user, provider=form.owner(), data=form.course_data(),
                                            skills=form.cleaned_data["skills"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Course created. Schedule a cohort to open it to students."))
            return redirect("cohorts:course_detail", pk=course.pk)
    return render(request, "cohorts/form.html", {"form": form, "title": _("New course"),
                                                 "back_url": reverse("cohorts:course_list")})


@staff_required
def course_edit(request, pk: int):
    course = get_object_or_404(Course.objects.editable_by(request.user), pk=pk)
    form = CourseForm(request.POST or None, initial=CourseForm.initial_from(course))
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, user=request.user, data=form.course_data(),
                                   skills=form.cleaned_data["skills"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Course saved. Completions already credited keep the skills they gave."))
            return redirect("cohorts:course_detail", pk=pk)
    return render(request, "cohorts/form.html", {"form": form, "title": _("Edit course"),
                                                 "back_url": reverse("cohorts:course_detail", args=[pk])})
