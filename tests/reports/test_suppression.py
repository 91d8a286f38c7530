"""No group under 5 people reaches a government user: the API JSON, CSV and XLSX are swept for small people
counts, for rates derived from small groups and for names or e-mail addresses."""

import csv
import io

import pytest
from openpyxl import load_workbook

from apps.reports import exports
from apps.reports.models import ReportSnapshot, current_period
from apps.reports.selectors import report_for
from apps.reports.services.build import build_snapshot
from apps.reports.suppression import DERIVED_FROM, PEOPLE_KEYS, suppress

pytestmark = pytest.mark.django_db


def is_small_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value < 5
    if isinstance(value, str):
        try:
            return float(value) < 5
        except ValueError:
            return False
    return False


def sweep(node, path=""):
    """Every (path, key, value) of people counts in a nested structure, and the rows they sit in."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PEOPLE_KEYS:
                yield path, key, value, node
            yield from sweep(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from sweep(item, f"{path}[{index}]")


def identities(world):
    out = []
    for profile in world["students"]:
        out += [profile.user.email, profile.user.full_name]
    return out


@pytest.fixture
def snapshot(report_world):
    return build_snapshot(ReportSnapshot.objects.create(period=current_period()))


def test_the_raw_report_has_small_groups_to_hide(snapshot):
    """The sweep below is meaningful: the unsuppressed data holds people counts of 1-4."""
    small = [(path, key) for path, key, value, _row in sweep(snapshot.data) if is_small_number(value) and value]
    assert len(small) >= 5
    assert any(path.startswith(".training") for path, _key in small)


def test_no_small_group_or_identity_in_the_api_answer(snapshot, report_world, client_for, government_user):
    response = client_for(government_user).get(f"/api/v1/reports/{snapshot.pk}/")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["training"]["programme"]
    for path, key, value, row in sweep(data):
        assert not is_small_number(value), f"{path}.{key} = {value!r}"
        if value == "<5":
            for derived, bases in DERIVED_FROM.items():
                if key in bases and derived in row:
                    assert row[derived] is None, f"{path}.{derived} is derived from a small group"
    text = response.content.decode()
    for identity in identities(report_world):
        assert identity not in text
    assert "@" not in text


def test_small_programme_row_is_suppressed_with_its_rate(snapshot, report_world, government_user):
    data = report_for(government_user, snapshot)
    small = next(r for r in data["training"]["programme"] if r["id"] == str(report_world["programmes"]["small"].pk))
    assert small["trained"] == "<5" and small["completed"] == "<5"
    assert small["placement_rate"] is None and small["median_days_to_placement"] is None
    assert small["funding_per_placement"] is None and small["meets_target"] is None
    big = next(r for r in data["training"]["programme"] if r["id"] == str(report_world["programmes"]["big"].pk))
    assert big["trained"] == 12  # 18 enrollments less 3 dropped and 3 only applied (holding no place)


@pytest.mark.parametrize("section", list(exports.SECTIONS))
def test_no_small_group_or_identity_in_csv_exports(snapshot, report_world, government_user, section):
    response = exports.export_response(snapshot, section, "csv", government_user)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    people_columns = [i for i, column in enumerate(header) if column in PEOPLE_KEYS]
    for row in body:
        for index in people_columns:
            assert not is_small_number(row[index]), f"{section}: {header[index]} = {row[index]!r}"
        if section == "funnel" and (row[0] in PEOPLE_KEYS or row[0].startswith("score ")):
            assert not is_small_number(row[1]), row
    for identity in identities(report_world):
        assert identity not in text


def test_no_small_group_or_identity_in_the_xlsx_workbook(snapshot, report_world, government_user):
    response = exports.export_response(snapshot, "all", "xlsx", government_user)
    workbook = load_workbook(io.BytesIO(response.content))
    assert set(workbook.sheetnames) == set(exports.SECTIONS)
    seen = 0
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        for row in body:
            for column, value in zip(header, row, strict=True):
                funnel_count = sheet.title == "funnel" and column == "value" and (
                    row[0] in PEOPLE_KEYS or row[0].startswith("score "))
                if column in PEOPLE_KEYS or funnel_count:
                    seen += 1
                    assert not is_small_number(value), (sheet.title, column, value)
                assert not (isinstance(value, str) and "@" in value)
                for identity in identities(report_world):
                    assert value != identity
    assert seen > 20


def test_suppress_leaves_vacancies_and_money_and_drops_identities():
    raw = {"funnel": {"vacancies_none": 2, "hires": 3, "filled_vacancies": 2, "median_days_to_fill": 4.0},
           "rows": [{"supply": 0, "demand": 2, "shortage_index": 1.0, "email": "a@b.cn"},
                    {"supply": 7, "demand": 2, "shortage_index": -0.71, "label_en": "x@y.com"}]}
    out = suppress(raw)
    assert out["funnel"] == {"vacancies_none": 2, "hires": "<5", "filled_vacancies": "<5",
                             "median_days_to_fill": None}
    assert out["rows"][0] == {"supply": "<5", "demand": 2, "shortage_index": None}
    assert out["rows"][1] == {"supply": 7, "demand": 2, "shortage_index": -0.71, "label_en": ""}
    assert raw["funnel"]["hires"] == 3  # a copy: the stored data keeps its raw counts
