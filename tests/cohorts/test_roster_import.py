"""Roster import: enroll by email or external id, mark completions and grades in bulk, one report line per bad
row, good rows never stopped by bad ones (unless --strict)."""

import csv
import io
import secrets
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import AccountType, User
from apps.cohorts.imports import roster_import
from apps.cohorts.models import CourseCredit, Enrollment, EnrollmentStatus
from apps.imports.csvio import CsvSource
from apps.talent.models import ProfileSkill, SkillSourceKind, StudentProfile
from tests import factories

from .conftest import make_cohort

pytestmark = pytest.mark.django_db

HEADER = ["email_or_external_id", "status", "attendance", "grade"]


def make_students(n: int, prefix: str = "R") -> list[StudentProfile]:
    """``n`` students in two bulk inserts (factories would take far longer for thousands)."""
    users = User.objects.bulk_create([
        User(email=f"{prefix.lower()}{i}@school.example.cn", full_name=f"学生 {i}", account_type=AccountType.STUDENT,
             password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(8)) for i in range(n)])
    return StudentProfile.objects.bulk_create([
        StudentProfile(user=user, external_id=f"{prefix}{i:05d}") for i, user in enumerate(users)])


def source(rows: list[list[str]], header=HEADER) -> CsvSource:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return CsvSource(out.getvalue(), name="roster.csv")


