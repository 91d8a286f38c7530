"""Roster import for one cohort (``manage.py import_roster`` and the cohort's upload page).

Columns: ``email_or_external_id`` (required) and ``status, attendance, grade, completed_on`` (optional). Each row
puts an existing student (found by account email or by the external id the university imported them with)
on the roster, or changes their status, attendance and grade: completions and grades in bulk. A column left
out of the file leaves that value as it is; a blank ``attendance`` or ``grade`` cell clears it; a blank
``status`` keeps the current one (``enrolled`` for a new row). Rows that would take a place when the cohort is
full are rejected with that reason; completing credits the course's skills, moving away from completed takes
the credit back, as on the roster page.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.text import normalize
from apps.imports.csvio import CsvRow, CsvSource
from apps.imports.items import CellError, parse_date
from apps.imports.report import ImportReport
from apps.imports.runner import BATCH_SIZE, BatchResult, RowErrors, run_import
from apps.talent.models import StudentProfile

from .models import SEAT_STATUSES, Cohort, Enrollment, EnrollmentStatus
from .services.credits import credits_grant, credits_revoke
from .services.locks import lock_cohort, seats_taken

KEY = "email_or_external_id"
REQUIRED_COLUMNS = (KEY,)
OPTIONAL_COLUMNS = ("status", "attendance", "grade", "completed_on")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
TEMPLATE_EXAMPLE = ["S2025001", "completed", "95", "优秀", "2026-06-30"]
STATUSES = {
    **dict.fromkeys(("applied", "apply", "application", "申请", "已申请", "报名", "已报名"), EnrollmentStatus.APPLIED),
    **dict.fromkeys(("enrolled", "enroll", "admitted", "在读", "在学", "录取", "已录取", "参加"),
                    EnrollmentStatus.ENROLLED),
    **dict.fromkeys(("completed", "complete", "passed", "pass", "done", "结业", "已结业", "完成", "已完成", "合格",
                     "通过"), EnrollmentStatus.COMPLETED),
    **dict.fromkeys(("failed", "fail", "不合格", "未通过", "未结业"), EnrollmentStatus.FAILED),
    **dict.fromkeys(("dropped", "drop", "withdrawn", "退出", "退学", "放弃", "已退出"), EnrollmentStatus.DROPPED),
}
GRADE_MAX = 16
_UNSET = object()


@dataclass
class RosterRow:
    """One parsed roster row; ``None``/``_UNSET`` fields leave the stored value as it is."""

    number: int
    key: str
    status: str | None = None
    attendance: object = _UNSET
    grade: object = _UNSET
    completed_on: dt.date | None = None


def parse_attendance(text: str) -> Decimal | None:
    """``95``, ``95.5`` or ``95%`` (full-width digits too); empty clears it."""
    token = unicodedata.normalize("NFKC", text or "").strip().rstrip("%").strip()
    if not token:
        return None
    try:
        value = Decimal(token)
    except InvalidOperation:
        raise CellError(_("%(value)s is not a percentage from 0 to 100") % {"value": text}, value=text) from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise CellError(_("%(value)s is not a percentage from 0 to 100") % {"value": text}, value=text)
    return value.quantize(Decimal("0.01"))


def parse_status(text: str) -> str:
    """``completed`` / ``Completed`` / ``结业`` -> a stored status (see ``STATUSES``)."""
    token = normalize(text).replace(" ", "_").replace("-", "_")
    status = STATUSES.get(token)
    if status is None:
        raise CellError(_("%(value)s is not a roster status; use one of %(allowed)s (or 在读, 结业, 不合格, 退出)")
                        % {"value": text, "allowed": ", ".join(EnrollmentStatus.values)}, value=text)
    return status


class RosterImporter:
    """Parses and writes roster rows for one cohort; built once per run."""

    required_columns = REQUIRED_COLUMNS
    optional_columns = OPTIONAL_COLUMNS

    def __init__(self, *, cohort: Cohort, header: list[str], user=None):
        self.cohort = cohort
        self.header = set(header)
        self.user = user
        self.seen: dict[str, int] = {}
        self.changed_profiles: set[int] = set()

    def row_number(self, item: RosterRow) -> int:
        return item.number

    def forget(self) -> None:
        """Nothing cached here depends on rows a rolled-back batch wrote."""

    def parse(self, row: CsvRow, errors: RowErrors) -> RosterRow | None:
        key = errors.require(KEY, 254)
        if key:
            folded = key.lower()
            first = self.seen.get(folded)
            if first:
                errors.add(KEY, _("%(value)s is already on row %(row)s of this file") % {"value": key, "row": first},
                           value=key)
            else:
                self.seen[folded] = row.number
        item = RosterRow(number=row.number, key=key)
        if "status" in self.header and row.get("status"):
            item.status = errors.cell("status", parse_status, row.get("status"))
        if "attendance" in self.header:
            item.attendance = errors.cell("attendance", parse_attendance, row.get("attendance"))
        if "grade" in self.header:
            item.grade = errors.optional("grade", GRADE_MAX)
        if "completed_on" in self.header and row.get("completed_on"):
            item.completed_on = errors.cell("completed_on", parse_date, row.get("completed_on"))
            if item.completed_on and item.completed_on > timezone.localdate():
                errors.add("completed_on", _("%(value)s is in the future") % {"value": row.get("completed_on")},
                           value=row.get("completed_on"))
            elif item.completed_on and item.status not in (None, EnrollmentStatus.COMPLETED):
                errors.add("completed_on", _("a completion date needs the status completed"),
                           value=row.get("completed_on"))
        return None if errors.bad else item

    def _profiles(self, items: list[RosterRow]) -> dict[str, StudentProfile]:
        """Students by the row's key: account email (any case) or external id."""
        keys = {i.key for i in items}
        emails = {k.lower() for k in keys if "@" in k}
        found: dict[str, StudentProfile] = {}
        queryset = StudentProfile.objects.select_related("user").annotate(email_lower=Lower("user__email"))
        for profile in queryset.filter(Q(external_id__in=keys) | Q(email_lower__in=emails)):
            if profile.external_id in keys:
                found[profile.external_id] = profile
            found.setdefault(profile.email_lower, profile)
        return {k: found.get(k) or found.get(k.lower()) for k in keys}

    def write(self, items: list[RosterRow]) -> BatchResult:
        """Write one batch under the cohort's lock: capacity is counted as rows take and give back places."""
        result = BatchResult()
        cohort = lock_cohort(self.cohort.pk)
        profiles = self._profiles(items)
        existing = {e.profile_id: e for e in Enrollment.objects.filter(
            cohort=cohort, profile_id__in=[p.pk for p in profiles.values() if p is not None])}
        taken = seats_taken(cohort)
        now = timezone.now()
        creates, updates, completing, uncompleting = [], [], [], []
        for item in items:
            profile = profiles.get(item.key)
            if profile is None:
                result.error(item.number, KEY, _("no student or trainee has this email or external id (import the "
                                                 "students first)"), value=item.key)
                continue
            if profile.user.account_type != "student" or not profile.user.is_active:
                result.error(item.number, KEY, _("this account is not an active student or trainee"), value=item.key)
                continue
            enrollment = existing.get(profile.pk)
            previous = enrollment.status if enrollment is not None else None
            status = item.status or previous or EnrollmentStatus.ENROLLED
            if status in SEAT_STATUSES and previous not in SEAT_STATUSES:
                if taken >= cohort.capacity:
                    result.error(item.number, "status", _("the cohort is full (%(capacity)s places): this student "
                                                          "was not added") % {"capacity": cohort.capacity},
                                 value=item.status or "")
                    continue
                taken += 1
            elif previous in SEAT_STATUSES and status not in SEAT_STATUSES:
                taken -= 1
            is_new = enrollment is None
            if is_new:
                enrollment = Enrollment(cohort=cohort, profile=profile, status=status, updated_by=self.user)
            before = (enrollment.status, enrollment.attendance, enrollment.grade, enrollment.completed_at)
            enrollment.cohort = cohort
            enrollment.status = status
            if item.attendance is not _UNSET:
                enrollment.attendance = item.attendance
            if item.grade is not _UNSET:
                enrollment.grade = item.grade
            if status in SEAT_STATUSES and enrollment.enrolled_at is None:
                enrollment.enrolled_at = now
            if status == EnrollmentStatus.COMPLETED:
                if previous != EnrollmentStatus.COMPLETED or item.completed_on is not None:
                    enrollment.completed_at = (timezone.make_aware(dt.datetime.combine(item.completed_on,
                                                                                       dt.time(12, 0)))
                                               if item.completed_on else now)
            else:
                enrollment.completed_at = None
            if is_new:
                creates.append(enrollment)
                result.created += 1
            elif before != (enrollment.status, enrollment.attendance, enrollment.grade, enrollment.completed_at):
                enrollment.updated_by, enrollment.updated_at = self.user, now
                updates.append(enrollment)
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            if status == EnrollmentStatus.COMPLETED and previous != EnrollmentStatus.COMPLETED:
                completing.append(enrollment)
            elif previous == EnrollmentStatus.COMPLETED and status != EnrollmentStatus.COMPLETED:
                uncompleting.append(enrollment)
        Enrollment.objects.bulk_create(creates, batch_size=BATCH_SIZE)
        Enrollment.objects.bulk_update(updates, ["status", "attendance", "grade", "enrolled_at", "completed_at",
                                                 "updated_by", "updated_at"], batch_size=500)
        if uncompleting:
            self.changed_profiles |= credits_revoke(enrollments=uncompleting)
        by_day: dict[dt.date, list[Enrollment]] = {}
        for enrollment in completing:
            by_day.setdefault(timezone.localdate(enrollment.completed_at), []).append(enrollment)
        for day, group in sorted(by_day.items()):
            self.changed_profiles |= credits_grant(enrollments=group, on=day)
        return result


def roster_import(*, cohort: Cohort, rows_source: CsvSource, strict: bool = False, user=None,
                  batch_size: int = BATCH_SIZE) -> ImportReport:
    """Import a roster file into ``cohort`` (the command, the upload page and the worker share this).

    Match triggers are suppressed while the rows load; the import runner starts one full re-match at the end.
    """
    importer = RosterImporter(cohort=cohort, header=rows_source.header, user=user)
    report = run_import(source=rows_source, importer=importer, strict=strict, batch_size=batch_size)
    _rematch_changed(importer.changed_profiles, report)
    return report


def _rematch_changed(profile_ids: set[int], report: ImportReport) -> None:
    """Without the matcher's one-shot full re-match, re-match each student whose skills changed."""
    from apps.matching import services as matching_services
    from apps.matching.triggers import profile_changed

    if report.rolled_back or not profile_ids or callable(getattr(matching_services, "full_rematch_after_import",
                                                                 None)):
        return
    for profile_id in sorted(profile_ids):
        profile_changed(profile_id)
