"""The pipeline over the API: apply (409 on a duplicate), invitations, stage moves, bulk actions, the board with
explanations, outcomes, and contact details that disappear the moment consent ends."""

import pytest
from django.utils import timezone

from apps.applications.models import Application, Stage

pytestmark = pytest.mark.django_db


def _apply(client_for, profile, vacancy, **extra):
    return client_for(profile.user).post("/api/v1/applications/", {"vacancy": vacancy.pk, **extra}, format="json")


def test_apply_answers_201_and_a_duplicate_409_with_a_clear_message(world, client_for):
    first = _apply(client_for, world.gap, world.vacancy, note="Hello")
    assert first.status_code == 201, first.data
    assert first.data["stage"] == "applied" and first.data["note"] == "Hello"
    assert first.data["match"]["score"] > 0 and first.data["events"][0]["to_stage"] == "applied"
    second = _apply(client_for, world.gap, world.vacancy)
    assert second.status_code == 409
    assert second.data["code"] == "duplicate_application"
    assert "You already applied to this vacancy on" in second.data["detail"]
    assert Application.objects.filter(profile=world.gap).count() == 1


@pytest.mark.parametrize(("body", "field"), [({}, "vacancy"), ({"vacancy": "x"}, "vacancy"),
                                             ({"vacancy": 987654}, "vacancy")])
def test_bad_apply_input_names_the_field(world, client_for, body, field):
    response = client_for(world.gap.user).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400 and field in response.data


def test_applying_to_a_draft_is_refused_as_unknown(world, client_for):
    response = _apply(client_for, world.gap, world.draft_vacancy)
    assert response.status_code == 400 and "vacancy" in response.data


def _firm_view(client_for, world, application_id):
    return client_for(world.firm_user).get(f"/api/v1/applications/{application_id}/").data


def test_withdrawing_removes_the_contact_from_the_firms_api_at_once(world, client_for):
    application_id = _apply(client_for, world.gap, world.vacancy).data["id"]
    firm = client_for(world.firm_user)
    assert _firm_view(client_for, world, application_id)["contact"] == {"email": "gap@example.com",
                                                                         "phone": "+86 138 0000 0000"}
    board = firm.get(f"/api/v1/vacancies/{world.vacancy.pk}/pipeline/").data
    assert board["stages"]["applied"][0]["contact"]["email"] == "gap@example.com"
    listed = firm.get("/api/v1/applications/", {"vacancy": world.vacancy.pk}).data["results"]
    assert listed[0]["contact"]["email"] == "gap@example.com"

    response = client_for(world.gap.user).post(f"/api/v1/applications/{application_id}/withdraw/", {}, format="json")
    assert response.status_code == 200 and response.data["stage"] == "withdrawn"
    assert _firm_view(client_for, world, application_id)["contact"] is None
    board = firm.get(f"/api/v1/vacancies/{world.vacancy.pk}/pipeline/").data
    assert board["stages"]["withdrawn"][0]["contact"] is None
    assert firm.get("/api/v1/applications/").data["results"][0]["contact"] is None


def test_withdrawing_consent_keeps_the_application_without_contact(world, client_for):
    application_id = _apply(client_for, world.gap, world.vacancy).data["id"]
    response = client_for(world.gap.user).post(f"/api/v1/applications/{application_id}/withdraw-consent/")
    assert response.status_code == 200 and response.data["stage"] == "applied"
    assert _firm_view(client_for, world, application_id)["contact"] is None
    # the student still sees their own details
    assert response.data["contact"]["email"] == "gap@example.com"


def test_a_student_who_shares_with_all_firms_stays_visible_after_withdrawing_consent(world, client_for):
    application_id = _apply(client_for, world.full, world.vacancy).data["id"]
    client_for(world.full.user).post(f"/api/v1/applications/{application_id}/withdraw-consent/")
    assert _firm_view(client_for, world, application_id)["contact"]["email"] == "full@example.com"


def test_invitation_flow_over_the_api(world, client_for):
    firm = client_for(world.firm_user)
    body = {"vacancy": world.vacancy.pk, "profile": world.gap.pk, "message": "We like your Amazon skills"}
    created = firm.post("/api/v1/invitations/", body, format="json")
    assert created.status_code == 201 and created.data["stage"] == "invited" and created.data["contact"] is None
    again = firm.post("/api/v1/invitations/", body, format="json")
    assert again.status_code == 409 and again.data["code"] == "duplicate_application"
    hidden = firm.post("/api/v1/invitations/", {"vacancy": world.vacancy.pk, "profile": world.hidden.pk},
                       format="json")
    assert hidden.status_code == 404
    accepted = client_for(world.gap.user).post(f"/api/v1/applications/{created.data['id']}/accept/",
                                               {"note": "Happy to"}, format="json")
    assert accepted.status_code == 200 and accepted.data["stage"] == "applied"
    assert _firm_view(client_for, world, created.data["id"])["contact"]["email"] == "gap@example.com"
    declined_again = client_for(world.gap.user).post(f"/api/v1/applications/{created.data['id']}/decline/")
    assert declined_again.status_code == 400 and "already answered" in str(declined_again.data)


