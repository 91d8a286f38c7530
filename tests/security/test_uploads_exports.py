"""Uploads: size limit, type by content, encodings (UTF-8, UTF-8 BOM, GBK/GB18030 from Excel; others refused
naming the line), never served back as HTML. Exports: no cell a spreadsheet would run as a formula."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apps.core.text import FORMULA_STARTS, safe_cell, safe_row, unsafe_cell
from apps.imports.csvio import CsvSource, ImportFileError, template_csv
from apps.imports.report import ImportReport
from apps.talent.models import StudentProfile

HEADER = "external_id,full_name,email\n"
ROWS = HEADER + "S1,王小明,s1@example.edu.cn\nS2,李四,s2@example.edu.cn\n"


def _workbook_bytes():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["external_id", "full_name", "email"])
    book.active.append(["S1", "王小明", "s1@example.edu.cn"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_excel_csv_encodings_import(encoding, newline):
    data = ROWS.replace("\n", newline).encode(encoding)
    source = CsvSource.from_upload(SimpleUploadedFile("roster.csv", data), max_bytes=10_000)
    assert source.header == ["external_id", "full_name", "email"]
    assert [r.values["full_name"] for r in source.rows()] == ["王小明", "李四"]


def test_gb18030_only_characters_import():
    text = HEADER + "S1,𠀀䶮,s1@example.cn\n"  # outside GBK: GB18030 four-byte sequences
    source = CsvSource.from_bytes(text.encode("gb18030"), name="r.csv")
    assert next(source.rows()).values["full_name"] == "𠀀䶮"


def test_a_file_in_another_encoding_fails_naming_the_line():
    data = (HEADER + "S1,Ann,a@example.cn\nS2,Zoë,z@example.cn\n").encode("cp1252")
    data = data.replace("Zoë".encode("cp1252"), b"Zo\xeb\xff")  # Latin-1 bytes invalid in both encodings
    with pytest.raises(ImportFileError, match="neither UTF-8 nor GBK/GB18030 text: line 3 cannot be read"):
        CsvSource.from_bytes(data, name="r.csv")
    with pytest.raises(ImportFileError, match="line 1"):
        CsvSource.from_bytes("a,b\n1,2\n".encode("utf-16"), name="r.csv")


@pytest.mark.parametrize("name, data, message", [
    ("r.csv", _workbook_bytes(), "Excel workbook or zip archive, not CSV text"),
    ("r.csv", b"PK\x03\x04\x14\x00\x00\x00", "Excel workbook or zip archive"),
    ("r.csv", b"%PDF-1.7\n%\xe2\xe3", "PDF file, not a spreadsheet"),
    ("r.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG file"),
    ("r.csv", b"MZ\x90\x00\x03\x00\x00\x00", "Windows program"),
    ("r.csv", b"\x7fELF\x02\x01\x01", "ELF file"),
    ("r.csv", b"<!DOCTYPE html><html><script>alert(1)</script>", "web page"),
    ("r.csv", b"\xef\xbb\xbf  <html><body>x</body></html>", "web page"),
    ("r.csv", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "web page"),
    ("r.xlsx", b"external_id,full_name\nS1,A\n", "not an Excel workbook"),
    ("r.xlsx", b"PK\x05\x06" + b"\x00" * 18, "zip archive, not an Excel workbook"),
])
def test_content_that_is_not_what_the_name_says_is_refused(name, data, message):
    with pytest.raises(ImportFileError, match=message):
        CsvSource.from_upload(SimpleUploadedFile(name, data), max_bytes=10_000_000)


def test_a_plain_zip_named_xlsx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ImportFileError, match="zip archive, not an Excel workbook"):
        CsvSource.from_bytes(out.getvalue(), name="r.xlsx")


def test_a_zip_bomb_workbook_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (30 * 1024 * 1024))  # 30 MB of zeros -> ~30 KB
    data = out.getvalue()
    assert len(data) < 100_000
    with pytest.raises(ImportFileError, match="unpacks to 31 MB"):
        CsvSource.from_bytes(data, name="r.xlsx")


def test_real_workbooks_still_import():
    source = CsvSource.from_upload(SimpleUploadedFile("r.xlsx", _workbook_bytes()), max_bytes=1_000_000)
    assert source.encoding == "xlsx" and next(source.rows()).values["full_name"] == "王小明"


@pytest.mark.parametrize("name", ["r.html", "r.exe", "r.svg", "r.xls", "r", "r.csv.html"])
def test_only_csv_and_xlsx_names_are_accepted(name):
    with pytest.raises(ImportFileError, match="only .csv"):
        CsvSource.from_upload(SimpleUploadedFile(name, ROWS.encode()), max_bytes=10_000)


def test_size_limit_is_enforced_with_a_clear_message():
    big = SimpleUploadedFile("r.csv", (HEADER + "S1,A,a@example.cn\n" * 100).encode())
    with pytest.raises(ImportFileError, match=r"uploads are limited to 0\.0 MB|uploads are limited to"):
        CsvSource.from_upload(big, max_bytes=1000)
    stream = io.BytesIO(b"a\n" + b"1\n" * 1000)  # no declared size: read at most the limit + 1 byte
    with pytest.raises(ImportFileError, match="larger than the upload limit"):
        CsvSource.from_upload(stream, max_bytes=1000)


# --- the page ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_refuses_an_oversized_file_without_a_500(client, university_user, settings):
    settings.UPLOAD_MAX_BYTES = 200
    client.force_login(university_user)
    data = {"file": SimpleUploadedFile("r.csv", (HEADER + "S1,A,a@example.cn\n" * 20).encode())}
    response = client.post("/en/imports/profiles/", data)
    assert response.status_code == 400
    assert "uploads are limited to 0.0 MB" in response.content.decode()
    assert not StudentProfile.objects.filter(external_id="S1").exists()


@pytest.mark.django_db
def test_the_page_refuses_html_and_never_echoes_it(client, university_user):
    client.force_login(university_user)
    payload = b"<html><script>alert('x')</script></html>"
    response = client.post("/en/imports/profiles/", {"file": SimpleUploadedFile("evil.csv", payload)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "web page" in html and "<script>alert('x')</script>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_the_page_imports_excel_csv_in_both_encodings(client, university_user, encoding):
    client.force_login(university_user)
    response = client.post("/en/imports/profiles/",
                           {"file": SimpleUploadedFile("r.csv", ROWS.encode(encoding), content_type="text/csv")})
    assert response.status_code == 200
    assert set(StudentProfile.objects.values_list("external_id", flat=True)) >= {"S1", "S2"}


@pytest.mark.django_db
def test_templates_and_reports_are_attachments_never_sniffed_as_html(client, university_user):
    client.force_login(university_user)
    response = client.get(reverse("imports:template", args=["profiles"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- exports ------------------------------------------------------------------------------------------------


@given(st.text())
def test_safe_cell_never_starts_with_a_formula_character_and_is_reversible(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert not cell.lstrip(" ").startswith(FORMULA_STARTS)
    if text.lstrip(" ").startswith(FORMULA_STARTS) or text.startswith("'"):
        assert cell == "'" + text
    else:
        assert cell == text
    assert unsafe_cell(cell) == text


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()), max_size=8))
def test_safe_row_keeps_numbers_and_neutralises_text(values):
    row = safe_row(values)
    for original, cell in zip(values, row, strict=True):
        if isinstance(original, str):
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS) and unsafe_cell(cell) == original
        else:
            assert cell == original


def _cells(csv_text):
    return [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]


@given(st.lists(st.text(min_size=1).filter(lambda t: "\x00" not in t), min_size=1, max_size=5))
def test_the_import_problem_report_neutralises_every_uploaded_value(values):
    report = ImportReport()
    for i, value in enumerate(values, start=2):
        report.error(i, "email", f"bad: {value}", value=value, suggestions=[value])
    cells = _cells(report.to_csv())
    assert cells and not [c for c in cells if c.lstrip(" ").startswith(FORMULA_STARTS)]
    exported_values = [row[2] for row in list(csv.reader(io.StringIO(report.to_csv())))[1:]]
    assert [unsafe_cell(v) for v in exported_values] == [r.value for r in report.errors_by_row()]


def test_the_classic_payloads_are_neutralised_in_the_problem_report():
    report = ImportReport()
    payloads = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                "  =cmd|' /C calc'!A0"]
    for i, value in enumerate(payloads, start=2):
        report.error(i, "email", "bad", value=value)
    values = [row[2] for row in list(csv.reader(io.StringIO(report.to_csv())))[1:]]
    assert values == ["'" + p for p in payloads]


def test_csv_templates_are_neutralised():
    body = template_csv(["external_id", "=cmd"], ["-1", "ok"]).decode("utf-8-sig")
    assert _cells(body) == ["external_id", "'=cmd", "'-1", "ok"]


def test_every_csv_writer_in_the_code_goes_through_safe_cell():
    """A new CSV/XLSX export must use apps.core.text.safe_cell: this lists every writer in the code."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    writers = {}
    for path in list((root / "apps").rglob("*.py")) + list((root / "worker").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.writer\(|csv\.DictWriter\(|openpyxl\.Workbook\(|\bWorkbook\(\)", text):
            writers[str(path.relative_to(root))] = bool(re.search(r"safe_cell|safe_row|neutralise_cell", text))
    assert writers, "no export found"
    assert {path for path, safe in writers.items() if not safe} == set(), writers
