"""The training pages for each role: browse, join, manage, upload a roster, see outcomes and recommendations."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.cohorts.models import Cohort, Course, Enrollment, EnrollmentStatus, Placement, Programme, RosterImport
from apps.talent.models import ProfileSkill, SkillSourceKind
from tests import factories

from .conftest import make_cohort

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_everyone_can_browse_cohorts_programmes_and_courses(cohort, programme, course):
    client = client_for(None)
    for url in ("/en/cohorts/", f"/en/cohorts/{cohort.pk}/", "/en/cohorts/programmes/",
                f"/en/cohorts/programmes/{programme.pk}/", "/en/cohorts/courses/",
                f"/en/cohorts/courses/{course.pk}/"):
        answer = client.get(url)
        assert answer.status_code == 200, url
    assert "Amazon operations lab" in client.get("/en/cohorts/").content.decode()
    assert "亚马逊运营实训" in client.get("/cohorts/").content.decode()  # Chinese is the default language


def test_a_student_joins_and_leaves_on_the_page(cohort, student):
    client = client_for(student)
    page = client.get(f"/en/cohorts/{cohort.pk}/").content.decode()
    assert "Join this cohort" in page
    answer = client.post(f"/en/cohorts/{cohort.pk}/join/", follow=True)
    assert "You are enrolled" in answer.content.decode()
    assert Enrollment.objects.get(cohort=cohort, profile=student.profile).status == EnrollmentStatus.ENROLLED
    assert cohort.course.title_en in client.get("/en/cohorts/mine/").content.decode()
    client.post(f"/en/cohorts/{cohort.pk}/leave/")
    assert Enrollment.objects.get(cohort=cohort, profile=student.profile).status == EnrollmentStatus.DROPPED


def test_a_full_cohort_says_so(course, student, make_student):
    cohort = make_cohort(course, capacity=1)
    client_for(make_student().user).post(f"/en/cohorts/{cohort.pk}/join/")
    page = client_for(student).post(f"/en/cohorts/{cohort.pk}/join/", follow=True).content.decode()
    assert "This cohort is full" in page


def test_staff_create_programme_course_and_cohort_through_the_forms(staff, government, firm):
    client = client_for(staff)
    today = timezone.localdate()
    answer = client.post("/en/cohorts/programmes/new/", {
        "name_zh": "跨境电商校企合作班", "name_en": "School-firm class", "government": government.pk,
        "funding_amount": "200000", "target_trained": "30", "target_placement_rate": "65",
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=200)).isoformat(), "status": "active"})
    programme = Programme.objects.get(name_zh="跨境电商校企合作班")
    assert answer.status_code == 302
    client.post(f"/en/cohorts/programmes/{programme.pk}/partners/", {"firm": firm.pk, "reserved_places": "6"})
    assert programme.partners.get().reserved_places == 6

    answer = client.post("/en/cohorts/courses/new/", {
        "title_zh": "跨境物流", "title_en": "Cross-border logistics", "skills": "SEO:3; 速卖通:4", "hours": "24",
        "mode": "online", "fee": "0", "is_active": "on"})
    course = Course.objects.get(title_zh="跨境物流")
    assert answer.status_code == 302
    assert {(row.skill.code, row.level) for row in course.skills.all()} == {("marketing.seo", 3),
                                                                          ("platform.aliexpress", 4)}
    bad = client.post("/en/cohorts/courses/new/", {"title_zh": "x", "skills": "no such skill:3", "hours": "1",
                                                   "mode": "online", "fee": "0"})
    assert bad.status_code == 200 and "no such skill" in bad.content.decode()

    answer = client.post("/en/cohorts/new/", {
        "course": course.pk, "programme": programme.pk, "name": "第一期", "capacity": "25",
        "starts_on": (today + dt.timedelta(days=5)).isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat()})
    cohort = Cohort.objects.get(name="第一期")
    assert answer.status_code == 302 and cohort.programme == programme and cohort.capacity == 25


def test_staff_manage_the_roster_on_the_cohort_page(staff, cohort, student):
    client = client_for(staff)
    client.post(f"/en/cohorts/{cohort.pk}/roster/add/", {"student": student.email, "status": "enrolled"})
    enrollment = Enrollment.objects.get(cohort=cohort, profile=student.profile)
    assert student.profile.user.full_name in client.get(f"/en/cohorts/{cohort.pk}/").content.decode()
    client.post(f"/en/cohorts/enrollments/{enrollment.pk}/", {
        f"e{enrollment.pk}-status": "completed", f"e{enrollment.pk}-attendance": "88", f"e{enrollment.pk}-grade": "A"})
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.grade) == ("completed", "A")
    assert ProfileSkill.objects.filter(profile=student.profile, source=SkillSourceKind.COURSE).count() == 2
    # another university's staff cannot touch it
    outsider = client_for(factories.MemberFactory(organisation=factories.UniversityFactory()))
    assert outsider.post(f"/en/cohorts/enrollments/{enrollment.pk}/", {
        f"e{enrollment.pk}-status": "failed"}).status_code == 404
    assert outsider.get(f"/en/cohorts/{cohort.pk}/edit/").status_code == 404


def test_roster_upload_runs_through_the_worker_and_shows_the_report(staff, cohort, make_student,
                                                                    django_capture_on_commit_callbacks):
    profiles = [make_student(external_id=f"S{i}") for i in range(3)]
    body = ("email_or_external_id,status,attendance,grade\n"
            "S0,completed,95,优秀\nS1,enrolled,,\nghost@example.com,enrolled,,\nS2,graduated,,\n").encode("gbk")
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = client.post(f"/en/cohorts/{cohort.pk}/roster/import/",
                             {"file": SimpleUploadedFile("roster.csv", body, content_type="text/csv")})
    assert len(callbacks) >= 1  # the import task is queued only once the upload is committed
    run = RosterImport.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/cohorts/roster-imports/{run.pk}/")
    assert (run.status, run.created, run.rejected) == ("done", 2, 2)
    page = client.get(answer["Location"]).content.decode()
    assert "ghost@example.com" in page and "graduated" in page
    problems = client.get(f"/en/cohorts/roster-imports/{run.pk}/problems.csv")
    assert problems.status_code == 200 and "ghost@example.com" in problems.content.decode("utf-8-sig")
    assert Enrollment.objects.get(profile=profiles[0]).status == "completed"
    template = client.get(f"/en/cohorts/{cohort.pk}/roster/template.csv")
    assert template.content.decode("utf-8-sig").startswith("email_or_external_id,status,attendance,grade")


def test_a_roster_upload_without_the_key_column_is_refused_on_the_page(staff, cohort):
    answer = client_for(staff).post(f"/en/cohorts/{cohort.pk}/roster/import/", {
        "file": SimpleUploadedFile("roster.csv", b"name,status\nx,enrolled\n", content_type="text/csv")})
    assert answer.status_code == 400 and "email_or_external_id" in answer.content.decode()
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize("url", ["/en/cohorts/new/", "/en/cohorts/programmes/new/", "/en/cohorts/courses/new/",
                                 "/en/cohorts/insights/", "/en/cohorts/placements/new/"])
def test_staff_pages_refuse_students_and_firms(url, student, firm_user, staff):
    assert client_for(student).get(url).status_code == 403
    assert client_for(firm_user).get(url).status_code == 403
    assert client_for(staff).get(url).status_code == 200
    assert client_for(None).get(url).status_code == 302


def test_recommendations_page_names_the_cohort_and_what_it_unlocks(student, cohort):
    for _ in range(3):
        factories.require_skills(factories.VacancyFactory(), required={"marketing.seo": (3, 1.0)})
    page = client_for(student).get("/en/cohorts/recommendations/").content.decode()
    assert "This cohort unlocks 3 vacancies." in page and cohort.course.title_en in page


def test_outcomes_and_placements_pages(staff, cohort, student, firm, government_member):
    Enrollment.objects.create(cohort=cohort, profile=student.profile, status="completed", completed_at=timezone.now())
    client = client_for(staff)
    answer = client.post("/en/cohorts/placements/new/", {"student": student.email, "firm": firm.pk,
                                                        "started_on": timezone.localdate().isoformat(),
                                                        "job_title": "Amazon operator"})
    assert answer.status_code == 302 and Placement.objects.get().firm == firm
    Cohort.objects.filter(pk=cohort.pk).update(starts_on=timezone.localdate() - dt.timedelta(days=30))
    page = client.get(f"/en/cohorts/{cohort.pk}/outcomes/").content.decode()
    assert firm.name in page and "100.0%" in page
    government_page = client_for(government_member).get(f"/en/cohorts/programmes/{cohort.programme_id}/")
    assert government_page.status_code == 200
    assert student.profile.user.full_name not in government_page.content.decode()
    assert "Amazon operator" in client.get("/en/cohorts/placements/").content.decode()
    assert "Training insights" in client.get("/en/cohorts/insights/").content.decode()


def test_each_organisation_sees_its_own_programmes_first(programme, staff, firm_member, government_member):
    assert "Programmes you run" in client_for(staff).get("/en/cohorts/programmes/").content.decode()
    partner_page = client_for(firm_member).get("/en/cohorts/programmes/").content.decode()
    assert "Programmes you partner in" in partner_page and "10 reserved places" in partner_page
    funder_page = client_for(government_member).get("/en/cohorts/programmes/").content.decode()
    assert "Programmes you fund" in funder_page and "¥500,000" in funder_page
