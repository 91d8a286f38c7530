"""The reports API: request a build (202, then poll progress), read it suppressed, download sections, refuse a
second concurrent build of the same scope, and answer bad input with 400."""

import pytest

from apps.reports.models import ReportSnapshot, SnapshotStatus, current_period
from apps.reports.services.build import build_snapshot

pytestmark = pytest.mark.django_db


def test_request_build_poll_and_read(report_world, client_for, government_user, django_capture_on_commit_callbacks):
    client = client_for(government_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", {"period": current_period()}, format="json")
    assert response.status_code == 202, response.content
    snapshot_id = response.json()["id"]
    progress = client.get(f"/api/v1/reports/{snapshot_id}/progress/").json()
    assert progress["status"] == "done" and progress["progress"] == 100  # eager mode: built after commit
    assert progress["progress_message"] == "Done"
    detail = client.get(f"/api/v1/reports/{snapshot_id}/").json()
    assert detail["data"]["meta"]["students"] == 30
    assert detail["data"]["demand_supply"]["skills"]
    listing = client.get("/api/v1/reports/").json()
    assert [row["id"] for row in listing["results"]] == [snapshot_id]
    assert "data" not in listing["results"][0]


def test_a_second_concurrent_build_of_the_same_scope_is_refused(report_world, client_for, government_user):
    running = ReportSnapshot.objects.create(period="2026-10", status=SnapshotStatus.RUNNING, progress=40)
    client = client_for(government_user)
    response = client.post("/api/v1/reports/", {"period": "2026-10"}, format="json")
    assert response.status_code == 409
    assert response.json()["id"] == running.pk and "already being built" in response.json()["detail"]
    other = client.post("/api/v1/reports/", {"period": "2026-10", "market": report_world["market"].code},
                        format="json")
    assert other.status_code == 202  # other filters: a different report


@pytest.mark.parametrize("body, field", [
    ({"period": "2026-13"}, "non_field_errors"),
    ({"period": "November"}, "non_field_errors"),
    ({"period": "2026-11", "district": "atlantis"}, "district"),
    ({"period": "2026-11", "market": "mars"}, "market"),
    ({"period": "2026-11", "programme": "abc"}, "programme"),
    ({"period": "2026-11", "programme": "999999"}, "programme"),
    ({}, "period"),
])
def test_bad_requests_name_the_field(client_for, government_user, body, field):
    response = client_for(government_user).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_export_downloads_and_bad_sections(report_world, client_for, government_user):
    snapshot = build_snapshot(ReportSnapshot.objects.create(period=current_period()))
    client = client_for(government_user)
    csv_response = client.get(f"/api/v1/reports/{snapshot.pk}/export/?section=skills&file=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").startswith("code,label_zh,label_en")
    xlsx = client.get(f"/api/v1/reports/{snapshot.pk}/export/?section=all&file=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/api/v1/reports/{snapshot.pk}/export/?section=nope&file=csv").status_code == 400
    assert client.get(f"/api/v1/reports/{snapshot.pk}/export/?section=skills&file=pdf").status_code == 400
    assert client.get(f"/api/v1/reports/{snapshot.pk}/export/?section=all&file=csv").status_code == 400
    pending = ReportSnapshot.objects.create(period="2026-09")
    assert client.get(f"/api/v1/reports/{pending.pk}/export/").status_code == 400
    assert client.get("/api/v1/reports/999999/export/").status_code == 404
