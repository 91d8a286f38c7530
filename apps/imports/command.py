"""What every import command shares: the PATH/--strict/--report options, printing the report, exit codes.

Exit codes: 0 all rows imported, 1 some rows rejected (with --strict: nothing written), 2 the file as a
whole could not be read (encoding, missing columns).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.core.management.base import BaseCommand, CommandError

from .csvio import ImportFileError
from .report import ImportReport

PRINTED_ERRORS = 500


class ImportCommand(ABC, BaseCommand):
    """Base for ``import_skills``, ``import_profiles`` and ``import_vacancies``; each defines ``run_import``."""

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file to import (UTF-8 with or without BOM, or GBK/GB18030).")
        parser.add_argument("--strict", action="store_true",
                            help="Write nothing at all if any row is bad.")
        parser.add_argument("--report", metavar="PATH",
                            help="Also write the per-row report (row, column, value, message, suggestions) as CSV.")

    @abstractmethod
    def run_import(self, **options) -> ImportReport:
        """Read ``options['path']`` and import it; return the report."""

    def handle(self, *args, **options):
        try:
            report = self.run_import(**options)
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.print_report(report, verbosity=options["verbosity"])
        if options.get("report"):
            report.write_csv(options["report"])
            self.stdout.write(f"Per-row report written to {options['report']}")
        if report.rejected:
            raise CommandError(f"{report.rejected} row(s) rejected.", returncode=1)

    def print_report(self, report: ImportReport, *, verbosity: int = 1) -> None:
        if verbosity > 0:
            for item in report.errors_by_row()[:PRINTED_ERRORS]:
                self.stdout.write(str(item))
            hidden = len(report.errors) - PRINTED_ERRORS
            if hidden > 0:
                self.stdout.write(f"... and {hidden} more problem(s); use --report PATH to get them all.")
            for notice in report.notices:
                self.stdout.write(notice)
        rate = report.rows_read / report.seconds if report.seconds else 0
        style = self.style.ERROR if report.rolled_back else (self.style.WARNING if report.errors else
                                                             self.style.SUCCESS)
        self.stdout.write(style(report.summary()))
        if verbosity > 0:
            self.stdout.write(f"{report.rows_read} row(s) read in {report.seconds:.1f} s ({rate:.0f} rows/s).")
