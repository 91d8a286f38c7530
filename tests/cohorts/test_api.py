"""The training API for each role: who may create, join, complete and read what."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.cohorts.models import (
    Cohort,
    Course,
    Enrollment,
    EnrollmentStatus,
    Placement,
    Programme,
    PublicTrainingCentre,
)
from apps.talent.models import ProfileSkill, SkillSourceKind
from tests import factories

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def programme_body(**extra):
    today = timezone.localdate()
    body = {"name_zh": "跨境电商人才订单班", "name_en": "Cross-border order class", "starts_on": str(today),
            "ends_on": str(today + dt.timedelta(days=180)), "target_trained": 50, "target_placement_rate": "70",
            "status": "active"}
    body.update(extra)
    return body


class TestProgrammes:
    def test_staff_create_a_programme_with_partners_and_funding(self, staff, firm, government):
        answer = client_for(staff).post("/api/v1/programmes/", programme_body(
            government=government.pk, funding_amount="300000", partners=[{"firm": firm.pk, "reserved_places": 8}]),
            format="json")
        assert answer.status_code == 201, answer.json()
        body = answer.json()
        assert body["university"] == staff.primary_organisation.pk
        assert body["partners"] == [{"firm": firm.pk, "firm_name": firm.name, "reserved_places": 8, "note": ""}]
        assert body["government_name"] == government.name

    def test_partners_are_replaced_when_sent(self, staff, programme, firm):
        other = factories.FirmFactory()
        answer = client_for(staff).patch(f"/api/v1/programmes/{programme.pk}/",
                                         {"partners": [{"firm": other.pk, "reserved_places": 3}]}, format="json")
        assert answer.status_code == 200, answer.json()
        assert [(p["firm"], p["reserved_places"]) for p in answer.json()["partners"]] == [(other.pk, 3)]

    @pytest.mark.parametrize("role, code", [("anonymous", 401), ("student", 403), ("firm", 403),
                                            ("government", 403)])
    def test_only_university_staff_create(self, role_users, role, code):
        assert client_for(role_users[role]).post("/api/v1/programmes/", programme_body(),
                                                 format="json").status_code == code

    def test_a_funder_that_is_not_a_government_agency_is_refused(self, staff, firm):
        answer = client_for(staff).post("/api/v1/programmes/", programme_body(government=firm.pk), format="json")
        assert answer.status_code == 400 and "government" in answer.json()

    def test_drafts_are_seen_by_their_university_partners_and_funder_only(self, programme, staff, firm_member,
                                                                           government_member, role_users):
        Programme.objects.filter(pk=programme.pk).update(status="draft")
        url = f"/api/v1/programmes/{programme.pk}/"
        for user in (staff, firm_member, government_member, role_users["admin"]):
            assert client_for(user).get(url).status_code == 200
        for user in (None, role_users["student"], factories.MemberFactory(), factories.MemberFactory(
                organisation=factories.UniversityFactory())):
            assert client_for(user).get(url).status_code == 404

    def test_another_university_cannot_change_it(self, programme):
        outsider = factories.MemberFactory(organisation=factories.UniversityFactory())
        answer = client_for(outsider).patch(f"/api/v1/programmes/{programme.pk}/", {"name_en": "x"}, format="json")
        assert answer.status_code == 403


class TestCourses:
    def test_skills_are_taken_by_any_name(self, staff):
        answer = client_for(staff).post("/api/v1/courses/", {
            "title_zh": "速卖通运营", "hours": 32, "mode": "online", "fee": "800",
            "skills": [{"skill": "速卖通", "level": 3}, {"skill": "marketing.seo", "level": 2}]}, format="json")
        assert answer.status_code == 201, answer.json()
        assert {(s["skill"], s["level"]) for s in answer.json()["skills"]} == {("platform.aliexpress", 3),
                                                                               ("marketing.seo", 2)}

    def test_the_public_training_centre_teaches_for_free(self, staff, provider):
        PublicTrainingCentre.objects.create(organisation=provider)
        client = client_for(staff)
        answer = client.post("/api/v1/courses/", {"title_zh": "直播带货", "fee": "100",
                                                  "skills": [{"skill": "marketing.seo"}]}, format="json")
        assert answer.status_code == 400 and "fee" in answer.json()
        free = client.post("/api/v1/courses/", {"title_zh": "直播带货", "fee": "0",
                                                "skills": [{"skill": "marketing.seo"}]}, format="json")
        assert free.status_code == 201

    def test_a_language_is_not_a_course_skill(self, staff):
        answer = client_for(staff).post("/api/v1/courses/", {"title_zh": "英语", "skills": [{"skill": "lang.en"}]},
                                        format="json")
        assert answer.status_code == 400


class TestCohortsAndEnrollments:
    def test_staff_schedule_a_cohort_and_students_join_it(self, staff, course, programme, student):
        today = timezone.localdate()
        answer = client_for(staff).post("/api/v1/cohorts/", {
            "course": course.pk, "programme": programme.pk, "name": "秋季班", "capacity": 1,
            "starts_on": str(today + dt.timedelta(days=10)), "ends_on": str(today + dt.timedelta(days=40))},
            format="json")
        assert answer.status_code == 201, answer.json()
        cohort_id = answer.json()["id"]
        joined = client_for(student).post(f"/api/v1/cohorts/{cohort_id}/join/")
        assert joined.status_code == 201 and joined.json()["status"] == "enrolled"
        assert client_for(student).post(f"/api/v1/cohorts/{cohort_id}/join/").status_code == 400
        full = client_for(factories.StudentFactory()).post(f"/api/v1/cohorts/{cohort_id}/join/")
        assert full.status_code == 409 and full.json()["code"] == "cohort_full"
        assert client_for(staff).post(f"/api/v1/cohorts/{cohort_id}/join/").status_code == 403
        listed = client_for(None).get("/api/v1/cohorts/?open=1").json()["results"]
        assert [(c["id"], c["seats_taken"]) for c in listed] == [(cohort_id, 1)]

    def test_only_the_programme_university_adds_cohorts_to_its_programme(self, programme, staff, course):
        """Another provider's staff cannot put their course into this programme; this programme's staff may run
        another provider's course inside it."""
        outsider = factories.MemberFactory(organisation=factories.UniversityFactory())
        foreign = Course.objects.create(provider=outsider.primary_organisation, title_zh="外校课程")
        today = timezone.localdate()
        body = {"capacity": 5, "starts_on": str(today), "ends_on": str(today), "programme": programme.pk}
        assert client_for(outsider).post("/api/v1/cohorts/", {**body, "course": foreign.pk},
                                         format="json").status_code == 403
        assert client_for(outsider).post("/api/v1/cohorts/", {**body, "course": course.pk},
                                         format="json").status_code == 403
        assert client_for(staff).post("/api/v1/cohorts/", {**body, "course": foreign.pk},
                                      format="json").status_code == 201
        assert client_for(staff).post("/api/v1/cohorts/", {**body, "course": foreign.pk, "programme": None},
                                      format="json").status_code == 403

    def test_staff_complete_an_enrollment_and_the_skills_are_credited(self, staff, cohort, student):
        enrollment = client_for(staff).post("/api/v1/enrollments/", {
            "cohort": cohort.pk, "student": student.email, "status": "enrolled"}, format="json")
        assert enrollment.status_code == 201, enrollment.json()
        url = f"/api/v1/enrollments/{enrollment.json()['id']}/"
        assert client_for(student).patch(url, {"status": "completed"}, format="json").status_code == 403
        done = client_for(staff).patch(url, {"status": "completed", "attendance": "92.5", "grade": "优秀"},
                                       format="json")
        assert done.status_code == 200, done.json()
        assert done.json()["status"] == "completed" and done.json()["attendance"] == "92.50"
        assert {(c["skill"], c["level"], c["active"]) for c in done.json()["credits"]} == {
            ("platform.amazon_seller_central", 4, True), ("marketing.seo", 3, True)}
        assert ProfileSkill.objects.get(profile=student.profile, skill__code="marketing.seo").source == \
            SkillSourceKind.COURSE
        back = client_for(staff).patch(url, {"status": "enrolled"}, format="json")
        assert {c["active"] for c in back.json()["credits"]} == {False}
        assert not ProfileSkill.objects.filter(profile=student.profile).exists()

    def test_bad_input_names_the_field(self, staff, cohort, student):
        enrollment = Enrollment.objects.create(cohort=cohort, profile=student.profile, status="enrolled")
        url = f"/api/v1/enrollments/{enrollment.pk}/"
        assert "attendance" in client_for(staff).patch(url, {"attendance": "150"}, format="json").json()
        assert "status" in client_for(staff).patch(url, {"status": "graduated"}, format="json").json()
        unknown = client_for(staff).post("/api/v1/enrollments/", {"cohort": cohort.pk, "student": "nobody@x.cn"},
                                         format="json")
        assert unknown.status_code == 400 and "student" in unknown.json()

    def test_who_sees_which_enrollments(self, staff, cohort, programme, firm_member, government_member,
                                        make_student, role_users):
        sharing = make_student(contact_visible_to_firms=True)
        private = make_student()
        for profile in (sharing, private):
            Enrollment.objects.create(cohort=cohort, profile=profile, status=EnrollmentStatus.COMPLETED,
                                      completed_at=timezone.now())
        enrolled = make_student(contact_visible_to_firms=True)
        Enrollment.objects.create(cohort=cohort, profile=enrolled, status=EnrollmentStatus.ENROLLED)

        def seen(user):
            return {row["profile"] for row in client_for(user).get("/api/v1/enrollments/").json()["results"]}

        assert seen(staff) == {sharing.pk, private.pk, enrolled.pk}
        assert seen(firm_member) == {sharing.pk}  # a partner firm: consenting graduates only
        assert seen(factories.MemberFactory()) == set()  # a firm that is not a partner
        assert seen(sharing.user) == {sharing.pk}
        assert seen(government_member) == set()
        assert seen(factories.MemberFactory(organisation=factories.UniversityFactory())) == set()
        rows = client_for(firm_member).get("/api/v1/enrollments/").json()["results"]
        assert rows[0]["email"] == sharing.user.email
        assert client_for(staff).get("/api/v1/enrollments/").json()["results"][0]["email"] is None


