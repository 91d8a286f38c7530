"""Reading the files people make: CSV in UTF-8 (BOM or not) or GBK/GB18030 as Excel saves it in China, and
Excel workbooks (.xlsx, first sheet).

A file in neither encoding, an old binary .xls, a file over the upload limit or one missing required
columns is refused with an ``ImportFileError`` whose message says what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

ENCODINGS = ("utf-8-sig", "gb18030")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (encoding, size, format or missing columns)."""


def normalize_header(name: str) -> str:
    """``External ID`` / ``external-id`` / ``ｅｍａｉｌ`` -> ``external_id`` / ``email``."""
    text = unicodedata.normalize("NFKC", name or "").replace("\ufeff", "").strip().casefold()
    return "_".join(text.replace("-", " ").split())


def decode_bytes(data: bytes, *, name: str) -> tuple[str, str]:
    """Decode as UTF-8 (BOM optional) or else GB18030 (a superset of GBK); return (text, encoding)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("%(name)s is an old Excel (.xls) workbook. In Excel choose File > Save As > \"CSV UTF-8 (comma "
              "delimited)\" or \"Excel Workbook (.xlsx)\" and upload that file.") % {"name": name}
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise ImportFileError(
        _("%(name)s is neither UTF-8 nor GBK/GB18030 text. Save it as \"CSV UTF-8 (comma delimited)\" "
          "and try again.") % {"name": name}
    )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2026 and 13800000000 as floats
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def xlsx_records(data: bytes, *, name: str) -> list[list[str]]:
    """The first worksheet's rows as lists of text cells."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise ImportFileError(_("%(name)s is not a readable Excel workbook (.xlsx): %(error)s")
                              % {"name": name, "error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


@dataclass
class CsvRow:
    """One non-blank data row: its spreadsheet row number and its cells keyed by normalised column name."""

    number: int
    values: dict[str, str]
    extra_cells: int = 0

    def get(self, column: str) -> str:
        return self.values.get(column, "")


class CsvSource:
    """A decoded CSV file that importers read rows from; build it from a path, bytes or an upload."""

    def __init__(self, text: str = "", *, name: str = "upload.csv", encoding: str = "utf-8",
                 records: list[list[str]] | None = None):
        self.name = name
        self.encoding = encoding
        self.text = text
        self.records = records
        first_line = text.split("\n", 1)[0]
        self.delimiter = ","
        if records is None and "," not in first_line:
            if "\t" in first_line:
                self.delimiter = "\t"
            elif ";" in first_line:
                self.delimiter = ";"
        try:
            self.header = [normalize_header(h) for h in next(self._records(), [])]
        except csv.Error as exc:
            raise ImportFileError(_("%(name)s is not a readable CSV file: %(error)s")
                                  % {"name": name, "error": exc}) from exc
        if not any(self.header):
            raise ImportFileError(_("%(name)s is empty: the first row must name the columns.") % {"name": name})
        duplicates = sorted({h for h in self.header if h and self.header.count(h) > 1})
        if duplicates:
            raise ImportFileError(_("%(name)s names these columns more than once: %(columns)s.")
                                  % {"name": name, "columns": ", ".join(duplicates)})

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str = "upload.csv") -> CsvSource:
        """A CSV (UTF-8 or GBK) or an .xlsx workbook (recognised by its zip signature)."""
        if data.startswith(b"PK\x03\x04"):
            return cls(name=name, encoding="xlsx", records=xlsx_records(data, name=name))
        text, encoding = decode_bytes(data, name=name)
        return cls(text, name=name, encoding=encoding)

    @classmethod
    def from_path(cls, path: str | Path) -> CsvSource:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(_("Cannot read %(name)s: %(error)s") % {"name": str(path), "error": exc.strerror}
                                  ) from exc
        return cls.from_bytes(data, name=path.name)

    @classmethod
    def from_upload(cls, upload, *, max_bytes: int) -> CsvSource:
        """Read an uploaded file, refusing one over ``max_bytes`` before reading it."""
        name = getattr(upload, "name", "upload.csv") or "upload.csv"
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ImportFileError(
                _("%(name)s is %(size).1f MB; uploads are limited to %(limit).1f MB. Split the file or ask an "
                  "operator to run the import command.") % {"name": name, "size": size / 1e6, "limit": max_bytes / 1e6}
            )
        data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
        if len(data) > max_bytes:
            raise ImportFileError(_("%(name)s is larger than the upload limit.") % {"name": name})
        return cls.from_bytes(data, name=name)

    def _records(self) -> Iterator[list[str]]:
        if self.records is not None:
            return iter(self.records)
        return csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)

    def check_columns(self, required: Iterable[str]) -> None:
        """Raise naming every required column the header lacks."""
        missing = [c for c in required if c not in self.header]
        if missing:
            raise ImportFileError(
                _("%(name)s is missing required column(s): %(missing)s. The first row must name the columns "
                  "(download the template to see them).") % {"name": self.name, "missing": ", ".join(missing)}
            )

    def rows(self) -> Iterator[CsvRow]:
        """Data rows (header is row 1); blank rows are skipped but still counted in row numbers."""
        records = self._records()
        try:
            next(records, None)
            width = len(self.header)
            for number, record in enumerate(records, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                extra = sum(1 for cell in record[width:] if cell.strip())
                values = {column: cell.strip() for column, cell in zip(self.header, record, strict=False) if column}
                yield CsvRow(number=number, values=values, extra_cells=extra)
        except csv.Error as exc:
            raise ImportFileError(_("%(name)s is not a readable CSV file: %(error)s")
                                  % {"name": self.name, "error": exc}) from exc

    def count_rows(self) -> int:
        return sum(1 for _row in self.rows())


def template_csv(columns: list[str], example: list[str]) -> bytes:
    """A header plus one example row, UTF-8 with BOM so Excel opens Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow(example)
    return out.getvalue().encode("utf-8-sig")
