"""Who may open the privacy pages and endpoints: role × page/operation → expected status, never a 500."""

import pytest

from apps.privacy.models import AuditEvent

ROLES = ("anonymous", "student", "firm", "university", "government", "admin")
ANY_USER = {"anonymous": 302, **{role: 200 for role in ROLES[1:]}}
API_ANY_USER = {"anonymous": 401, **{role: 200 for role in ROLES[1:]}}
ADMIN_ONLY = {"anonymous": 302, **{role: 403 for role in ROLES[1:-1]}, "admin": 200}

PAGES = {
    ("get", "/en/privacy/"): ANY_USER,
    ("get", "/privacy/"): ANY_USER,  # Chinese, the default language
    ("get", "/en/privacy/export.json"): ANY_USER,
    ("get", "/en/privacy/export/"): ANY_USER,
    ("get", "/en/privacy/delete/"): ANY_USER,
    ("get", "/en/privacy/audit/"): ADMIN_ONLY,
    ("get", "/privacy/audit/"): ADMIN_ONLY,
    ("post", "/en/privacy/consent/"): {"anonymous": 302, **{role: 302 for role in ROLES[1:]}},
    ("post", "/en/privacy/consent/firm/"): {"anonymous": 302, "student": 302, "firm": 403, "university": 403,
                                             "government": 403, "admin": 403},
    ("get", "/en/privacy/consent/"): {"anonymous": 405, **{role: 405 for role in ROLES[1:]}},
}
API = {
    ("get", "/api/v1/privacy/consents/"): API_ANY_USER,
    ("post", "/api/v1/privacy/consents/"): {"anonymous": 401, "student": 200, "firm": 400, "university": 400,
                                            "government": 400, "admin": 400},
    ("get", "/api/v1/privacy/export/"): API_ANY_USER,
    ("post", "/api/v1/privacy/delete-account/"): {"anonymous": 401, **{role: 400 for role in ROLES[1:]}},
    ("get", "/api/v1/privacy/audit-events/"): {"anonymous": 401, **{role: 403 for role in ROLES[1:-1]},
                                               "admin": 200},
}
BODIES = {"/en/privacy/consent/": {"purpose": "matching", "granted": "0"}, "/en/privacy/consent/firm/": {"firm": 1},
          "/api/v1/privacy/consents/": {"purpose": "matching", "granted": False},
          "/api/v1/privacy/delete-account/": {"password": "not the password"}}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), list(PAGES))
def test_pages(client, role_users, role, method, path):
    user = role_users[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(path, BODIES.get(path, {}))
    assert response.status_code == PAGES[method, path][role]
    if response.status_code == 403:
        assert AuditEvent.objects.filter(action="access_denied", actor=user, path=path).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), list(API))
def test_api(api_client, role_users, role, method, path):
    user = role_users[role]
    if user is not None:
        api_client.force_authenticate(user)
    response = getattr(api_client, method)(path, BODIES.get(path, {}), format="json")
    assert response.status_code == API[method, path][role]


@pytest.mark.django_db
def test_audit_list_answers_only_in_scope_rows(api_client, role_users):
    AuditEvent.objects.create(action="export_data")
    api_client.force_authenticate(role_users["admin"])
    assert api_client.get("/api/v1/privacy/audit-events/").json()["count"] == AuditEvent.objects.count()
    assert AuditEvent.objects.for_user(role_users["student"]).count() == 0
