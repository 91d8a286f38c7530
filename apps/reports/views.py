"""Report pages (templates/reports/): the list of snapshots with a "build now" form and live progress, one report
with its charts, exports and a printable version, and the match-run review for platform admins.

Government users and platform admins read reports (``ReportSnapshot.for_user``); every figure comes from
``selectors.report_for``, i.e. suppressed. The match-run pages are for platform admins only
(``MatchRun.for_user``); a government user gets 403 there.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import AccountType
from apps.cohorts.models import Programme
from apps.matching.models import MatchRun, MatchRunComment, RunKind
from apps.skills.models import Location, Market
from apps.web.permissions import role_required

from . import exports, review, selectors
from .forms import BuildReportForm, ReportScopeForm, RunCommentForm, RunFilterForm, RunReviewForm
from .models import ReportSnapshot, SnapshotStatus, can_view_reports, current_period
from .services.requests import BuildAlreadyRunning, report_request

TRAINING_GROUPS = ("programme", "school", "partner", "funder")
PROGRESS_FIELDS = ("pk", "status", "progress", "progress_message", "error", "finished_at")


def reports_required(view):
    """Government users and platform admins; anonymous people go to the login page, everyone else gets 403."""

    @role_required(AccountType.GOVERNMENT, AccountType.ADMIN)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def platform_admin_required(view):
    """Platform admins only (match runs are operational data)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_platform_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def scope_labels(filters: dict) -> list[tuple[str, str]]:
    """The snapshot's filters as (name, label) pairs for people (codes and ids resolved to names)."""
    out = []
    if filters.get("district"):
        loc = Location.objects.filter(code=filters["district"]).first()
        out.append((_("District"), loc.label if loc else filters["district"]))
    if filters.get("programme"):
        programme = (Programme.objects.filter(pk=filters["programme"]).first()
                     if str(filters["programme"]).isdigit() else None)
        out.append((_("Programme"), programme.name if programme else filters["programme"]))
    if filters.get("market"):
        market = Market.objects.filter(code=filters["market"]).first()
        out.append((_("Market"), market.label if market else filters["market"]))
    return out


def _snapshots(user):
    # The list and the progress poll never load the (large) report data.
    return selectors.snapshots_for(user).defer("data", "timings")


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _index(request, *, build_form=None, scope_form=None, status=200, notice=""):
    user = request.user
    page = Paginator(_snapshots(user), 20).get_page(request.GET.get("page"))
    for snapshot in page:
        snapshot.scope = scope_labels(snapshot.filters)
    return render(request, "reports/index.html", {
        "page_obj": page,
        "build_form": build_form or BuildReportForm(user=user),
        "scope_form": scope_form or ReportScopeForm(user=user),
        "latest": selectors.latest_snapshot(user),
        "any_active": any(s.is_active for s in page),
        "notice": notice,
    }, status=status)


@reports_required
def index(request):
    """Snapshots newest first, with their build status, a form to find a report and one to build one now."""
    return _index(request)


@reports_required
@require_POST
def build(request):
    """Request a build of the period and filters; the worker builds it and the detail page shows progress."""
    form = BuildReportForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            snapshot = report_request(period=form.cleaned_data["period"], filters=form.filters, user=request.user)
        except BuildAlreadyRunning as running:
            messages.info(request, running.messages[0])
            return redirect("reports:detail", pk=running.snapshot.pk)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The report is being built. This page shows its progress."))
            return redirect("reports:detail", pk=snapshot.pk)
    return _index(request, build_form=form, status=400)


@reports_required
@require_GET
def find(request):
    """The newest finished report for a period and filters (the filter form); else an offer to build it."""
    form = ReportScopeForm(request.GET, user=request.user)
    if not form.is_valid():
        return _index(request, scope_form=form, status=400)
    snapshot = selectors.latest_snapshot(request.user, period=form.cleaned_data["period"] or None,
                                         filters=form.filters)
    if snapshot is not None:
        return redirect("reports:detail", pk=snapshot.pk)
    initial = {**form.cleaned_data}
    if not initial.get("period"):
        initial.pop("period")
    build_form = BuildReportForm(user=request.user, initial={"period": current_period(), **initial})
    return _index(request, scope_form=form, build_form=build_form,
                  notice=_("No finished report matches these filters yet. Build it now with the form below."))


def _report_context(request, snapshot: ReportSnapshot) -> dict:
    data = selectors.report_for(request.user, snapshot)
    demand_supply = data.get("demand_supply") or {}
    training = data.get("training") or {}
    return {
        "snapshot": snapshot,
        "data": data,
        "meta": data.get("meta") or {},
        "skills": demand_supply.get("skills") or [],
        "categories": demand_supply.get("categories") or [],
        "markets": demand_supply.get("markets") or [],
        "funnel": data.get("funnel") or {},
        "training_groups": [(group, training_group_titles()[group], training.get(group) or [])
                            for group in TRAINING_GROUPS],
        "untaught": data.get("untaught") or [],
        "near_miss": data.get("near_miss") or [],
        "trend": data.get("trend") or {},
        "scope": scope_labels(snapshot.filters),
    }


def training_group_titles() -> dict[str, str]:
    return {"programme": _("By programme"), "school": _("By school"), "partner": _("By partner firm"),
            "funder": _("By funding agency")}


