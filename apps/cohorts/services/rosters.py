"""Roster uploads: the page stores the file and the worker imports it, keeping the per-row report.

The upload is checked at once (encoding, size, required columns) so a wrong file is refused on the page;
the rows are imported by the ``cohorts.import_roster`` task, which runs in the request when no broker is
configured. Running an import twice does nothing the second time.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.imports.csvio import CsvSource, ImportFileError

from ..imports import REQUIRED_COLUMNS, roster_import
from ..models import Cohort, RosterImport, RosterImportStatus
from .catalogue import require_editable

log = logging.getLogger(__name__)
STORED_ERRORS = 1000


def roster_upload(*, cohort: Cohort, user, upload, strict: bool = False) -> RosterImport:
    """Store an uploaded roster for ``cohort`` and queue its import; raise ``ImportFileError`` for a bad file."""
    require_editable(Cohort.objects, cohort, user, _("Only staff running this cohort can import its roster."))
    source = CsvSource.from_upload(upload, max_bytes=settings.UPLOAD_MAX_BYTES)
    source.check_columns(REQUIRED_COLUMNS)
    with transaction.atomic():
        run = RosterImport.objects.create(cohort=cohort, uploaded_by=user, file_name=source.name[:255],
                                          source_text=source.text, strict=strict)
        from worker.tasks.cohorts import import_roster

        transaction.on_commit(partial(import_roster.apply_async, kwargs={"roster_import_id": run.pk}))
    return run


def roster_import_run(*, roster_import_id: int) -> RosterImport:
    """Import a stored roster once and keep its report (idempotent: a started import is not run again)."""
    with transaction.atomic():
        run = RosterImport.objects.select_for_update(of=("self",)).select_related("cohort", "uploaded_by").get(
            pk=roster_import_id)
        if run.status != RosterImportStatus.PENDING:
            return run
        run.status = RosterImportStatus.RUNNING
        run.save(update_fields=["status"])
    try:
        report = roster_import(cohort=run.cohort, rows_source=CsvSource(run.source_text, name=run.file_name),
                               strict=run.strict, user=run.uploaded_by)
    except ImportFileError as exc:
        run.status, run.failure = RosterImportStatus.FAILED, str(exc)
    except Exception as exc:
        log.exception("roster import %s failed", run.pk)
        run.status, run.failure = RosterImportStatus.FAILED, _("The import stopped: %(error)s") % {"error": exc}
    else:
        run.status = RosterImportStatus.DONE
        run.rows_read, run.created, run.updated = report.rows_read, report.created, report.updated
        run.unchanged, run.rejected, run.rolled_back = report.unchanged, report.rejected, report.rolled_back
        run.summary = report.summary()
        run.errors_csv = report.to_csv() if report.errors else ""
        run.errors = [{"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                      for e in report.errors_by_row()[:STORED_ERRORS]]
        run.notices = list(report.notices)
    run.finished_at = timezone.now()
    run.save()
    return run
