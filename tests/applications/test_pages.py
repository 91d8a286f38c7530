"""Pipeline pages: applying with consent, the student's applications and invitations, the firm's board (stages,
explanations, contact only with consent, bulk actions, hires, outcomes, invitations) and who may open what."""

import re
from html import unescape

import pytest
from django.utils import timezone

from apps.applications import services
from apps.applications.models import Application, Stage
from tests import factories

pytestmark = pytest.mark.django_db


def _board(vacancy):
    return f"/en/applications/vacancy/{vacancy.pk}/"


def _html(response) -> str:
    return unescape(response.content.decode())


def test_student_applies_with_a_note_and_consent(client, world):
    client.force_login(world.gap.user)
    url = f"/en/applications/apply/{world.vacancy.pk}/"
    form = client.get(url)
    assert form.status_code == 200 and "may see my email address" in _html(form)
    refused = client.post(url, {"note": "Hi"})
    assert refused.status_code == 200 and "This field is required" in _html(refused)
    assert not Application.objects.exists()
    done = client.post(url, {"note": "Hi", "consent": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == "/en/applications/mine/"
    assert "Your application was sent" in _html(done) and "TikTok Shop operator" in _html(done)
    again = client.post(url, {"note": "Again", "consent": "on"}, follow=True)
    assert "You already applied to this vacancy on" in _html(again)
    assert Application.objects.filter(profile=world.gap).count() == 1


def test_only_students_apply(client, world):
    client.force_login(world.firm_user)
    assert client.get(f"/en/applications/apply/{world.vacancy.pk}/").status_code == 403


def test_student_answers_invitations_and_withdraws(client, world):
    invitation = services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap,
                                            message="Come and talk to us")
    client.force_login(world.gap.user)
    page = _html(client.get("/en/applications/mine/"))
    assert "Come and talk to us" in page and "Accept" in page and "Decline" in page
    client.post(f"/en/applications/{invitation.pk}/accept/", {"note": "Yes"})
    assert Application.objects.get(pk=invitation.pk).stage == Stage.APPLIED
    page = _html(client.get("/en/applications/mine/"))
    assert "Shared with the firm" in page
    client.post(f"/en/applications/{invitation.pk}/withdraw/", {"reason": "Took another offer"})
    assert Application.objects.get(pk=invitation.pk).stage == Stage.WITHDRAWN
    assert "Withdrawn" in _html(client.get("/en/applications/mine/"))


def test_students_cannot_touch_someone_elses_application(client, world):
    application = services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    client.force_login(world.course.user)
    assert client.post(f"/en/applications/{application.pk}/withdraw/").status_code == 404
    assert client.get(f"/en/applications/{application.pk}/").status_code == 404


def test_board_shows_stages_reasons_and_contact_only_with_consent(client, world):
    services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.course)
    client.force_login(world.firm_user)
    html = _html(client.get(_board(world.vacancy)))
    assert "Wang Gap" in html and "Zhao Course" in html
    assert "lacks TikTok Shop (needs level 3, has 1)" in html  # the matcher's explanation
    assert "gap@example.com" in html  # applied: consented
    assert "course@example.com" not in html  # invited, not accepted yet
    # the best remaining ranked candidate can be invited
    assert f'name="profile" value="{world.full.pk}"' in html


def test_withdrawal_hides_the_contact_on_the_firms_pages_at_once(client, world):
    application = services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    client.force_login(world.firm_user)
    assert "gap@example.com" in _html(client.get(_board(world.vacancy)))
    assert "gap@example.com" in _html(client.get(f"/en/applications/{application.pk}/"))
    assert "gap@example.com" in _html(client.get(f"/en/matches/vacancy/{world.vacancy.pk}/"))
    services.application_withdraw(user=world.gap.user, application=application)
    assert "gap@example.com" not in _html(client.get(_board(world.vacancy)))
    assert "gap@example.com" not in _html(client.get(f"/en/applications/{application.pk}/"))
    assert "gap@example.com" not in _html(client.get(f"/en/matches/vacancy/{world.vacancy.pk}/"))


