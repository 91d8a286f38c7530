"""``manage.py build_report``, the thin tasks, the request service's refusal of concurrent builds and beat."""

import pytest
from django.core.management import CommandError, call_command

from apps.reports.models import ReportSnapshot, SnapshotStatus
from apps.reports.services.requests import BuildAlreadyRunning, report_request
from worker.schedule import BEAT_SCHEDULE
from worker.tasks.reports import build_report, weekly_report

pytestmark = pytest.mark.django_db


def test_command_builds_synchronously(report_world, capsys):
    call_command("build_report", "--period", "2026-11", "--sync")
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.status == SnapshotStatus.DONE and snapshot.trigger == "command"
    assert snapshot.data["meta"]["period"] == "2026-11" and snapshot.timings["total"] >= 0
    assert "built in" in capsys.readouterr().out


def test_command_with_filters_and_queueing(report_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("build_report", "--period", "2026-W47", "--market", report_world["market"].code)
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.filters["market"] == report_world["market"].code
    assert snapshot.status == SnapshotStatus.DONE  # eager Celery ran the task after commit
    assert snapshot.data["meta"]["period_start"] == "2026-11-16"


@pytest.mark.parametrize("args, message", [
    (["--period", "2026-00"], "period"),
    (["--period", "2026-11", "--district", "atlantis"], "district"),
])
def test_command_rejects_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, "--sync")


def test_concurrent_build_of_the_same_scope_is_refused(report_world):
    first = report_request(period="2026-11", filters={}, enqueue=False)
    with pytest.raises(BuildAlreadyRunning) as refused:
        report_request(period="2026-11", filters={"district": ""}, enqueue=False)
    assert refused.value.snapshot == first
    with pytest.raises(CommandError, match="already being built"):
        call_command("build_report", "--period", "2026-11", "--sync")
    build_report(snapshot_id=first.pk)
    first.refresh_from_db()
    assert first.status == SnapshotStatus.DONE
    assert report_request(period="2026-11", filters={}, enqueue=False).pk != first.pk  # done: a new one may start


def test_abandoned_builds_stop_blocking(report_world):
    import datetime as dt

    from django.utils import timezone

    stuck = report_request(period="2026-11", filters={}, enqueue=False)
    ReportSnapshot.objects.filter(pk=stuck.pk).update(status=SnapshotStatus.RUNNING,
                                                      created_at=timezone.now() - dt.timedelta(hours=4))
    fresh = report_request(period="2026-11", filters={}, enqueue=False)
    stuck.refresh_from_db()
    assert stuck.status == SnapshotStatus.FAILED and fresh.status == SnapshotStatus.PENDING


def test_task_is_idempotent_and_beat_queues_this_month(report_world, django_capture_on_commit_callbacks):
    assert build_report(snapshot_id=987654) == {"snapshot_id": 987654, "status": "missing"}
    with django_capture_on_commit_callbacks(execute=True):
        result = weekly_report()
    snapshot = ReportSnapshot.objects.get(pk=result["snapshot_id"])
    assert snapshot.status == SnapshotStatus.DONE and snapshot.trigger == "schedule"
    assert build_report(snapshot_id=snapshot.pk)["status"] == "done"  # already built: left alone
    entry = BEAT_SCHEDULE["weekly-government-report"]
    assert entry["task"] == "reports.weekly_report" == weekly_report.name
