"""The cohorts API records who was shown a student's email, as the cohort pages do: one bulk write per answer,
one event per profile shown, none for what the caller was not shown or for a refused call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.cohorts.models import Enrollment, EnrollmentStatus
from apps.privacy.models import AuditEvent
from tests import factories
from tests.api.conftest import build_world, seed_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user, admin_user):
    """The permission matrix's world with its training side: firm A partners ``P.U``, whose cohort ``K.U`` has
    the student (enrolled), ``E.grad`` (completed, shares contact details with firms); ``E.other`` is V's."""
    world = build_world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user,
                        admin_user)
    seed_training(world)
    return world


def _views(user=None):
    events = AuditEvent.objects.filter(action="view_contact")
    return events.filter(actor=user) if user is not None else events


def _audit_inserts(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith('INSERT INTO "privacy_auditevent"'))


def _second_graduate(world):
    graduate = factories.StudentFactory(full_name="Second Grad")
    graduate.profile.contact_visible_to_firms = True
    graduate.profile.save()
    Enrollment.objects.create(cohort=world["training"]["K.U"], profile=graduate.profile,
                              status=EnrollmentStatus.COMPLETED, completed_at=timezone.now())
    return graduate


def test_a_partner_firm_listing_graduates_is_recorded_once_per_profile_in_one_write(world, api_client):
    firm = world["users"]["firm"]
    graduates = [world["people"]["graduate"], _second_graduate(world)]
    api_client.force_authenticate(firm)
    with CaptureQueriesContext(connection) as queries:
        answer = api_client.get("/api/v1/enrollments/", HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.9.8.7")
    assert answer.status_code == 200
    assert sorted(row["email"] for row in answer.json()["results"]) == sorted(g.email for g in graduates)
    assert _audit_inserts(queries.captured_queries) == 1  # one bulk write for the whole answer
    events = list(_views())
    assert sorted(event.target_id for event in events) == sorted(str(g.profile.pk) for g in graduates)
    assert {(e.actor, e.actor_role, e.target_type, e.ip, e.user_agent) for e in events} == {
        (firm, "firm", "talent.studentprofile", "10.9.8.7", "pytest")}
    for event in events:  # the values seen are not copied
        text = " ".join(str(v) for v in (event.target_type, event.target_id, event.path, event.user_agent))
        assert not any(g.email in text for g in graduates)


def test_reading_one_enrollment_is_recorded(world, api_client):
    firm, graduate = world["users"]["firm"], world["people"]["graduate"]
    api_client.force_authenticate(firm)
    answer = api_client.get(f"/api/v1/enrollments/{world['training']['E.grad'].pk}/")
    assert answer.status_code == 200 and answer.json()["email"] == graduate.email
    assert [e.target_id for e in _views(firm)] == [str(graduate.profile.pk)]


def test_a_platform_admin_is_recorded_for_every_student_shown(world, api_client):
    admin = world["users"]["admin"]
    api_client.force_authenticate(admin)
    answer = api_client.get("/api/v1/enrollments/")
    shown = {row["profile"] for row in answer.json()["results"] if row["email"]}
    assert len(shown) == 3  # the student, the graduate and V's student
    assert {int(e.target_id) for e in _views(admin)} == shown


def test_no_event_when_no_email_is_shown(world, api_client):
    users, training = world["users"], world["training"]
    # University staff see their roster without contact details; a student reads their own enrollment.
    api_client.force_authenticate(users["university"])
    assert all(row["email"] is None for row in api_client.get("/api/v1/enrollments/").json()["results"])
    api_client.force_authenticate(users["student"])
    own = api_client.get(f"/api/v1/enrollments/{training['E.student'].pk}/").json()
    assert own["email"] == users["student"].email
    # A graduate who stops sharing is no longer listed to the partner firm.
    graduate = world["people"]["graduate"].profile
    graduate.contact_visible_to_firms = False
    graduate.save()
    api_client.force_authenticate(users["firm"])
    assert api_client.get("/api/v1/enrollments/").json()["count"] == 0
    assert not _views().exists()


def test_a_refused_call_records_no_contact_view(world, api_client):
    firm, training = world["users"]["firm"], world["training"]
    api_client.force_authenticate(firm)
    assert api_client.get(f"/api/v1/enrollments/{training['E.other'].pk}/").status_code == 404
    # The firm sees E.grad (and its email) but may not change it: 403, and the email is not in the answer.
    refused = api_client.patch(f"/api/v1/enrollments/{training['E.grad'].pk}/", {"grade": "A"}, format="json")
    assert refused.status_code == 403 and "email" not in refused.json()
    assert not _views().exists()
    assert AuditEvent.objects.filter(action="access_denied", actor=firm).count() == 1


def test_a_staff_write_answer_showing_an_email_is_recorded(world, api_client):
    """An admin completing a graduate's enrollment gets the enrollment back, with the email: recorded."""
    admin, graduate = world["users"]["admin"], world["people"]["graduate"]
    api_client.force_authenticate(admin)
    answer = api_client.patch(f"/api/v1/enrollments/{world['training']['E.grad'].pk}/", {"grade": "A"},
                              format="json")
    assert answer.status_code == 200 and answer.json()["email"] == graduate.email
    assert [e.target_id for e in _views(admin)] == [str(graduate.profile.pk)]
