"""Consents: recorded with purpose, policy version and time; one-click withdraw takes effect at once; the latest
record always equals the switch the platform obeys, whichever page or API changed it."""

import pytest

from apps.applications import selectors as application_selectors
from apps.applications import services as application_services
from apps.notifications.services import settings_for, unsubscribe_token
from apps.privacy.models import AuditEvent, ConsentRecord, Purpose
from apps.privacy.selectors import consent_states, latest_records
from apps.privacy.services import EMAIL_CONSENTS
from tests import factories

pytestmark = pytest.mark.django_db


def _switches(user) -> dict:
    profile = type(user.profile).objects.get(pk=user.profile.pk)
    row = settings_for(user)
    found = {(Purpose.MATCHING, ""): profile.matching_opt_in,
             (Purpose.SHARE_CONTACT, ""): profile.contact_visible_to_firms}
    found.update({(Purpose.EMAIL, scope): getattr(row, field) for field, scope in EMAIL_CONSENTS.items()})
    return found


def _assert_latest_equals_switches(user):
    latest = latest_records(user)
    for key, value in _switches(user).items():
        if key in latest:
            assert latest[key].granted == value, key


def test_withdrawing_contact_sharing_is_one_click_and_immediate(client, student, firm_user, settings):
    profile = student.profile
    profile.contact_visible_to_firms = True
    profile.save()
    assert profile.contact_visible_to(firm_user)
    client.force_login(student)
    response = client.post("/en/privacy/consent/", {"purpose": "share_contact_with_firms", "granted": "0"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.contact_visible_to(firm_user)
    record = ConsentRecord.objects.get(user=student, purpose=Purpose.SHARE_CONTACT)
    assert (record.granted, record.policy_version, record.source) == (False, settings.PRIVACY_POLICY_VERSION,
                                                                        "privacy_page")
    assert AuditEvent.objects.filter(action="consent_change", actor=student, target_id=str(record.pk)).exists()
    client.post("/en/privacy/consent/", {"purpose": "share_contact_with_firms", "granted": "1"})
    profile.refresh_from_db()
    assert profile.contact_visible_to(firm_user)
    assert latest_records(student)[(Purpose.SHARE_CONTACT, "")].granted is True


def test_withdrawing_matching_takes_the_profile_out_of_firms_candidate_lists(client, api_client, student, firm_user):
    from django.utils import timezone

    from apps.matching.models import CandidateMatch
    from apps.matching.selectors import current_generation

    vacancy = factories.VacancyFactory(firm=firm_user.memberships.get().organisation)
    CandidateMatch.objects.create(profile=student.profile, vacancy=vacancy, generation=current_generation(),
                                  score=0.9, required=1, optional=1, similarity=1, language=1, preference=1,
                                  computed_at=timezone.now())

    def listed():
        api_client.force_authenticate(firm_user)
        body = api_client.get(f"/api/v1/vacancies/{vacancy.pk}/candidates/").json()
        return [row["profile"]["id"] for row in body["results"]]

    assert listed() == [student.profile.pk]
    client.force_login(student)
    client.post("/en/privacy/consent/", {"purpose": "matching", "granted": "0"})
    student.profile.refresh_from_db()
    assert student.profile.matching_opt_in is False
    assert not type(student.profile).objects.matchable().filter(pk=student.profile.pk).exists()
    assert listed() == []
    assert latest_records(student)[(Purpose.MATCHING, "")].granted is False


def test_email_consent_one_click_switches_every_kind(client, student):
    client.force_login(student)
    client.post("/en/privacy/consent/", {"purpose": "email", "granted": "0"})
    row = settings_for(student)
    assert not (row.email_invitations or row.email_stage_changes or row.email_digest)
    assert ConsentRecord.objects.filter(user=student, purpose="email", granted=False).count() == 3
    email = next(s for s in consent_states(student) if s.purpose == "email")
    assert email.granted is False and email.record is not None


def test_latest_record_equals_the_switch_on_every_path(client, api_client, student, firm_user):
    client.force_login(student)
    # the profile's own privacy page
    client.post("/en/profile/privacy/", {"visibility": "firms", "matching_opt_in": "",
                                         "contact_visible_to_firms": "on"})
    _assert_latest_equals_switches(student)
    assert latest_records(student)[(Purpose.MATCHING, "")].source == "profile"
    # the profile API
    api_client.force_authenticate(student)
    assert api_client.patch("/api/v1/profile/", {"matching_opt_in": True}, format="json").status_code == 200
    assert latest_records(student)[(Purpose.MATCHING, "")].source == "api"
    _assert_latest_equals_switches(student)
    # notification settings page and the unsubscribe link in an email
    client.post("/en/notifications/settings/", {"email_invitations": "on", "email_digest": "on",
                                                "digest_min_score": "0.7"})
    _assert_latest_equals_switches(student)
    client.post(f"/en/notifications/unsubscribe/{unsubscribe_token(student, 'digest')}/")
    assert latest_records(student)[(Purpose.EMAIL, "digest")].source == "unsubscribe"
    _assert_latest_equals_switches(student)


def test_contact_shared_by_applying_is_recorded_and_withdrawn_per_firm(client, student, firm_user):
    firm = firm_user.memberships.get().organisation
    vacancy = factories.VacancyFactory(firm=firm)
    application_services.application_apply(user=student, vacancy=vacancy)
    scope = f"firm:{firm.pk}"
    assert latest_records(student)[(Purpose.SHARE_CONTACT, scope)].granted is True
    assert application_selectors.contact_visible(profile=student.profile, user=firm_user)
    client.force_login(student)
    page = client.get("/en/privacy/")
    assert firm.name in page.content.decode()
    client.post("/en/privacy/consent/firm/", {"firm": firm.pk})
    assert not application_selectors.contact_visible(profile=student.profile, user=firm_user)
    record = latest_records(student)[(Purpose.SHARE_CONTACT, scope)]
    assert record.granted is False and record.firm_id == firm.pk and record.source == "privacy_page"


def test_bad_consent_input_is_a_message_not_an_error(client, firm_user):
    client.force_login(firm_user)
    assert client.post("/en/privacy/consent/", {"purpose": "nonsense", "granted": "0"}).status_code == 302
    response = client.post("/en/privacy/consent/", {"purpose": "matching", "granted": "0"}, follow=True)
    assert response.status_code == 200 and "Only students" in response.content.decode()
    assert client.post("/en/privacy/consent/firm/", {"firm": "x"}).status_code == 302


def test_consents_api(api_client, student):
    api_client.force_authenticate(student)
    states = api_client.get("/api/v1/privacy/consents/").json()
    assert {s["purpose"] for s in states} == {"matching", "share_contact_with_firms", "email"}
    answer = api_client.post("/api/v1/privacy/consents/", {"purpose": "matching", "granted": False}, format="json")
    assert answer.status_code == 200
    assert next(s for s in answer.json() if s["purpose"] == "matching")["granted"] is False
    assert api_client.post("/api/v1/privacy/consents/", {"purpose": "x"}, format="json").status_code == 400
