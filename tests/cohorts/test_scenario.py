"""The bar's scenario, through the API: a student lacks a vacancy's required skill, joins the cohort the platform
recommends, staff mark the completion, the matcher runs, and the student is in the vacancy's ranked candidates
with that skill shown as met (source: course completed)."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from apps.matching.explain import explain_for_vacancy
from apps.matching.selectors import vacancy_candidates
from apps.matching.services import full_rematch_in_process
from apps.talent.models import SkillSourceKind
from tests import factories

from .conftest import make_cohort, make_course

pytestmark = pytest.mark.django_db

SEO, AMAZON, PPC = "marketing.seo", "platform.amazon_seller_central", "marketing.amazon_ppc"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_student_closes_a_gap_through_a_recommended_cohort_and_rises_into_the_vacancy_list(
        provider, programme, staff, django_capture_on_commit_callbacks):
    vacancy = factories.VacancyFactory(title="Amazon PPC specialist")
    factories.require_skills(vacancy, required={AMAZON: (3, 2.0), PPC: (3, 1.0)})
    student = factories.StudentFactory()
    factories.give_skills(student.profile, **{AMAZON: 4})
    # Two other candidates already qualify, so the list is not trivially "everyone".
    for _ in range(2):
        other = factories.StudentFactory()
        factories.give_skills(other.profile, **{AMAZON: 3, PPC: 3})
    decoy = make_cohort(make_course(provider, {SEO: 4}, title_zh="SEO 实训"), programme=programme)
    ppc_cohort = make_cohort(make_course(provider, {PPC: 4}, title_zh="亚马逊广告实训"), programme=programme)
    full_rematch_in_process(reason="test")
    before = {row.profile_id: row for row in vacancy_candidates(vacancy_id=vacancy.pk)}
    if student.profile.pk in before:  # listed for the Amazon half, but PPC is shown missing
        [mine] = [e for e in explain_for_vacancy(vacancy, [before[student.profile.pk]])]
        assert PPC in [line.skill.code for line in mine.missing_required]

    # 1. The platform recommends the cohort that teaches the missing skill, and says it unlocks the vacancy.
    recommendations = client_for(student).get("/api/v1/cohort-recommendations/").json()
    assert recommendations["gaps"][0]["skill"] == PPC
    top = recommendations["cohorts"][0]
    assert top["cohort"]["id"] == ppc_cohort.pk and vacancy.pk in top["unlocked_vacancy_ids"]
    assert decoy.pk not in [r["cohort"]["id"] for r in recommendations["cohorts"]]

    # 2. The student joins it.
    joined = client_for(student).post(f"/api/v1/cohorts/{ppc_cohort.pk}/join/")
    assert joined.status_code == 201, joined.json()

    # 3. Staff mark the completion; the profile change triggers the student's re-matching on commit.
    with django_capture_on_commit_callbacks(execute=True):
        done = client_for(staff).patch(f"/api/v1/enrollments/{joined.json()['id']}/", {"status": "completed"},
                                       format="json")
    assert done.status_code == 200, done.json()

    # 4. The firm reads the vacancy's ranked candidates: the student is listed, PPC met, credited by the course.
    firm_member = factories.MemberFactory(organisation=vacancy.firm)
    answer = client_for(firm_member).get(f"/api/v1/vacancies/{vacancy.pk}/candidates/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200, answer.json()
    listed = {item["profile"]["id"]: item for item in answer.json()["results"]}
    assert student.profile.pk in listed
    mine = listed[student.profile.pk]
    [ppc] = [skill for skill in mine["matched_skills"] if skill["code"] == PPC]
    assert (ppc["have"], ppc["need"], ppc["gap"], ppc["source"]) == (4, 3, 0, SkillSourceKind.COURSE)
    assert mine["missing_skills"] == [] and mine["components"]["required"] == 1.0
    if student.profile.pk in before:
        assert mine["score"] > before[student.profile.pk].score
    # the stored explanation says the same, with the source's label in words
    rows = list(vacancy_candidates(vacancy_id=vacancy.pk))
    [why] = [e for e in explain_for_vacancy(vacancy, rows) if e.profile_id == student.profile.pk]
    [ppc_line] = [line for line in why.matched_required if line.skill.code == PPC]
    with translation.override("en"):
        assert str(ppc_line.source_label) == "Course completed"
