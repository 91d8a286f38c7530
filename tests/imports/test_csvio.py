"""Reading the CSV files people make: encodings, headers, blank rows, row numbers, size."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.imports.csvio import CsvSource, ImportFileError
from tests.imports.conftest import csv_bytes

ROWS = [["External ID", "Full Name", "Email"], ["S1", "王小明", "wang@example.cn"], ["S2", "吕 Lü", "lv@example.cn"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_utf8_with_or_without_bom_and_gbk_decode_alike(encoding):
    source = CsvSource.from_bytes(csv_bytes(ROWS, encoding=encoding))
    assert source.header == ["external_id", "full_name", "email"]
    rows = list(source.rows())
    assert rows[0].values == {"external_id": "S1", "full_name": "王小明", "email": "wang@example.cn"}
    assert rows[1].values["full_name"] == "吕 Lü"
    assert source.encoding in {"utf-8-sig", "gb18030"}


def test_a_file_in_neither_encoding_is_refused_clearly():
    with pytest.raises(ImportFileError, match="neither UTF-8 nor GBK"):
        CsvSource.from_bytes("external_id,full_name\nS1,王".encode("utf-16"), name="roster.csv")
    with pytest.raises(ImportFileError, match="neither UTF-8 nor GBK"):
        CsvSource.from_bytes(b"external_id,name\nS1,\xff\xfe\x80", name="roster.csv")


def test_xlsx_workbooks_are_read_from_their_first_sheet():
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["External ID", "Full name", "graduation_year", "deadline", "remote"])
    sheet.append(["S1", "王小明", 2026, dt.datetime(2026, 9, 30), True])
    sheet.append([None, None, None, None, None])
    sheet.append(["S2", "李四", 2027.0, dt.date(2026, 1, 2), False])
    out = io.BytesIO()
    workbook.save(out)
    source = CsvSource.from_bytes(out.getvalue(), name="roster.xlsx")
    assert source.encoding == "xlsx" and source.header[:2] == ["external_id", "full_name"]
    assert [(r.number, list(r.values.values())) for r in source.rows()] == [
        (2, ["S1", "王小明", "2026", "2026-09-30", "yes"]), (4, ["S2", "李四", "2027", "2026-01-02", "no"])]


def test_damaged_workbooks_and_old_xls_are_refused_with_advice():
    with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
        CsvSource.from_bytes(b"PK\x03\x04rest-of-zip", name="roster.xlsx")
    with pytest.raises(ImportFileError, match="old Excel"):
        CsvSource.from_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", name="roster.xls")


def test_missing_required_columns_are_named():
    source = CsvSource.from_bytes(b"external_id,school\nS1,X\n", name="roster.csv")
    with pytest.raises(ImportFileError) as exc:
        source.check_columns(["external_id", "full_name", "email"])
    assert "full_name, email" in str(exc.value) and "roster.csv" in str(exc.value)


def test_empty_file_and_duplicate_columns():
    with pytest.raises(ImportFileError, match="empty"):
        CsvSource.from_bytes(b"", name="x.csv")
    with pytest.raises(ImportFileError, match="more than once: email"):
        CsvSource.from_bytes(b"email,Email\n", name="x.csv")


def test_blank_lines_are_skipped_but_counted_and_multiline_cells_are_one_row():
    text = 'a,b\r\n1,"x\ny"\r\n\r\n , \r\n2,z\r\n'
    source = CsvSource.from_bytes(text.encode())
    assert [(r.number, r.values) for r in source.rows()] == [(2, {"a": "1", "b": "x\ny"}), (5, {"a": "2", "b": "z"})]


def test_extra_cells_are_flagged():
    source = CsvSource.from_bytes(b"a,b\n1,2,3\n1,2,,\n")
    assert [r.extra_cells for r in source.rows()] == [1, 0]


def test_semicolon_and_tab_delimited_files():
    assert CsvSource.from_bytes(b"a;b\n1;2\n").header == ["a", "b"]
    assert list(CsvSource.from_bytes(b"a\tb\n1\t2\n").rows())[0].values == {"a": "1", "b": "2"}


def test_upload_over_the_limit_is_refused_before_reading():
    upload = SimpleUploadedFile("big.csv", b"a\n" + b"1\n" * 600)
    with pytest.raises(ImportFileError, match="limited to"):
        CsvSource.from_upload(upload, max_bytes=1000)
    assert CsvSource.from_upload(io.BytesIO(b"a\n1\n"), max_bytes=1000).count_rows() == 1
