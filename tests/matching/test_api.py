"""Match API: the role matrix of both lists, counts, pagination, item contents, contact rules, refreshes and
match runs."""

import pytest

from apps.matching import selectors
from apps.matching.models import CandidateMatch, MatchRun
from apps.skills.models import Skill
from apps.talent.models import ProfileSkill

from .match_world import (
    AMAZON,
    COPY,
    LISTING,
    TIKTOK,
    build_world,
    fresh_incremental_cache,  # noqa: F401 (autouse)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _as(api_client, user):
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")  # the API answers in Chinese unless asked otherwise
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


def _candidates(vacancy):
    return f"/api/v1/vacancies/{vacancy.pk}/candidates/"


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 401), ("student", 403), ("university", 403), ("government", 403), ("admin", 200),
])
def test_candidates_role_matrix(api_client, world, role_users, role, expected):
    assert _as(api_client, role_users[role]).get(_candidates(world.vacancy)).status_code == expected


def test_candidates_for_the_firms_own_vacancy_only(api_client, world):
    _as(api_client, world.firm_user)
    assert api_client.get(_candidates(world.vacancy)).status_code == 200
    assert api_client.get(_candidates(world.other_vacancy)).status_code == 403  # open: seen, not managed
    assert api_client.get(_candidates(world.draft_vacancy)).status_code == 404  # another firm's draft: unseen
    assert api_client.get("/api/v1/vacancies/999999/candidates/").status_code == 404


def test_candidates_list_count_order_and_items(api_client, world):
    body = _as(api_client, world.firm_user).get(_candidates(world.vacancy)).json()
    stored = list(selectors.vacancy_candidates(vacancy_id=world.vacancy.pk))
    assert body["count"] == len(stored) == 3
    assert body["list_status"] == "ok" and body["computed_at"]
    assert [item["profile"]["id"] for item in body["results"]] == [row.profile_id for row in stored]
    assert [item["rank"] for item in body["results"]] == [1, 2, 3]
    gap = next(item for item in body["results"] if item["profile"]["id"] == world.gap.pk)
    row = CandidateMatch.objects.get(vacancy=world.vacancy, profile=world.gap)
    assert gap["score"] == pytest.approx(row.score)
    assert gap["components"] == pytest.approx(row.components)
    assert [s["code"] for s in gap["matched_skills"]] == [AMAZON, LISTING]
    tiktok = Skill.objects.get(code=TIKTOK)
    assert gap["missing_skills"][0] == {
        "code": TIKTOK, "label_en": tiktok.label_en, "label_zh": tiktok.label_zh, "required": True,
        "have": 1, "need": 3, "gap": 2, "weight": 2.0, "source": "self",
    }
    assert gap["missing_skills"][1]["code"] == COPY and gap["missing_skills"][1]["required"] is False
    assert gap["missing_skills"][1]["have"] == 0 and gap["missing_skills"][1]["source"] == ""
    assert gap["languages_missing"] == [{"code": "lang.en", "label_en": "English", "label_zh": "英语",
                                         "have": "B1", "need": "B2"}]
    assert "lacks TikTok Shop (needs level 3, has 1)" in gap["reason"]
    assert gap["details_available"] is True and gap["computed_at"]


def test_contact_fields_only_when_consented(api_client, world):
    body = _as(api_client, world.firm_user).get(_candidates(world.vacancy)).json()
    contacts = {item["profile"]["id"]: item["contact"] for item in body["results"]}
    assert contacts[world.full.pk] == {"email": "full@example.com", "phone": "+86 138 0000 0000"}
    assert contacts[world.gap.pk] is None and contacts[world.course.pk] is None
    assert "gap@example.com" not in str(body)
    world.gap.contact_visible_to_firms = True
    world.gap.save()
    body = api_client.get(_candidates(world.vacancy)).json()
    assert {item["profile"]["id"]: item["contact"] for item in body["results"]}[world.gap.pk]["email"] == \
        "gap@example.com"