def test_board_bulk_shortlist_and_reject_with_reason(client, world):
    ids = [services.application_apply(user=p.user, vacancy=world.vacancy).pk for p in (world.full, world.gap)]
    client.force_login(world.firm_user)
    url = f"/en/applications/vacancy/{world.vacancy.pk}/bulk/"
    page = _html(client.post(url, {"action": "rejected", "applications": ids}, follow=True))
    assert "Give a reason for the rejection." in page
    page = _html(client.post(url, {"action": "shortlisted", "applications": ids[:1]}, follow=True))
    assert "1 candidate moved." in page
    client.post(url, {"action": "rejected", "reason": "Too far away", "applications": ids})
    stages = dict(Application.objects.filter(pk__in=ids).values_list("pk", "stage"))
    assert stages == {ids[0]: "rejected", ids[1]: "rejected"}
    assert Application.objects.get(pk=ids[1]).rejection_reason == "Too far away"
    assert client.post(url, {"action": "shortlisted"}, follow=True).status_code == 200


def test_hire_from_the_board_closes_the_filled_vacancy_and_takes_the_outcome(client, world):
    application = services.application_apply(user=world.full.user, vacancy=world.vacancy)
    client.force_login(world.firm_user)
    page = _html(client.post(f"/en/applications/{application.pk}/move/", {"stage": "hired"}, follow=True))
    assert "Li Full: Hired." in page and "1 of 1 openings filled" in page and "Closed" in page
    today = timezone.localdate().isoformat()
    client.post(f"/en/applications/{application.pk}/outcome/", {"start_date": today, "stayed_3_months": "yes"})
    application.refresh_from_db()
    assert application.start_date is None  # refused as a whole: too early to say
    page = _html(client.post(f"/en/applications/{application.pk}/outcome/", {"start_date": today}, follow=True))
    assert "Outcome saved." in page
    application.refresh_from_db()
    assert application.start_date.isoformat() == today


def test_invite_from_the_board(client, world):
    client.force_login(world.firm_user)
    page = _html(client.post(f"/en/applications/vacancy/{world.vacancy.pk}/invite/",
                             {"profile": world.full.pk, "message": "Hello"}, follow=True))
    assert "Invitation sent to Li Full." in page
    assert Application.objects.get(profile=world.full, vacancy=world.vacancy).stage == Stage.INVITED
    page = _html(client.post(f"/en/applications/vacancy/{world.vacancy.pk}/invite/",
                             {"profile": world.full.pk}, follow=True))
    assert "already in the vacancy" in page


@pytest.mark.parametrize("who", ["other_firm_user", "student"])
def test_board_is_for_the_vacancys_firm(client, world, who):
    user = world.other_firm_user if who == "other_firm_user" else world.gap.user
    client.force_login(user)
    assert client.get(_board(world.vacancy)).status_code == (404 if who == "other_firm_user" else 403)


def test_firm_overview_counts_each_stage(client, world):
    services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.course)
    client.force_login(world.firm_user)
    html = _html(client.get("/en/applications/"))
    row = re.search(r"TikTok Shop operator</a></td>(.*?)</tr>", html, re.S).group(1)
    numbers = re.findall(r'<td class="num">([^<]+)</td>', row)
    assert numbers == ["1", "1", "0", "0", "0", "0 / 1", "2"]


def test_history_shows_who_moved_what_and_why(client, world):
    application = services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    services.application_move(user=world.firm_user, application=application, to_stage=Stage.REJECTED,
                              reason="Needs TikTok Shop level 3")
    client.force_login(world.gap.user)
    html = _html(client.get(f"/en/applications/{application.pk}/"))
    assert "Applied → <strong>Rejected</strong>" in html and "Needs TikTok Shop level 3" in html


def test_pages_render_in_chinese(client, world):
    services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    client.force_login(factories.AdminFactory())
    assert client.get(f"/applications/vacancy/{world.vacancy.pk}/").status_code == 200


def test_consent_to_a_firm_shows_the_contact_on_its_other_ranked_lists_until_withdrawn(client, world):
    """Applying to one of firm A's vacancies shares the contact with firm A: its other ranked lists show it too."""
    from apps.matching.models import CandidateMatch

    assert CandidateMatch.objects.filter(vacancy=world.second_vacancy, profile=world.gap).exists()
    application = services.application_apply(user=world.gap.user, vacancy=world.vacancy)
    client.force_login(world.firm_user)
    assert "gap@example.com" in _html(client.get(f"/en/matches/vacancy/{world.second_vacancy.pk}/"))
    services.consent_withdraw(user=world.gap.user, profile=world.gap, firm_id=world.vacancy.firm_id)
    assert "gap@example.com" not in _html(client.get(f"/en/matches/vacancy/{world.second_vacancy.pk}/"))
    assert Application.objects.get(pk=application.pk).stage == Stage.APPLIED  # the application itself stays
