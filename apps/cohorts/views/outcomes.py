"""Outcome pages: placements per cohort, recording hires, gap-closing recommendations, university insights."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType
from apps.privacy import audit
from apps.talent import services as talent_services
from apps.web.permissions import role_required

from .. import selectors, services
from ..forms import PlacementForm
from .common import form_errors, own_universities

staff_required = role_required(AccountType.UNIVERSITY, AccountType.ADMIN)


@login_required
def cohort_outcomes(request, pk: int):
    """Who each cohort trained and where they were hired; people only as ``Enrollment.for_user`` allows."""
    cohort = selectors.cohort_detail(request.user, pk)
    if cohort is None:
        raise Http404
    outcome = selectors.cohort_outcome(request.user, cohort)
    audit.contact_viewed(request.user, [row.enrollment.profile for row in outcome.graduates if row.email])
    return render(request, "cohorts/outcomes.html", {"cohort": cohort, "outcome": outcome})


@role_required(AccountType.UNIVERSITY, AccountType.ADMIN, AccountType.FIRM, AccountType.STUDENT)
def placement_list(request):
    page = Paginator(selectors.placements_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cohorts/placements.html", {"page_obj": page,
                                                       "can_record": bool(own_universities(request.user))})


@staff_required
def placement_create(request):
    form = PlacementForm(request.POST or None, initial={"student": request.GET.get("student", "")[:254]})
    if request.method == "POST" and form.is_valid():
        profile = selectors.find_student(request.user, form.cleaned_data["student"])
        if profile is None:
            form.add_error("student", _("No student or trainee has this email or external id."))
        else:
            try:
                services.placement_record(user=request.user, profile=profile, firm=form.cleaned_data["firm"],
                                          started_on=form.cleaned_data["started_on"],
                                          job_title=form.cleaned_data["job_title"], note=form.cleaned_data["note"])
            except PermissionDenied as error:
                form.add_error("student", str(error))
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Placement recorded."))
                return redirect("cohorts:placements")
    return render(request, "cohorts/form.html", {"form": form, "title": _("Record a placement"),
                                                 "back_url": reverse("cohorts:placements")})


@staff_required
@require_POST
def placement_delete(request, pk: int):
    placement = get_object_or_404(selectors.placements_for_user(request.user), pk=pk)
    services.placement_delete(placement=placement, user=request.user)
    messages.success(request, _("Placement removed."))
    return redirect("cohorts:placements")


@role_required(AccountType.STUDENT)
def recommendations(request):
    """The skills the student lacks for vacancies they nearly match, and the cohorts that close the gap."""
    profile = talent_services.profile_ensure(user=request.user)
    return render(request, "cohorts/recommendations.html", {
        "result": selectors.student_recommendations(request.user, profile)})


@staff_required
def insights(request):
    if not own_universities(request.user):
        raise PermissionDenied(_("Only staff of an approved university or training provider can see this."))
    return render(request, "cohorts/insights.html", selectors.university_insights(request.user))
