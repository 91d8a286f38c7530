"""Reading the files people make: CSV in UTF-8 (BOM or not) or GBK/GB18030 as Excel saves it in China, and
Excel workbooks (.xlsx, first sheet).

A file in neither encoding (the message names the line), an old binary .xls, a file over the upload limit,
one whose content is not what its name says (a workbook or zip named .csv, a web page, a picture, a
program), a workbook that unpacks to more than ``XLSX_MAX_UNPACKED_BYTES``, or one missing required columns
is refused with an ``ImportFileError`` whose message says what to do. Uploaded bytes are never stored or
served back: only the decoded rows are used.
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

from apps.core.text import safe_row

ENCODINGS = ("utf-8-sig", "gb18030")
UPLOAD_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a workbook is zip-compressed: refuse "zip bombs"
XLSX_MAX_RATIO = 200  # unpacked / packed size; real workbooks compress about 5-20 times

# Signatures of files people upload by mistake (or on purpose): what the file is, by its first bytes.
_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x7fELF", "ELF"),
    (b"MZ\x90\x00", "Windows program"),
    (b"{\\rtf", "RTF"),
)
_MARKUP_STARTS = ("<!doctype", "<html", "<head", "<body", "<script", "<svg", "<?xml", "<iframe", "<meta", "<a ",
                  "<div", "<table", "<style", "<object", "<embed")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (encoding, size, format or missing columns)."""


def normalize_header(name: str) -> str:
    """``External ID`` / ``external-id`` / ``ｅｍａｉｌ`` -> ``external_id`` / ``email``."""
    text = unicodedata.normalize("NFKC", name or "").replace("\ufeff", "").strip().casefold()
    return "_".join(text.replace("-", " ").split())


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, *, name: str) -> tuple[str, str]:
    """Decode as UTF-8 (BOM optional) or else GB18030 (a superset of GBK); return (text, encoding).

    A file in neither is refused naming the line where decoding stopped (in the encoding that got furthest).
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("%(name)s is an old Excel (.xls) workbook. In Excel choose File > Save As > \"CSV UTF-8 (comma "
              "delimited)\" or \"Excel Workbook (.xlsx)\" and upload that file.") % {"name": name}
        )
    stopped_at = 0
    if b"\x00" in data:  # UTF-16/32 or a binary file: both decodings would "succeed" with NULs in the text
        stopped_at = data.index(b"\x00")
    else:
        for encoding in ENCODINGS:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                stopped_at = max(stopped_at, exc.start)
    raise ImportFileError(
        _("%(name)s is neither UTF-8 nor GBK/GB18030 text: line %(line)s cannot be read. Save it as \"CSV UTF-8 "
          "(comma delimited)\" and try again.") % {"name": name, "line": _line_of(data, stopped_at)}
    )


def check_content(data: bytes, *, name: str) -> None:
    """Refuse a file whose content is not a spreadsheet, or not the kind its name says (.csv text, .xlsx)."""
    lowered = name.lower()
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(_("%(name)s is a %(kind)s file, not a spreadsheet. Upload a CSV file or an "
                                    "Excel workbook (.xlsx).") % {"name": name, "kind": kind})
    is_zip = data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06")
    if is_zip and not lowered.endswith(".xlsx"):
        raise ImportFileError(_("%(name)s is an Excel workbook or zip archive, not CSV text. Upload it with its "
                                ".xlsx name, or in Excel choose File > Save As > \"CSV UTF-8 (comma delimited)\".")
                              % {"name": name})
    if lowered.endswith(".xlsx") and not is_zip and not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("%(name)s is named .xlsx but is not an Excel workbook. Open it in Excel and save "
                                "it again as \"Excel Workbook (.xlsx)\".") % {"name": name})
    if not is_zip:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith(tuple(m.encode() for m in _MARKUP_STARTS)):
            raise ImportFileError(_("%(name)s is a web page or XML document (HTML), not a spreadsheet. Upload a CSV "
                                    "file or an Excel workbook (.xlsx).") % {"name": name})


def check_xlsx_archive(data: bytes, *, name: str) -> None:
    """An .xlsx is a zip holding a workbook: refuse other zips and ones that unpack to a huge size."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(_("%(name)s is not a readable Excel workbook (.xlsx): %(error)s")
                              % {"name": name, "error": exc}) from exc
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        raise ImportFileError(_("%(name)s is a zip archive, not an Excel workbook (.xlsx).") % {"name": name})
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNPACKED_BYTES or unpacked > XLSX_MAX_RATIO * max(len(data), 1):
        raise ImportFileError(_("%(name)s unpacks to %(size).0f MB, more than a spreadsheet of this size can "
                                "hold; it is refused. Save it again from Excel, or as CSV.")
                              % {"name": name, "size": unpacked / 1e6})


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

    check_xlsx_archive(data, name=name)
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
        """A CSV (UTF-8 or GBK) or an .xlsx workbook (recognised by its zip signature), checked by content."""
        check_content(data, name=name)
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
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
        """Read an uploaded file, refusing one over ``max_bytes`` (before reading it) or of another type."""
        name = Path(getattr(upload, "name", "upload.csv") or "upload.csv").name
        if not name.lower().endswith(UPLOAD_EXTENSIONS):
            raise ImportFileError(_("%(name)s: only .csv (or .txt/.tsv) text files and .xlsx Excel workbooks can be "
                                    "imported.") % {"name": name})
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise ImportFileError(
                _("%(name)s is %(size).1f MB; uploads are limited to %(limit).1f MB. Split the file or ask an "
                  "operator to run the import command.") % {"name": name, "size": size / 1e6, "limit": max_bytes / 1e6}
            )
        data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read(max_bytes + 1)
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
    writer.writerow(safe_row(columns))
    writer.writerow(safe_row(example))
    return out.getvalue().encode("utf-8-sig")