def test_candidates_pagination(api_client, world):
    _as(api_client, world.firm_user)
    first = api_client.get(_candidates(world.vacancy), {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"] and first["previous"] is None
    second = api_client.get(first["next"]).json()
    assert [item["rank"] for item in second["results"]] == [3]
    assert second["results"][0]["profile"]["id"] == world.gap.pk
    assert api_client.get(_candidates(world.vacancy), {"page": 9}).status_code == 404
    capped = api_client.get(_candidates(world.vacancy), {"page_size": 500}).json()
    assert len(capped["results"]) == 3


def test_reason_follows_accept_language(api_client, world):
    _as(api_client, world.firm_user).credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = api_client.get(_candidates(world.vacancy)).json()
    gap = next(item for item in body["results"] if item["profile"]["id"] == world.gap.pk)
    assert Skill.objects.get(code=TIKTOK).label_zh in gap["reason"]


def test_closed_vacancy_has_not_open_status(api_client, world):
    body = _as(api_client, world.other_firm_user).get(_candidates(world.draft_vacancy)).json()
    assert body["list_status"] == "not_open" and body["count"] == 0


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 401), ("firm", 403), ("university", 403), ("government", 403),
])
def test_my_matches_role_matrix(api_client, role_users, role, expected):
    assert _as(api_client, role_users[role]).get("/api/v1/matches/mine/").status_code == expected


def test_my_matches_for_a_student(api_client, world):
    body = _as(api_client, world.gap.user).get("/api/v1/matches/mine/").json()
    stored = list(selectors.profile_vacancies(profile_id=world.gap.pk))
    assert body["count"] == len(stored) >= 2 and body["list_status"] == "ok"
    assert [item["vacancy"]["id"] for item in body["results"]] == [row.vacancy_id for row in stored]
    item = next(i for i in body["results"] if i["vacancy"]["id"] == world.vacancy.pk)
    assert item["vacancy"]["title"] == "TikTok Shop operator" and item["vacancy"]["firm_name"] == "Hi-tech Trading Co."
    assert item["missing_skills"][0]["code"] == TIKTOK and item["missing_skills"][0]["gap"] == 2
    assert "contact" not in item
    page = api_client.get("/api/v1/matches/mine/", {"page_size": 1}).json()
    assert len(page["results"]) == 1 and page["count"] == body["count"]


@pytest.mark.parametrize("field, value, status", [("visibility", "hidden", "hidden"),
                                                  ("matching_opt_in", False, "opted_out")])
def test_my_matches_of_a_hidden_or_opted_out_student_is_empty_and_says_why(api_client, world, field, value,
                                                                            status):
    setattr(world.gap, field, value)
    world.gap.save()
    body = _as(api_client, world.gap.user).get("/api/v1/matches/mine/").json()
    assert body == {"count": 0, "next": None, "previous": None, "computed_at": None, "list_status": status,
                    "results": []}


def test_refresh_endpoints(api_client, world, django_capture_on_commit_callbacks):
    ProfileSkill.objects.filter(profile=world.gap, skill__code=TIKTOK).update(level=5)
    _as(api_client, world.firm_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post(_candidates(world.vacancy) + "refresh/")
    assert response.status_code == 202 and response.json()["detail"]
    assert sum(c.__qualname__ == "_schedule.<locals>.enqueue" for c in callbacks) == 1  # one recompute enqueued
    assert CandidateMatch.objects.get(vacancy=world.vacancy, profile=world.gap).required == 1.0
    assert api_client.post(_candidates(world.other_vacancy) + "refresh/").status_code == 403
    api_client.force_authenticate(world.gap.user)
    assert api_client.post(_candidates(world.vacancy) + "refresh/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert api_client.post("/api/v1/matches/mine/refresh/").status_code == 202
    assert sum(c.__qualname__ == "_schedule.<locals>.enqueue" for c in callbacks) == 1  # one recompute enqueued
    api_client.force_authenticate(world.firm_user)
    assert api_client.post("/api/v1/matches/mine/refresh/").status_code == 403


def test_refresh_that_cannot_be_enqueued_answers_503(api_client, world, monkeypatch):
    from apps.matching import triggers

    def broken(_id):
        raise RuntimeError("broker down")

    monkeypatch.setattr(triggers, "profile_changed", broken)
    assert _as(api_client, world.gap.user).post("/api/v1/matches/mine/refresh/").status_code == 503


@pytest.mark.parametrize("role, expected", [
    ("anonymous", 401), ("student", 403), ("firm", 403), ("university", 403), ("government", 403), ("admin", 200),
])
def test_match_runs_for_platform_admins(api_client, world, role_users, role, expected):
    response = _as(api_client, role_users[role]).get("/api/v1/match-runs/")
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["count"] == MatchRun.objects.count() >= 1
        run = body["results"][0]
        assert run["kind"] == "full" and run["status"] == "succeeded" and "snapshot" not in run
        assert api_client.get(f"/api/v1/match-runs/{run['id']}/").json()["id"] == run["id"]
        assert api_client.get("/api/v1/match-runs/", {"kind": "vacancy"}).json()["count"] == 0
