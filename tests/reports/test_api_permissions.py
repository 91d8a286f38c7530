"""Role × operation for the reports API: government users and platform admins only; anonymous callers 401,
other roles 403 (the permission explains why)."""

import pytest

from apps.reports.models import ReportSnapshot, SnapshotStatus

pytestmark = pytest.mark.django_db

ALLOWED = {"anonymous": 401, "student": 403, "firm": 403, "university": 403}


@pytest.fixture
def done_snapshot():
    return ReportSnapshot.objects.create(period="2026-08", status=SnapshotStatus.DONE, progress=100,
                                         data={"funnel": {"hires": 2, "vacancies_none": 1}})


OPERATIONS = {
    "list": ("get", "/api/v1/reports/", 200),
    "retrieve": ("get", "/api/v1/reports/{id}/", 200),
    "progress": ("get", "/api/v1/reports/{id}/progress/", 200),
    "export": ("get", "/api/v1/reports/{id}/export/?section=funnel&file=csv", 200),
    "request": ("post", "/api/v1/reports/", 202),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("role", ["anonymous", "student", "firm", "university", "government", "admin"])
def test_role_by_operation(role_users, client_for, done_snapshot, role, operation):
    method, path, allowed = OPERATIONS[operation]
    client = client_for(role_users[role])
    url = path.format(id=done_snapshot.pk)
    if method == "post":
        response = client.post(url, {"period": "2026-07"}, format="json")
    else:
        response = client.get(url)
    expected = ALLOWED.get(role, allowed)
    assert response.status_code == expected, (role, operation, response.content[:200])
    if expected == 200 and operation == "retrieve":
        assert response.json()["data"]["funnel"] == {"hires": "<5", "vacancies_none": 1}
    if expected == 403:
        assert "government" in response.json()["detail"]


def test_for_user_is_the_one_rule(role_users, done_snapshot):
    for role, user in role_users.items():
        visible = ReportSnapshot.objects.for_user(user).count() if user else ReportSnapshot.objects.for_user(
            None).count()
        assert visible == (1 if role in ("government", "admin") else 0), role
