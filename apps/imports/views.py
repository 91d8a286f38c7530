"""The upload page: university staff import student rosters, firm members import vacancies.

Only members of approved organisations may import, and only into their own organisation. Files of up
to ``IMPORT_MAX_ROWS_IN_REQUEST`` rows (default 5,000) are imported within the request; larger ones are
for the ``import_profiles`` / ``import_vacancies`` commands an operator runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import OrganisationKind
from apps.core.security import throttle_view
from apps.jobs import imports as vacancy_imports
from apps.talent import imports as profile_imports

from .csvio import CsvSource, ImportFileError, template_csv
from .forms import UploadForm
from .report import ImportReport
from .selectors import import_organisations


@dataclass(frozen=True)
class ImportKind:
    """One kind of upload: who may do it, its columns (with what to put in them) and the service it calls."""

    slug: str
    organisation_kind: str
    title: str
    intro: str
    columns: list[tuple[str, bool, str]]
    example: list[str]
    run: Callable[..., ImportReport]


def _run_profiles(*, source, strict, organisation, user) -> ImportReport:
    return profile_imports.profiles_import(rows_source=source, strict=strict, university=organisation)


def _run_vacancies(*, source, strict, organisation, user) -> ImportReport:
    return vacancy_imports.vacancies_import(rows_source=source, strict=strict, firm=organisation, actor=user)


KINDS = {
    "profiles": ImportKind(
        slug="profiles", organisation_kind=OrganisationKind.UNIVERSITY,
        title=gettext_lazy("Student profiles"),
        intro=gettext_lazy("Import your students' skill profiles. New students get an account they claim with "
                           "\"forgot password\" on the login page; importing the same external id again updates "
                           "the student, and replaces the skills they declared (course- or firm-confirmed levels "
                           "are kept)."),
        columns=[
            ("external_id", True, gettext_lazy("Your student number; the same id updates the same student.")),
            ("full_name", True, gettext_lazy("The student's name.")),
            ("email", True, gettext_lazy("A valid email address no other account uses.")),
            ("school", False, gettext_lazy("School or faculty.")),
            ("major", False, gettext_lazy("Major or programme.")),
            ("graduation_year", False, gettext_lazy("e.g. 2026")),
            ("city", False, gettext_lazy("Home or current city.")),
            ("skills", False, gettext_lazy("skill:level items separated by ; — the skill as code, label or alias "
                                           "(Chinese or English), level 1-5 (3 when left out).")),
            ("languages", False, gettext_lazy("language:level items separated by ; — level A1-C2 or an exam such "
                                              "as CET-6.")),
        ],
        example=profile_imports.TEMPLATE_EXAMPLE,
        run=_run_profiles,
    ),
    "vacancies": ImportKind(
        slug="vacancies", organisation_kind=OrganisationKind.FIRM,
        title=gettext_lazy("Vacancies"),
        intro=gettext_lazy("Import your firm's vacancies. Every row goes into your own firm (a firm column is "
                           "ignored); the same external id updates that vacancy and replaces its requirements. "
                           "Imported vacancies are open unless the status column says draft or closed."),
        columns=[
            ("external_id", True, gettext_lazy("Your reference for the vacancy; the same id updates it.")),
            ("title", True, gettext_lazy("Job title.")),
            ("description", False, gettext_lazy("What the job is.")),
            ("required_skills", True, gettext_lazy("skill:level:weight items separated by ; — level 1-5 (default "
                                                   "3), weight above 0 up to 10 (default 1).")),
            ("optional_skills", False, gettext_lazy("Same form as required_skills.")),
            ("languages", False, gettext_lazy("language:level items, e.g. English:B2 (B1 when left out).")),
            ("location", False, gettext_lazy("District code or name.")),
            ("job_type", False, gettext_lazy("full_time, part_time or internship (全职/兼职/实习).")),
            ("openings", False, gettext_lazy("Number of people wanted (1 when left out).")),
            ("salary_min", False, gettext_lazy("Monthly salary from, CNY.")),
            ("salary_max", False, gettext_lazy("Monthly salary to, CNY.")),
            ("deadline", False, gettext_lazy("Application deadline, e.g. 2026-09-30.")),
            ("markets", False, gettext_lazy("Target market codes or names separated by ;")),
            ("remote", False, gettext_lazy("yes or no.")),
            ("status", False, gettext_lazy("open (default), draft or closed.")),
        ],
        example=[value for column, value in zip(vacancy_imports.COLUMNS, vacancy_imports.TEMPLATE_EXAMPLE,
                                                strict=True) if column != "firm"],
        run=_run_vacancies,
    ),
}


def max_rows_in_request() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS_IN_REQUEST", 5000)


def _kind_or_404(slug: str) -> ImportKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _sections(user, *, active: str | None = None, form=None, report=None) -> list[dict]:
    sections = []
    for kind in KINDS.values():
        organisations = import_organisations(user, kind.organisation_kind)
        if not organisations.exists():
            continue
        is_active = kind.slug == active
        sections.append({
            "kind": kind,
            "form": form if is_active and form is not None else UploadForm(organisations=organisations),
            "report": report if is_active else None,
            "organisations": organisations,
        })
    return sections


@login_required
def index(request):
    """The upload forms the user may use; 403 for anyone who is not in an approved university or firm."""
    sections = _sections(request.user)
    if not sections:
        raise PermissionDenied(_("Only members of approved universities and firms can import data."))
    return render(request, "imports/index.html", {"sections": sections, "max_rows": max_rows_in_request()})


@login_required
@throttle_view("imports")
def upload(request, kind: str):
    """Run an upload through the shared import service and show the summary and per-row problems.

    Uploads count against the ``imports`` throttle (per user and per address; 429 when over). The file is
    read in memory, checked by content (``CsvSource.from_upload``) and never stored or served back.
    """
    spec = _kind_or_404(kind)
    organisations = import_organisations(request.user, spec.organisation_kind)
    if not organisations.exists():
        raise PermissionDenied(_("Only members of an approved organisation of this kind can import %(what)s.")
                               % {"what": spec.title})
    if request.method != "POST":
        return redirect("imports:index")
    form = UploadForm(request.POST, request.FILES, organisations=organisations)
    report = None
    if form.is_valid():
        try:
            source = CsvSource.from_upload(form.cleaned_data["file"], max_bytes=settings.UPLOAD_MAX_BYTES)
            rows = source.count_rows()
            if rows > max_rows_in_request():
                raise ImportFileError(
                    _("This file has %(rows)s rows; this page imports up to %(max)s at a time. Split the file, or "
                      "ask a platform operator to run the import command for it.")
                    % {"rows": rows, "max": max_rows_in_request()})
            report = spec.run(source=source, strict=form.cleaned_data["strict"],
                              organisation=form.target_organisation, user=request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    context = {
        "sections": _sections(request.user, active=spec.slug, form=form, report=report),
        "max_rows": max_rows_in_request(),
        "report": report,
        "report_csv_href": ("data:text/csv;charset=utf-8," + quote("\ufeff" + report.to_csv())
                            if report and report.errors else ""),
    }
    return render(request, "imports/index.html", context, status=400 if form.errors else 200)


@login_required
def template(request, kind: str):
    """A CSV template (header and one example row) for this kind of import."""
    spec = _kind_or_404(kind)
    if not import_organisations(request.user, spec.organisation_kind).exists():
        raise PermissionDenied(_("Only members of an approved organisation of this kind can import %(what)s.")
                               % {"what": spec.title})
    body = template_csv([column for column, _required, _help in spec.columns], spec.example)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="talentmatch-{spec.slug}-template.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