def test_moves_hire_and_outcome_over_the_api(world, client_for):
    application_id = _apply(client_for, world.gap, world.vacancy).data["id"]
    firm = client_for(world.firm_user)
    url = f"/api/v1/applications/{application_id}/"
    assert firm.post(url + "move/", {"stage": "rejected"}, format="json").data == {
        "reason": ["Give a reason for the rejection."]}
    assert firm.post(url + "move/", {"stage": "sideways"}, format="json").status_code == 400
    assert firm.post(url + "move/", {"stage": "interview"}, format="json").data["stage"] == "interview"
    hired = firm.post(url + "move/", {"stage": "hired"}, format="json")
    assert hired.status_code == 200 and hired.data["outcome"]["hired_at"]
    today = timezone.localdate().isoformat()
    outcome = firm.post(url + "outcome/", {"start_date": today}, format="json")
    assert outcome.status_code == 200 and outcome.data["outcome"]["start_date"] == today
    early = firm.post(url + "outcome/", {"stayed_3_months": True}, format="json")
    assert early.status_code == 400 and "too early" in str(early.data["stayed_3_months"])
    assert firm.post(url + "outcome/", {}, format="json").data["outcome"]["start_date"] == today  # nothing sent
    events = [(e["from_stage"], e["to_stage"], e["actor_role"]) for e in firm.get(url).data["events"]]
    assert events == [("", "applied", "student"), ("applied", "interview", "firm"), ("interview", "hired", "firm")]


def test_hiring_past_the_openings_answers_409(world, client_for):
    first = _apply(client_for, world.full, world.second_vacancy).data["id"]
    second = _apply(client_for, world.gap, world.second_vacancy).data["id"]
    firm = client_for(world.firm_user)
    assert firm.post(f"/api/v1/applications/{first}/move/", {"stage": "hired"}, format="json").status_code == 200
    refused = firm.post(f"/api/v1/applications/{second}/move/", {"stage": "hired"}, format="json")
    assert refused.status_code == 409 and refused.data["code"] == "vacancy_filled"
    assert "only opening is already filled" in refused.data["detail"]


def test_bulk_reject_reports_each_application(world, client_for):
    ids = [_apply(client_for, p, world.vacancy).data["id"] for p in (world.full, world.gap, world.course)]
    firm = client_for(world.firm_user)
    url = f"/api/v1/vacancies/{world.vacancy.pk}/pipeline/bulk/"
    assert firm.post(url, {"action": "rejected", "applications": ids}, format="json").status_code == 400
    answer = firm.post(url, {"action": "shortlisted", "applications": [*ids[:2], 987654]}, format="json").data
    assert answer["moved"] == 2 and [r["ok"] for r in answer["results"]] == [True, True, False]
    answer = firm.post(url, {"action": "rejected", "reason": "Filled internally", "applications": ids},
                       format="json").data
    assert answer["moved"] == 3
    assert set(Application.objects.filter(pk__in=ids).values_list("stage", flat=True)) == {Stage.REJECTED}


def test_the_board_groups_by_stage_with_the_matchers_reason(world, client_for):
    for profile in (world.full, world.gap):
        _apply(client_for, profile, world.vacancy)
    board = client_for(world.firm_user).get(f"/api/v1/vacancies/{world.vacancy.pk}/pipeline/").data
    applied = board["stages"]["applied"]
    assert [item["profile"]["name"] for item in applied] == ["Li Full", "Wang Gap"]  # best match first
    assert applied[0]["reason"].startswith("Meets all 3 required skills")
    assert "lacks TikTok Shop" in applied[1]["reason"]
    assert set(applied[0]["components_now"]) == {"required", "optional", "similarity", "language", "preference"}
    assert board["hires"] == 0 and board["openings_left"] == 1


def test_lists_are_scoped(world, client_for):
    _apply(client_for, world.gap, world.vacancy)
    _apply(client_for, world.gap, world.other_vacancy)
    assert client_for(world.firm_user).get("/api/v1/applications/").data["count"] == 1
    assert client_for(world.other_firm_user).get("/api/v1/applications/").data["count"] == 1
    assert client_for(world.gap.user).get("/api/v1/applications/").data["count"] == 2
    assert client_for(world.course.user).get("/api/v1/applications/").data["count"] == 0


def test_consent_reaches_the_firms_ranked_candidates_api_and_ends_at_once(world, client_for):
    firm = client_for(world.firm_user)
    url = f"/api/v1/vacancies/{world.second_vacancy.pk}/candidates/"

    def gap_contact():
        rows = firm.get(url).data["results"]
        return next(row["contact"] for row in rows if row["profile"]["id"] == world.gap.pk)

    assert gap_contact() is None
    application_id = _apply(client_for, world.gap, world.vacancy).data["id"]  # firm A's other vacancy
    assert gap_contact() == {"email": "gap@example.com", "phone": "+86 138 0000 0000"}
    client_for(world.gap.user).post(f"/api/v1/applications/{application_id}/withdraw-consent/")
    assert gap_contact() is None
