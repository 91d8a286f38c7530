"""The audit trail: contact views, exports and refused access are recorded without the values seen; admins
read and filter it."""

import pytest

from apps.applications import services as application_services
from apps.privacy.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def _no_values_copied(user):
    for event in AuditEvent.objects.all():
        text = " ".join(str(v) for v in (event.target_type, event.target_id, event.path, event.user_agent))
        assert user.email not in text and (not user.phone or user.phone not in text)


def test_firm_viewing_contact_details_is_recorded_once_per_view(client, api_client, student, firm_user):
    student.phone = "13900001111"
    student.save()
    vacancy = factories.VacancyFactory(firm=firm_user.memberships.get().organisation)
    application = application_services.application_apply(user=student, vacancy=vacancy)
    client.force_login(firm_user)
    page = client.get(f"/en/applications/{application.pk}/", HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400,
                      REMOTE_ADDR="10.1.2.3")
    assert student.email in page.content.decode()
    event = AuditEvent.objects.get(action="view_contact")
    assert (event.actor, event.actor_role, event.target_type, event.target_id) == (
        firm_user, "firm", "talent.studentprofile", str(student.profile.pk))
    assert event.ip == "10.1.2.3" and len(event.user_agent) == 200
    api_client.force_authenticate(firm_user)
    assert api_client.get(f"/api/v1/applications/{application.pk}/").json()["contact"]["email"] == student.email
    assert AuditEvent.objects.filter(action="view_contact", actor=firm_user).count() == 2
    # the student reading their own application is not a contact view
    client.force_login(student)
    client.get(f"/en/applications/{application.pk}/")
    assert AuditEvent.objects.filter(action="view_contact").count() == 2
    _no_values_copied(student)


def test_no_contact_view_is_recorded_when_none_is_shown(client, student, firm_user):
    from apps.talent.services import profile_update

    vacancy = factories.VacancyFactory(firm=firm_user.memberships.get().organisation)
    application = application_services.application_apply(user=student, vacancy=vacancy)
    application_services.consent_withdraw(user=student, profile=student.profile, firm_id=vacancy.firm_id)
    profile_update(profile=student.profile, data={"contact_visible_to_firms": False})
    client.force_login(firm_user)
    page = client.get(f"/en/applications/{application.pk}/")
    assert student.email not in page.content.decode()
    assert not AuditEvent.objects.filter(action="view_contact").exists()


def test_refused_access_is_recorded_for_signed_in_users_only(client, api_client, student, firm_user):
    client.force_login(student)
    assert client.get("/en/applications/?q=secret").status_code == 403
    event = AuditEvent.objects.get(action="access_denied")
    assert (event.actor, event.path) == (student, "/en/applications/")  # no query string
    api_client.force_authenticate(student)
    assert api_client.get("/api/v1/privacy/audit-events/").status_code == 403
    assert AuditEvent.objects.filter(action="access_denied", actor=student).count() == 2
    client.logout()
    client.get("/en/applications/")
    assert AuditEvent.objects.filter(action="access_denied").count() == 2


def test_export_is_recorded(client, student):
    client.force_login(student)
    client.get("/en/privacy/export.json")
    assert AuditEvent.objects.filter(action="export_data", actor=student, target_id=str(student.pk)).count() == 1


def test_admin_reads_and_filters_the_audit_log(client, api_client, admin_user, student, firm_user):
    client.force_login(student)
    client.get("/en/privacy/export.json")
    client.force_login(firm_user)
    client.get("/en/privacy/audit/")  # refused: recorded
    client.force_login(admin_user)
    page = client.get("/en/privacy/audit/", {"action": "export_data"})
    assert page.status_code == 200
    rows = list(page.context["page_obj"])
    assert [e.action for e in rows] == ["export_data"] and rows[0].actor == student
    by_actor = client.get("/en/privacy/audit/", {"actor": firm_user.email})
    assert [e.action for e in by_actor.context["page_obj"]] == ["access_denied"]
    assert client.get("/privacy/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).context[
        "page_obj"].paginator.count == 0
    assert client.get("/en/privacy/audit/", {"date_from": "not a date"}).status_code == 200
    api_client.force_authenticate(admin_user)
    body = api_client.get("/api/v1/privacy/audit-events/", {"action": "access_denied"}).json()
    assert body["count"] == 1 and body["results"][0]["actor"] == firm_user.pk


def test_audit_admin_is_read_only(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/en/admin/privacy/auditevent/").status_code == 200
    assert client.get("/en/admin/privacy/auditevent/add/").status_code == 403