def test_five_thousand_rows_with_bad_rows_mixed_in(course, programme, staff, monkeypatch,
                                                   django_capture_on_commit_callbacks):
    """Good rows go in, every bad row is reported once with its row number and column, nothing else is lost;
    students are re-matched by one full rematch at the end, not one recompute per row."""
    rematches = []
    monkeypatch.setattr("apps.matching.services.full_rematch_after_import", lambda **kw: rematches.append(kw))
    cohort = make_cohort(course, programme=programme, capacity=6000)
    profiles = make_students(4800)
    firm_user = factories.MemberFactory()
    # A student already on the roster and not in the file must stay exactly as they were.
    keeper = make_students(1, prefix="K")[0]
    Enrollment.objects.create(cohort=cohort, profile=keeper, status=EnrollmentStatus.ENROLLED, attendance=80,
                              grade="B")

    rows, expected, bad_rows = [], {}, {}
    bad_makers = [
        (lambda i: [f"nobody-{i}@nowhere.example", "enrolled", "", ""], "email_or_external_id"),
        (lambda i: [profiles[i].external_id, "graduated?", "", ""], "status"),
        (lambda i: [profiles[i].external_id, "completed", "120", ""], "attendance"),
        (lambda i: [profiles[i].external_id, "completed", "most days", ""], "attendance"),
        (lambda i: [profiles[i].external_id, "failed", "", "x" * 17], "grade"),
        (lambda i: ["", "enrolled", "", ""], "email_or_external_id"),
        (lambda i: [firm_user.email, "enrolled", "", ""], "email_or_external_id"),
    ]
    statuses = ["enrolled", "completed", "在读", "结业", "applied", "failed", "dropped"]
    canonical = {"在读": "enrolled", "结业": "completed"}
    for i, profile in enumerate(profiles):
        if i % 16 == 5:  # ~300 bad rows spread through the file, of every kind
            make, column = bad_makers[(i // 16) % len(bad_makers)]
            rows.append(make(i))
            bad_rows[len(rows) + 1] = column
            continue
        key = profile.external_id if i % 2 else profile.user.email.upper()
        status = statuses[i % len(statuses)]
        attendance = f"{60 + i % 41}%" if i % 3 else ""
        rows.append([key, status, attendance, "优秀" if i % 4 == 0 else str(50 + i % 50)])
        expected[profile.pk] = (canonical.get(status, status), Decimal(attendance.rstrip("%")) if attendance else None,
                                rows[-1][3])
    # a key repeated later in the file is reported on the repeat, the first one stands
    first_key_row = next(n for n, row in enumerate(rows, start=2) if n not in bad_rows)
    rows.append(list(rows[first_key_row - 2]))
    bad_rows[len(rows) + 1] = "email_or_external_id"
    assert len(rows) >= 4800 and len(bad_rows) >= 300

    with django_capture_on_commit_callbacks() as per_profile:
        report = roster_import(cohort=cohort, rows_source=source(rows), user=staff)
    print(f"roster import: {report.rows_read} rows in {report.seconds:.2f} s")

    # no per-profile work at commit: the one rematch above and one response-cache bump for the whole import
    assert len(rematches) == 1 and len(per_profile) == 1 and "_renew" in per_profile[0].__code__.co_names
    assert report.rows_read == len(rows)
    assert report.rejected_rows == sorted(bad_rows)
    by_row = {e.row: e for e in report.errors}
    assert all(by_row[row].column == column for row, column in bad_rows.items()), [
        (row, by_row[row].column, column) for row, column in bad_rows.items() if by_row[row].column != column][:5]
    assert report.created == len(expected)
    stored = {e.profile_id: (e.status, e.attendance, e.grade)
              for e in Enrollment.objects.filter(cohort=cohort).exclude(profile=keeper)}
    assert stored == expected
    kept = Enrollment.objects.get(cohort=cohort, profile=keeper)
    assert (kept.status, kept.attendance, kept.grade) == (EnrollmentStatus.ENROLLED, Decimal(80), "B")
    completed = [pk for pk, (status, *_rest) in expected.items() if status == "completed"]
    assert CourseCredit.objects.active().filter(enrollment__cohort=cohort).count() == 2 * len(completed)
    assert ProfileSkill.objects.filter(profile_id__in=completed, source=SkillSourceKind.COURSE).count() == \
        2 * len(completed)

    again = roster_import(cohort=cohort, rows_source=source(rows), user=staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(expected))
    assert again.rejected_rows == sorted(bad_rows)
    assert CourseCredit.objects.filter(enrollment__cohort=cohort).count() == 2 * len(completed)


def test_rows_past_capacity_are_rejected_and_the_rest_go_in(course):
    cohort = make_cohort(course, capacity=3)
    profiles = make_students(6)
    rows = [[p.external_id, "enrolled" if i != 2 else "applied", "", ""] for i, p in enumerate(profiles)]
    report = roster_import(cohort=cohort, rows_source=source(rows))
    # rows 2,3 take places, row 4 is an application, rows 5 takes the last place, 6 and 7 find it full
    assert report.rejected_rows == [6, 7]
    assert all("full" in e.message for e in report.errors)
    assert Enrollment.objects.filter(cohort=cohort).holding_seats().count() == 3
    assert Enrollment.objects.filter(cohort=cohort, status="applied").count() == 1


def test_strict_mode_writes_nothing_when_a_row_is_bad(course):
    cohort = make_cohort(course)
    profiles = make_students(3)
    rows = [[profiles[0].external_id, "completed", "", ""], ["ghost@example.com", "enrolled", "", ""],
            [profiles[2].external_id, "enrolled", "", ""]]
    report = roster_import(cohort=cohort, rows_source=source(rows), strict=True)
    assert report.rolled_back and report.rejected_rows == [3]
    assert not Enrollment.objects.filter(cohort=cohort).exists()
    assert not ProfileSkill.objects.filter(profile=profiles[0]).exists()


def test_marking_a_completion_back_takes_the_credit_back(course):
    cohort = make_cohort(course)
    profile = make_students(1)[0]
    roster_import(cohort=cohort, rows_source=source([[profile.external_id, "completed", "90", "A"]]))
    assert ProfileSkill.objects.filter(profile=profile, source=SkillSourceKind.COURSE).count() == 2
    report = roster_import(cohort=cohort, rows_source=source([[profile.external_id, "failed", "90", "F"]]))
    assert report.updated == 1
    assert not ProfileSkill.objects.filter(profile=profile).exists()
    assert Enrollment.objects.get(cohort=cohort, profile=profile).completed_at is None


def test_a_column_left_out_keeps_its_value(course):
    cohort = make_cohort(course)
    profile = make_students(1)[0]
    roster_import(cohort=cohort, rows_source=source([[profile.external_id, "enrolled", "75", "B"]]))
    roster_import(cohort=cohort, rows_source=source([[profile.external_id, "completed"]],
                                                    header=["email_or_external_id", "status"]))
    enrollment = Enrollment.objects.get(cohort=cohort, profile=profile)
    assert (enrollment.status, enrollment.attendance, enrollment.grade) == ("completed", Decimal(75), "B")


def test_the_command_reports_rows_and_exits_1_when_some_are_rejected(course, tmp_path):
    cohort = make_cohort(course)
    profile = make_students(1)[0]
    path = tmp_path / "roster.csv"
    # GBK, as Excel saves it on a Chinese Windows
    path.write_bytes(("email_or_external_id,status,attendance,grade\n"
                      f"{profile.user.email},结业,95,优秀\nghost@example.com,在读,,\n").encode("gbk"))
    report_path = tmp_path / "report.csv"
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_roster", str(path), "--cohort", str(cohort.pk), "--report", str(report_path), stdout=out)
    assert error.value.returncode == 1
    assert "row 3" in out.getvalue()
    assert "ghost@example.com" in report_path.read_text(encoding="utf-8-sig")
    enrollment = Enrollment.objects.get(cohort=cohort, profile=profile)
    assert (enrollment.status, enrollment.grade) == ("completed", "优秀")


def test_the_command_refuses_an_unknown_cohort_or_a_file_without_the_key_column(course, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("student,status\nS1,enrolled\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_roster", str(path), "--cohort", "999999")
    assert error.value.returncode == 2
    cohort = make_cohort(course)
    with pytest.raises(CommandError, match="email_or_external_id") as error:
        call_command("import_roster", str(path), "--cohort", str(cohort.pk))
    assert error.value.returncode == 2


def test_the_worker_task_imports_a_stored_upload_once(course, staff):
    from apps.cohorts.models import RosterImport
    from worker.tasks.cohorts import import_roster

    cohort = make_cohort(course)
    profile = make_students(1)[0]
    run = RosterImport.objects.create(cohort=cohort, uploaded_by=staff, file_name="r.csv",
                                      source_text=f"email_or_external_id,status\n{profile.external_id},completed\n")
    result = import_roster.apply(kwargs={"roster_import_id": run.pk}).get()
    assert result == {"roster_import_id": run.pk, "status": "done", "created": 1, "updated": 0, "rejected": 0}
    again = import_roster.apply(kwargs={"roster_import_id": run.pk}).get()
    assert again["status"] == "done"
    assert Enrollment.objects.filter(cohort=cohort).count() == 1
    assert CourseCredit.objects.filter(enrollment__cohort=cohort).count() == 2
