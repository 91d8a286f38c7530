"""CSV and XLSX downloads of a report's sections, always from the suppressed data (``selectors.report_for``).

Every text cell passes through ``neutralise_cell`` (the shared ``apps.core.text.safe_cell``): a cell starting
with ``= + - @``, a tab or a carriage return gets a leading apostrophe, so no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.text import safe_cell

from .models import ReportSnapshot
from .selectors import report_for

FORMATS = ("csv", "xlsx")
SKILL_COLUMNS = ["code", "label_zh", "label_en", "category", "required_level", "vacancies", "demand", "supply",
                 "shortage_index"]
AREA_COLUMNS = ["code", "label_zh", "label_en", "vacancies", "demand", "supply", "shortage_index"]
TRAINING_COLUMNS = ["id", "label_zh", "label_en", "trained", "completed", "placed", "placement_rate", "target_rate",
                    "meets_target", "median_days_to_placement", "funding", "funding_per_placement"]
# section -> (path in the data, columns); "funnel" and "trend" are flattened by their own functions.
SECTIONS = {
    "skills": (("demand_supply", "skills"), SKILL_COLUMNS),
    "categories": (("demand_supply", "categories"), AREA_COLUMNS),
    "markets": (("demand_supply", "markets"), AREA_COLUMNS),
    "funnel": ((), ["metric", "value"]),
    "programme": (("training", "programme"), TRAINING_COLUMNS),
    "school": (("training", "school"), TRAINING_COLUMNS),
    "partner": (("training", "partner"), TRAINING_COLUMNS),
    "funder": (("training", "funder"), TRAINING_COLUMNS),
    "untaught": (("untaught",), ["code", "label_zh", "label_en", "category", "vacancies", "demand"]),
    "near_miss": (("near_miss",), ["code", "label_zh", "label_en", "students", "pairs", "vacancies"]),
    "trend": ((), ["code", "label_zh", "label_en", "period", "demand", "supply", "shortage_index"]),
}
SECTION_TITLES = {
    "skills": gettext_lazy("Demand and supply by skill"),
    "categories": gettext_lazy("Demand and supply by category"),
    "markets": gettext_lazy("Demand and supply by market"),
    "funnel": gettext_lazy("Match funnel"),
    "programme": gettext_lazy("Training outcomes by programme"),
    "school": gettext_lazy("Training outcomes by school"),
    "partner": gettext_lazy("Training outcomes by partner firm"),
    "funder": gettext_lazy("Training outcomes by funding agency"),
    "untaught": gettext_lazy("Skills in demand no course teaches"),
    "near_miss": gettext_lazy("Near-miss skill gaps"),
    "trend": gettext_lazy("Shortage trend"),
}


def neutralise_cell(value):
    """A cell value no spreadsheet runs as a formula (the project's one rule: ``apps.core.text.safe_cell``)."""
    return safe_cell(value)


def _funnel_rows(data: dict) -> list[list]:
    funnel = data.get("funnel", {})
    rows = [[key, value] for key, value in funnel.items() if key != "score_histogram"]
    rows += [[f"score {bucket['label']}", bucket["candidates"]] for bucket in funnel.get("score_histogram", [])]
    return rows


def _trend_rows(data: dict) -> list[list]:
    return [[skill["code"], skill["label_zh"], skill["label_en"], point["period"], point["demand"], point["supply"],
             point["shortage_index"]]
            for skill in data.get("trend", {}).get("skills", []) for point in skill["points"]]


def section_rows(data: dict, section: str) -> tuple[list[str], list[list]]:
    """The header and rows of one section of (suppressed) report data."""
    if section not in SECTIONS:
        raise ValidationError(_("Unknown report section “%(section)s”.") % {"section": section}, code="section")
    path, columns = SECTIONS[section]
    if section == "funnel":
        return columns, _funnel_rows(data)
    if section == "trend":
        return columns, _trend_rows(data)
    node = data
    for key in path:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return columns, [[row.get(column) for column in columns] for row in (node or [])]


def _cell(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return ""
    return neutralise_cell(value)


def to_csv(data: dict, section: str) -> bytes:
    """One section as CSV, UTF-8 with a BOM so Excel shows Chinese labels correctly."""
    columns, rows = section_rows(data, section)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(column) for column in columns])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(data: dict, section: str) -> bytes:
    """One section (or every section, ``"all"``) as an XLSX workbook, one sheet per section."""
    from openpyxl import Workbook

    sections = list(SECTIONS) if section == "all" else [section]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in sections:
        columns, rows = section_rows(data, name)
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([_cell(column) for column in columns])
        for row in rows:
            sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_bytes(data: dict, section: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file extension) for a section in a format; ValidationError when unknown."""
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown export format “%(format)s”: use csv or xlsx.") % {"format": fmt},
                              code="format")
    if fmt == "csv":
        if section == "all":
            raise ValidationError(_("A CSV file holds one section; choose a section or XLSX."), code="section")
        return to_csv(data, section), "text/csv; charset=utf-8", "csv"
    if section != "all" and section not in SECTIONS:
        section_rows(data, section)  # raises the "unknown section" error
    return (to_xlsx(data, section),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def export_response(snapshot: ReportSnapshot, section: str, fmt: str, user) -> HttpResponse:
    """A download of one section of ``snapshot`` for ``user``, from the suppressed data.

    Raises PermissionDenied when the user may not see the snapshot, ValidationError for an unknown section or
    format, or when the snapshot is not built yet.
    """
    data = report_for(user, snapshot)
    if snapshot.status != "done":
        raise ValidationError(_("This report is not ready yet."), code="not_ready")
    content, content_type, extension = export_bytes(data, section, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{snapshot.period}-{section}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
