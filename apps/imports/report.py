"""What an import did: counts, one entry per problem found in a row, and the CSV form of that report.

Row numbers count the header as row 1, so they match the row numbers a spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.text import safe_row


@dataclass
class RowError:
    """One problem in one row: which column, the offending value, what is wrong and what may have been meant."""

    row: int
    column: str
    message: str
    value: str = ""
    suggestions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where += ", " + _("column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """Counts of created/updated/unchanged rows plus every rejected row's problems.

    ``rolled_back`` is set when a strict import found a bad row and therefore wrote nothing.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rows_read: int = 0
    strict: bool = False
    rolled_back: bool = False
    seconds: float = 0.0

    def error(self, row: int, column: str, message: str, *, value: str = "",
              suggestions: list[str] | None = None) -> RowError:
        """Record one problem of one row."""
        item = RowError(row=row, column=column, message=str(message), value=value or "",
                        suggestions=list(suggestions or []))
        self.errors.append(item)
        return item

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row})

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> int:
        return self.created + self.updated

    def add_counts(self, *, created: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        self.created += created
        self.updated += updated
        self.unchanged += unchanged

    def summary(self) -> str:
        """One line for people: what was done, or (strict) why nothing was."""
        counts = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        if self.rolled_back:
            return ngettext(
                "Strict mode: %(rejected)s row was rejected, so nothing was written (%(counts)s).",
                "Strict mode: %(rejected)s rows were rejected, so nothing was written (%(counts)s).",
                self.rejected,
            ) % {"rejected": self.rejected, "counts": counts}
        return _("%(counts)s.") % {"counts": counts}

    def errors_by_row(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row, e.column))

    def to_csv(self) -> str:
        """The per-row report as CSV text (row, column, value, message, suggestions)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", "column", "value", "message", "suggestions"])
        for item in self.errors_by_row():
            # ``value`` is what the uploaded file held: never let a spreadsheet run it as a formula.
            writer.writerow(safe_row([item.row, item.column, item.value, item.message, "; ".join(item.suggestions)]))
        return out.getvalue()

    def write_csv(self, path) -> None:
        """Write ``to_csv()`` to ``path`` with a BOM so Excel shows Chinese text correctly."""
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(self.to_csv())
