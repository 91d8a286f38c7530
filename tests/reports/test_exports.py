"""Exports neutralise cells a spreadsheet would run as formulas, in CSV and XLSX, and carry every section."""

import csv
import io

import pytest
from openpyxl import load_workbook

from apps.reports import exports
from apps.reports.models import ReportSnapshot, current_period
from apps.reports.services.build import build_snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("  =1", "'  =1"), ("plain", "plain"), ("<5", "<5"), (-0.5, -0.5), (3, 3), (None, None),
])
def test_neutralise_cell(value, expected):
    assert exports.neutralise_cell(value) == expected


def test_formula_like_labels_are_neutralised_in_csv_and_xlsx(report_world, government_user):
    snapshot = build_snapshot(ReportSnapshot.objects.create(period=current_period()))
    text = exports.export_response(snapshot, "partner", "csv", government_user).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    labels = [row[1] for row in rows[1:]]
    assert labels and all(label.startswith("'=HYPERLINK") for label in labels)

    workbook = load_workbook(io.BytesIO(exports.export_response(snapshot, "all", "xlsx", government_user).content))
    sheet = workbook["partner"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells and all(cell.startswith("'=HYPERLINK") for cell in cells)
    for sheet in workbook.worksheets:  # no cell anywhere is a live formula
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_every_section_exports_its_rows(report_world, government_user):
    snapshot = build_snapshot(ReportSnapshot.objects.create(period=current_period()))
    data = snapshot.data
    for section in exports.SECTIONS:
        header, rows = exports.section_rows(data, section)
        content = exports.export_response(snapshot, section, "csv", government_user).content.decode("utf-8-sig")
        parsed = list(csv.reader(io.StringIO(content)))
        assert parsed[0] == header
        assert len(parsed) - 1 == len(rows)
    assert len(exports.section_rows(data, "skills")[1]) == len(data["demand_supply"]["skills"])
    assert len(exports.section_rows(data, "funnel")[1]) == len(data["funnel"]) - 1 + 10