@reports_required
def detail(request, pk: int):
    """One report: its sections and charts when done, its progress while it is being built."""
    snapshot = get_object_or_404(selectors.snapshots_for(request.user), pk=pk)
    scope_form = ReportScopeForm(user=request.user, initial={"period": snapshot.period, **snapshot.filters})
    if snapshot.status != SnapshotStatus.DONE:
        return render(request, "reports/progress.html", {"snapshot": snapshot, "scope": scope_labels(snapshot.filters),
                                                         "scope_form": scope_form})
    return render(request, "reports/detail.html", {**_report_context(request, snapshot), "scope_form": scope_form})


@reports_required
def print_view(request, pk: int):
    """The whole report on one page for paper or PDF: no navigation, print styles."""
    snapshot = get_object_or_404(selectors.snapshots_for(request.user).done(), pk=pk)
    return render(request, "reports/print.html", _report_context(request, snapshot))


@reports_required
@never_cache
def progress(request, pk: int):
    """The build's state as JSON for the page's poll: one small indexed query, never the report data."""
    row = get_object_or_404(selectors.snapshots_for(request.user).only(*PROGRESS_FIELDS), pk=pk)
    return JsonResponse({
        "id": row.pk,
        "status": row.status,
        "status_label": row.get_status_display(),
        "progress": row.progress,
        "message": row.progress_label,
        "done": row.status == SnapshotStatus.DONE,
        "failed": row.status == SnapshotStatus.FAILED,
        "url": reverse("reports:detail", args=[row.pk]),
    })


@reports_required
def export(request, pk: int, section: str, fmt: str):
    """One section of a finished report as CSV or XLSX, or every section as one XLSX (suppressed like the page)."""
    if fmt not in exports.FORMATS or (section not in exports.SECTIONS and (section, fmt) != ("all", "xlsx")):
        raise Http404
    snapshot = get_object_or_404(selectors.snapshots_for(request.user).done(), pk=pk)
    try:
        return exports.export_response(snapshot, section, fmt, request.user)
    except ValidationError as error:
        raise Http404 from error


# ------------------------------------------------------------------------------------------- match-run review


@platform_admin_required
def runs(request):
    """Match runs, newest first, with counts, timings, review status and the shifts from the previous full run."""
    form = RunFilterForm(request.GET or {"kind": RunKind.FULL})
    qs = MatchRun.objects.for_user(request.user).select_related("review").defer("snapshot")
    if form.is_valid():
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["review"] == "unreviewed":
            qs = qs.exclude(review__status__in=["reviewed", "flagged"])
        elif form.cleaned_data["review"]:
            qs = qs.filter(review__status=form.cleaned_data["review"])
    page = Paginator(qs.order_by("-pk"), 25).get_page(request.GET.get("page"))
    review.annotate_shifts(list(page))
    for run in page:
        run.review_row = review.review_for(run)
    return render(request, "reports/runs.html", {"page_obj": page, "form": form})


def _run(request, pk: int) -> MatchRun:
    return get_object_or_404(MatchRun.objects.for_user(request.user).select_related("created_by"), pk=pk)


# the steps of a run's timings, in the order they happen
RUN_STEPS = {
    "start": gettext_lazy("Preparation"),
    "load": gettext_lazy("Loading profiles and vacancies"),
    "score": gettext_lazy("Scoring"),
    "persist_profiles": gettext_lazy("Writing the students' lists"),
    "merge": gettext_lazy("Merging the shards"),
    "persist_vacancies": gettext_lazy("Writing the vacancies' lists"),
    "index_attach": gettext_lazy("Indexing and publishing the generation"),
}


def _timings(run: MatchRun) -> list[tuple[str, float]]:
    timings = run.timings or {}
    order = list(RUN_STEPS)
    steps = sorted(timings, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(str(RUN_STEPS.get(step, step)), timings[step]) for step in steps]


def _run_page(request, run: MatchRun, *, review_form=None, comment_form=None, status=200):
    overview = review.run_overview(run)
    return render(request, "reports/run_detail.html", {
        "run": run,
        "overview": overview,
        "timings": _timings(run),
        "comments": MatchRunComment.objects.for_user(request.user).filter(run=run).select_related("author"),
        "review_form": review_form or RunReviewForm(initial={"status": overview.review.status}),
        "comment_form": comment_form or RunCommentForm(),
        "shift_threshold": int(review.SHIFT_THRESHOLD * 100),
        "qualified_score": review.qualified_score(),
    }, status=status)


@platform_admin_required
def run_detail(request, pk: int):
    """One run: counts, timings, score distribution, anomalies, verdict and comments."""
    return _run_page(request, _run(request, pk))


@platform_admin_required
@require_POST
def run_review(request, pk: int):
    run = _run(request, pk)
    form = RunReviewForm(request.POST)
    if not form.is_valid():
        return _run_page(request, run, review_form=form, status=400)
    review.review_set_status(run=run, status=form.cleaned_data["status"], reviewer=request.user)
    messages.success(request, _("Review status saved."))
    return redirect("reports:run_detail", pk=run.pk)


@platform_admin_required
@require_POST
def run_comment(request, pk: int):
    run = _run(request, pk)
    form = RunCommentForm(request.POST)
    if not form.is_valid():
        return _run_page(request, run, comment_form=form, status=400)
    try:
        review.review_add_comment(run=run, author=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        _form_errors(form, error)
        return _run_page(request, run, comment_form=form, status=400)
    messages.success(request, _("Comment added."))
    return redirect(reverse("reports:run_detail", args=[run.pk]) + "#comments")
