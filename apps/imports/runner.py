"""The import loop every bulk import shares: read rows, parse them, write good ones in batches.

Bad rows never stop good rows, unless ``strict``: then the whole run is one transaction that is rolled
back when any row is bad. Per-object match triggers are suppressed during the load and one full
re-match runs at the end (when the matching app provides ``full_rematch_after_import``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from apps.core import respcache
from apps.matching import triggers

from .csvio import CsvRow, CsvSource
from .items import CellError
from .report import ImportReport, RowError

log = logging.getLogger(__name__)
BATCH_SIZE = 1000


@dataclass
class BatchResult:
    """What writing one batch did; applied to the report only once the batch has committed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def error(self, row: int, column: str, message: str, *, value: str = "",
              suggestions: list[str] | None = None) -> None:
        self.errors.append(RowError(row=row, column=column, message=str(message), value=value or "",
                                    suggestions=list(suggestions or [])))


class RowErrors:
    """Collects the problems of one row while it is parsed, so every bad cell is reported at once."""

    def __init__(self, report: ImportReport, row: CsvRow):
        self.report = report
        self.row = row
        self.count = 0

    def add(self, column: str, message: str, *, value: str = "", suggestions: list[str] | None = None) -> None:
        self.report.error(self.row.number, column, message, value=value, suggestions=suggestions)
        self.count += 1

    def cell(self, column: str, parse: Callable[..., Any], *args, **kwargs) -> Any:
        """``parse(*args, **kwargs)``; a ``CellError`` is recorded against ``column`` and ``None`` returned."""
        try:
            return parse(*args, **kwargs)
        except CellError as exc:
            self.add(column, str(exc), value=exc.value or self.row.get(column), suggestions=exc.suggestions)
            return None

    def require(self, column: str, max_length: int | None = None) -> str:
        value = self.row.get(column)
        if not value:
            self.add(column, _("%(column)s is required") % {"column": column})
        elif max_length and len(value) > max_length:
            self.add(column, _("%(column)s is longer than %(max)s characters") % {"column": column, "max": max_length},
                     value=value[:50])
        return value

    def optional(self, column: str, max_length: int) -> str:
        value = self.row.get(column)
        if len(value) > max_length:
            self.add(column, _("%(column)s is longer than %(max)s characters") % {"column": column, "max": max_length},
                     value=value[:50])
        return value

    @property
    def bad(self) -> bool:
        return self.count > 0


class Importer(Protocol):
    """One kind of import: its columns, how a row is parsed and how a batch of parsed rows is written."""

    required_columns: tuple[str, ...]
    optional_columns: tuple[str, ...]

    def parse(self, row: CsvRow, errors: RowErrors) -> Any | None: ...

    def write(self, items: list[Any]) -> BatchResult: ...

    def row_number(self, item: Any) -> int: ...

    def forget(self) -> None:
        """Drop caches that a rolled-back batch may have made stale."""


def run_import(*, source: CsvSource, importer: Importer, strict: bool = False,
               batch_size: int = BATCH_SIZE) -> ImportReport:
    """Import every row of ``source`` with ``importer``; see the module docstring for the rules."""
    started = time.monotonic()
    report = ImportReport(strict=strict)
    source.check_columns(importer.required_columns)
    known = set(importer.required_columns) | set(importer.optional_columns)
    ignored = [c for c in source.header if c and c not in known]
    if ignored:
        report.notices.append(_("Ignored column(s): %(columns)s.") % {"columns": ", ".join(ignored)})
    # one response-cache bump per counter for the whole file, not one per saved row
    with triggers.suppressed(), respcache.batched():
        if strict:
            with transaction.atomic():
                _run(source, importer, report, batch_size)
                if report.errors:
                    transaction.set_rollback(True)
                    report.rolled_back = True
        else:
            _run(source, importer, report, batch_size)
    if report.written and not report.rolled_back:
        _rematch(report)
    report.seconds = time.monotonic() - started
    return report


def _run(source: CsvSource, importer: Importer, report: ImportReport, batch_size: int) -> None:
    batch: list[Any] = []
    for row in source.rows():
        report.rows_read += 1
        if row.extra_cells:
            report.error(row.number, "", _("this row has more cells than the header has columns"))
            continue
        errors = RowErrors(report, row)
        item = importer.parse(row, errors)
        if item is None or errors.bad:
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            _write(importer, batch, report)
            batch = []
    if batch:
        _write(importer, batch, report)


def _write(importer: Importer, items: list[Any], report: ImportReport) -> None:
    try:
        with transaction.atomic():
            result = importer.write(items)
    except DatabaseError as exc:
        importer.forget()
        if len(items) == 1:
            log.warning("import row %s could not be saved: %s", importer.row_number(items[0]), exc)
            report.error(importer.row_number(items[0]), "",
                         _("this row could not be saved: %(error)s") % {"error": str(exc).splitlines()[0]})
            return
        # Something in the batch clashed with the database (e.g. a concurrent edit): retry row by row so
        # only the offending rows are rejected.
        for item in items:
            _write(importer, [item], report)
        return
    report.add_counts(created=result.created, updated=result.updated, unchanged=result.unchanged)
    report.errors.extend(result.errors)


def _rematch(report: ImportReport) -> None:
    from apps.matching import services

    hook = getattr(services, "full_rematch_after_import", None)
    if not callable(hook):
        return
    try:
        hook()
    except Exception as exc:  # the data is in; matching catches up on its nightly run
        log.exception("full re-match after import failed")
        report.notices.append(_("The import is saved, but re-matching could not be started: %(error)s")
                              % {"error": exc})