class TestOutcomes:
    def test_programme_outcomes_by_role(self, staff, cohort, programme, firm, firm_member, government_member,
                                        make_student):
        today = timezone.localdate()
        graduates = [make_student(contact_visible_to_firms=i == 0) for i in range(4)]
        for profile in graduates:
            Enrollment.objects.create(cohort=cohort, profile=profile, status=EnrollmentStatus.COMPLETED,
                                      completed_at=timezone.now() - dt.timedelta(days=20))
        Enrollment.objects.create(cohort=cohort, profile=make_student(), status=EnrollmentStatus.FAILED)
        Cohort.objects.filter(pk=cohort.pk).update(starts_on=today - dt.timedelta(days=60),
                                                   ends_on=today - dt.timedelta(days=20))
        other_firm = factories.FirmFactory()
        for profile, hired_by, days in ((graduates[0], firm, 10), (graduates[1], other_firm, 30)):
            answer = client_for(staff).post("/api/v1/placements/", {
                "student": profile.user.email, "firm": hired_by.pk,
                "started_on": str(today - dt.timedelta(days=20) + dt.timedelta(days=days))}, format="json")
            assert answer.status_code == 201, answer.json()

        body = client_for(staff).get(f"/api/v1/programmes/{programme.pk}/outcomes/").json()
        assert body["totals"] == {"enrolled": 5, "completed": 4, "failed": 1, "dropped": 0, "placed": 2,
                                  "placed_at_partners": 1, "placement_rate": 50.0, "median_days_to_placement": 20.0}
        assert body["target_placement_rate"] == 60.0 and body["meets_placement_target"] is False
        assert body["trained_vs_target"] == 10.0  # 4 of 40
        assert body["partners"] == [{"firm": firm.pk, "firm_name": firm.name, "reserved_places": 10, "hired": 1,
                                     "filled_rate": 10.0}]
        assert len(body["cohorts"][0]["graduates"]) == 4
        government = client_for(government_member).get(f"/api/v1/programmes/{programme.pk}/outcomes/").json()
        assert government["totals"] == body["totals"] and government["cohorts"][0]["graduates"] == []
        partner = client_for(firm_member).get(f"/api/v1/programmes/{programme.pk}/outcomes/").json()
        assert [(g["enrollment"], g["email"]) for g in partner["cohorts"][0]["graduates"]] == [
            (Enrollment.objects.get(profile=graduates[0]).pk, graduates[0].user.email)]
        assert {g["email"] for g in body["cohorts"][0]["graduates"]} == {""}  # staff: names, not contact details
        assert {p["profile"] for p in client_for(firm_member).get("/api/v1/placements/").json()["results"]} == {
            graduates[0].pk}
        assert client_for(government_member).get("/api/v1/placements/").json()["results"] == []

    def test_placements_only_for_own_students(self, firm, make_student):
        outsider = factories.MemberFactory(organisation=factories.UniversityFactory())
        answer = client_for(outsider).post("/api/v1/placements/", {
            "student": make_student().user.email, "firm": firm.pk, "started_on": str(timezone.localdate())},
            format="json")
        assert answer.status_code == 403
        assert not Placement.objects.exists()


