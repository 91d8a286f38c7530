"""A cohort never holds more people than its capacity, one at a time or fifty at once."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from apps.cohorts import services
from apps.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from tests import factories
from tests.conftest import require_service

from .conftest import make_cohort, make_course


@pytest.mark.django_db
class TestCapacity:
    def test_the_place_after_the_last_is_refused_with_a_clear_message(self, course, make_student):
        cohort = make_cohort(course, capacity=2)
        for _ in range(2):
            services.enrollment_join(cohort=cohort, profile=make_student())
        with pytest.raises(services.CohortFull) as full:
            services.enrollment_join(cohort=cohort, profile=make_student())
        assert "full" in full.value.messages[0] and "2" in full.value.messages[0]
        assert Enrollment.objects.filter(cohort=cohort).count() == 2

    def test_leaving_frees_the_place_and_rejoining_reuses_the_row(self, course, make_student):
        cohort = make_cohort(course, capacity=1)
        first, second = make_student(), make_student()
        enrollment = services.enrollment_join(cohort=cohort, profile=first)
        services.enrollment_leave(enrollment=enrollment, user=first.user)
        services.enrollment_join(cohort=cohort, profile=second)
        with pytest.raises(services.CohortFull):
            services.enrollment_join(cohort=cohort, profile=first)
        assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.DROPPED

    def test_applications_take_no_place_until_staff_admit_them(self, course, make_student, staff):
        cohort = make_cohort(course, capacity=1, requires_approval=True)
        a = services.enrollment_join(cohort=cohort, profile=make_student())
        b = services.enrollment_join(cohort=cohort, profile=make_student())
        assert {a.status, b.status} == {EnrollmentStatus.APPLIED}
        services.enrollment_update(enrollment=a, user=staff, status=EnrollmentStatus.ENROLLED)
        with pytest.raises(services.CohortFull):
            services.enrollment_update(enrollment=b, user=staff, status=EnrollmentStatus.ENROLLED)
        assert Enrollment.objects.get(pk=b.pk).status == EnrollmentStatus.APPLIED

    def test_joining_twice_or_outside_the_window_is_refused(self, course, make_student):
        profile = make_student()
        cohort = make_cohort(course)
        services.enrollment_join(cohort=cohort, profile=profile)
        with pytest.raises(ValidationError, match="already"):
            services.enrollment_join(cohort=cohort, profile=profile)
        today = timezone.localdate()
        started = make_cohort(course, starts_on=today - dt.timedelta(days=1))
        with pytest.raises(ValidationError, match="not open"):
            services.enrollment_join(cohort=started, profile=profile)
        later = make_cohort(course, enrollment_opens_on=today + dt.timedelta(days=3))
        with pytest.raises(ValidationError, match="not open"):
            services.enrollment_join(cohort=later, profile=profile)
        cancelled = make_cohort(course, is_cancelled=True)
        with pytest.raises(ValidationError, match="cancelled"):
            services.enrollment_join(cohort=cancelled, profile=profile)

    def test_capacity_cannot_drop_below_the_places_taken(self, course, make_student, staff):
        cohort = make_cohort(course, capacity=3)
        for _ in range(2):
            services.enrollment_join(cohort=cohort, profile=make_student())
        with pytest.raises(ValidationError, match="2 places are already taken"):
            services.cohort_update(cohort=cohort, user=staff, data={"capacity": 1})
        services.cohort_update(cohort=cohort, user=staff, data={"capacity": 2})
        assert Cohort.objects.get(pk=cohort.pk).capacity == 2

    def test_staff_cannot_overfill_by_adding_directly(self, course, make_student, enroll):
        cohort = make_cohort(course, capacity=1)
        enroll(cohort, make_student())
        with pytest.raises(services.CohortFull):
            enroll(cohort, make_student())
        with pytest.raises(services.CohortFull):
            enroll(cohort, make_student(), "completed")
        enroll(cohort, make_student(), "applied")  # an application takes no place
        assert Enrollment.objects.filter(cohort=cohort).holding_seats().count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_students_joining_at_once_fill_exactly_twenty_places():
    """50 threads post /cohorts/{id}/join/ at the same moment: 20 are enrolled (201), 30 are told the cohort is
    full (409), nobody gets a 500, and the database holds exactly 20 enrollments."""
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "row locks need PostgreSQL: run with DATABASE_URL=postgres://...")
    provider = factories.UniversityFactory()
    cohort = make_cohort(make_course(provider, {"marketing.seo": 3}), capacity=20)
    students = [factories.StudentFactory() for _ in range(50)]
    barrier = threading.Barrier(len(students))
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def join(user):
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=30)
            response = client.post(f"/api/v1/cohorts/{cohort.pk}/join/", HTTP_ACCEPT_LANGUAGE="en")
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=join, args=(user,)) for user in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    codes = sorted(code for code, _body in answers)
    assert len(answers) == 50
    assert codes.count(201) == 20, codes
    assert codes.count(409) == 30, codes
    assert all(body["code"] == "cohort_full" and "full" in body["detail"] for code, body in answers if code == 409)
    assert Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.ENROLLED).count() == 20
