"""The training app's broker paths for real: a roster upload imported by a Celery worker through Redis, and a
completion whose re-matching the worker performs (the bar's "after the worker runs")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from apps.cohorts.models import Enrollment, RosterImport
from apps.matching.selectors import vacancy_candidates
from apps.matching.services import full_rematch_in_process
from apps.talent.models import ProfileSkill, SkillSourceKind
from tests import factories
from tests.cohorts.conftest import make_cohort, make_course

pytestmark = [pytest.mark.redis, pytest.mark.slow]

PPC, AMAZON = "marketing.amazon_ppc", "platform.amazon_seller_central"


def test_a_roster_upload_is_imported_by_the_worker(transactional_db, live_celery):
    provider = factories.UniversityFactory()
    staff = factories.MemberFactory(organisation=provider)
    cohort = make_cohort(make_course(provider, {PPC: 4}))
    student = factories.StudentFactory()
    client = Client()
    client.force_login(staff)
    body = f"email_or_external_id,status,attendance,grade\n{student.email},completed,90,A\nghost@x.cn,enrolled,,\n"
    answer = client.post(f"/en/cohorts/{cohort.pk}/roster/import/",
                         {"file": SimpleUploadedFile("roster.csv", body.encode(), content_type="text/csv")})
    assert answer.status_code == 302
    run = RosterImport.objects.get()
    live_celery.wait_for(lambda: RosterImport.objects.get(pk=run.pk).status == "done", timeout=60)
    run.refresh_from_db()
    assert (run.created, run.rejected) == (1, 1)
    assert Enrollment.objects.get(cohort=cohort, profile=student.profile).status == "completed"
    assert ProfileSkill.objects.get(profile=student.profile, skill__code=PPC).source == SkillSourceKind.COURSE


def test_after_completion_the_worker_puts_the_student_into_the_vacancy_list(transactional_db,
                                                                            live_celery):
    provider = factories.UniversityFactory()
    staff = factories.MemberFactory(organisation=provider)
    vacancy = factories.VacancyFactory()
    factories.require_skills(vacancy, required={AMAZON: (3, 1.0), PPC: (3, 1.0)})
    student = factories.StudentFactory()
    factories.give_skills(student.profile, **{AMAZON: 4})
    qualified = factories.StudentFactory()
    factories.give_skills(qualified.profile, **{AMAZON: 3, PPC: 3})
    cohort = make_cohort(make_course(provider, {PPC: 4}))
    full_rematch_in_process(reason="test", shards=1)
    ranked_before = [row.profile_id for row in vacancy_candidates(vacancy_id=vacancy.pk)]
    assert ranked_before[0] == qualified.profile.pk

    api = APIClient()
    api.force_authenticate(student)
    enrollment_id = api.post(f"/api/v1/cohorts/{cohort.pk}/join/").json()["id"]
    api.force_authenticate(staff)
    assert api.patch(f"/api/v1/enrollments/{enrollment_id}/", {"status": "completed"},
                     format="json").status_code == 200

    def student_listed_as_qualified():
        rows = {row.profile_id: row for row in vacancy_candidates(vacancy_id=vacancy.pk)}
        return student.profile.pk in rows and rows[student.profile.pk].required == 1.0

    live_celery.wait_for(student_listed_as_qualified, timeout=60)