class TestRecommendationsAndInsights:
    def test_students_get_recommendations_others_are_refused(self, student, cohort, staff):
        vacancy = factories.VacancyFactory()
        factories.require_skills(vacancy, required={"marketing.seo": (3, 1.0)})
        body = client_for(student).get("/api/v1/cohort-recommendations/").json()
        assert body["cohorts"][0]["cohort"]["id"] == cohort.pk and body["cohorts"][0]["unlocks"] == 1
        assert body["cohorts"][0]["unlocked_vacancy_ids"] == [vacancy.pk]
        assert body["gaps"][0]["skill"] == "marketing.seo"
        assert client_for(staff).get("/api/v1/cohort-recommendations/").status_code == 403
        assert client_for(staff).get("/api/v1/training-insights/").status_code == 200
        assert client_for(student).get("/api/v1/training-insights/").status_code == 403


def test_a_hire_through_the_applications_pipeline_counts_as_a_placement(staff, cohort, programme, firm, firm_member,
                                                                        student):
    """Hired in the pipeline, start date confirmed: the placement appears (source pipeline) and counts for the
    programme at its partner firm, without staff recording anything."""
    from apps.applications import services as applications

    Enrollment.objects.create(cohort=cohort, profile=student.profile, status=EnrollmentStatus.COMPLETED,
                              completed_at=timezone.now() - dt.timedelta(days=5))
    Cohort.objects.filter(pk=cohort.pk).update(starts_on=timezone.localdate() - dt.timedelta(days=40))
    vacancy = factories.VacancyFactory(firm=firm, openings=2)
    factories.require_skills(vacancy, required={"marketing.seo": (1, 1.0)})
    application = applications.application_apply(user=student, vacancy=vacancy)
    application = applications.application_move(user=firm_member, application=application, to_stage="hired")
    applications.outcome_record(user=firm_member, application=application, start_date=timezone.localdate())

    placement = Placement.objects.get(profile=student.profile)
    assert (placement.source, placement.firm, placement.vacancy) == ("pipeline", firm, vacancy)
    body = client_for(staff).get(f"/api/v1/programmes/{programme.pk}/outcomes/").json()
    assert (body["totals"]["placed"], body["totals"]["placed_at_partners"]) == (1, 1)
    assert body["totals"]["median_days_to_placement"] == 5.0
