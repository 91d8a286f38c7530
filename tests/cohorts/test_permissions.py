"""The training API's permission matrix: every operation × every role → the expected status.

Roles: ``university`` runs the programme, course and cohorts; ``other_university`` is staff elsewhere; ``firm`` is
a partner firm of the programme (and the firm that hired the student); ``other_firm`` is not a partner; the
``government`` agency funds the programme; ``student`` is enrolled in ``cohort`` (not in ``open_cohort``).
Each role's call runs in a savepoint that is rolled back, so every role meets the same world.

The object rule (``apps.core.permissions``): an object the caller cannot see answers 404, one the caller sees
but may not change answers 403, anonymous callers get 401.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from apps.cohorts.models import Enrollment, EnrollmentStatus, Placement
from tests import factories

from .conftest import make_cohort

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "student", "firm", "other_firm", "university", "other_university", "government", "admin")


@dataclass
class World:
    users: dict
    ids: dict
    provider_id: int


@pytest.fixture
def world(programme, course, firm, firm_member, government_member, staff, provider):
    student = factories.StudentFactory()
    today = timezone.localdate()
    cohort = make_cohort(course, programme=programme)
    open_cohort = make_cohort(course, programme=programme)
    enrollment = Enrollment.objects.create(cohort=cohort, profile=student.profile, status=EnrollmentStatus.ENROLLED)
    placement = Placement.objects.create(profile=student.profile, firm=firm, started_on=today)
    other = factories.StudentFactory()
    users = {"anonymous": None, "student": student, "firm": firm_member, "other_firm": factories.MemberFactory(),
             "university": staff,
             "other_university": factories.MemberFactory(organisation=factories.UniversityFactory()),
             "government": government_member, "admin": factories.AdminFactory()}
    return World(users=users, provider_id=provider.pk, ids={
        "programme": programme.pk, "course": course.pk, "cohort": cohort.pk, "open_cohort": open_cohort.pk,
        "enrollment": enrollment.pk, "placement": placement.pk, "other_email": other.email, "firm": firm.pk,
        "start": str(today + dt.timedelta(days=3)), "end": str(today + dt.timedelta(days=30))})


def programme_body(w):
    return {"name_zh": "新项目", "university": w.provider_id, "starts_on": w.ids["start"], "ends_on": w.ids["end"]}


def course_body(w):
    return {"title_zh": "新课程", "provider": w.provider_id, "skills": [{"skill": "marketing.seo", "level": 3}]}


def cohort_body(w):
    return {"course": w.ids["course"], "programme": w.ids["programme"], "capacity": 10, "starts_on": w.ids["start"],
            "ends_on": w.ids["end"]}


# (method, url, body) -> expected status per role, in ROLES order
MATRIX = {
    ("get", "/api/v1/programmes/", None): (200, 200, 200, 200, 200, 200, 200, 200),
    ("post", "/api/v1/programmes/", programme_body): (401, 403, 403, 403, 201, 403, 403, 201),
    ("get", "/api/v1/programmes/{programme}/", None): (200, 200, 200, 200, 200, 200, 200, 200),
    ("patch", "/api/v1/programmes/{programme}/", lambda w: {"name_en": "Renamed"}):
        (401, 403, 403, 403, 200, 403, 403, 200),
    ("get", "/api/v1/programmes/{programme}/outcomes/", None): (401, 200, 200, 200, 200, 200, 200, 200),
    ("get", "/api/v1/courses/", None): (200, 200, 200, 200, 200, 200, 200, 200),
    ("post", "/api/v1/courses/", course_body): (401, 403, 403, 403, 201, 403, 403, 201),
    ("get", "/api/v1/courses/{course}/", None): (200, 200, 200, 200, 200, 200, 200, 200),
    ("patch", "/api/v1/courses/{course}/", lambda w: {"hours": 60}): (401, 403, 403, 403, 200, 403, 403, 200),
    ("get", "/api/v1/cohorts/", None): (200, 200, 200, 200, 200, 200, 200, 200),
    ("post", "/api/v1/cohorts/", cohort_body): (401, 403, 403, 403, 201, 403, 403, 201),
    ("get", "/api/v1/cohorts/{cohort}/", None): (200, 200, 200, 200, 200, 200, 200, 200),
    ("patch", "/api/v1/cohorts/{cohort}/", lambda w: {"place": "Room 2"}): (401, 403, 403, 403, 200, 403, 403, 200),
    ("post", "/api/v1/cohorts/{open_cohort}/join/", None): (401, 201, 403, 403, 403, 403, 403, 403),
    ("post", "/api/v1/cohorts/{cohort}/leave/", None): (401, 200, 403, 403, 403, 403, 403, 403),
    ("post", "/api/v1/cohorts/{cohort}/complete-all/", lambda w: {}): (401, 403, 403, 403, 200, 403, 403, 200),
    ("get", "/api/v1/cohorts/{cohort}/outcomes/", None): (401, 200, 200, 200, 200, 200, 200, 200),
    ("get", "/api/v1/enrollments/", None): (401, 200, 200, 200, 200, 200, 200, 200),
    ("post", "/api/v1/enrollments/", lambda w: {"cohort": w.ids["cohort"], "student": w.ids["other_email"]}):
        (401, 403, 403, 403, 201, 403, 403, 201),
    ("get", "/api/v1/enrollments/{enrollment}/", None): (401, 200, 404, 404, 200, 404, 404, 200),
    ("patch", "/api/v1/enrollments/{enrollment}/", lambda w: {"grade": "A"}): (401, 403, 404, 404, 200, 404, 404, 200),
    ("get", "/api/v1/placements/", None): (401, 200, 200, 200, 200, 200, 200, 200),
    ("post", "/api/v1/placements/", lambda w: {"student": w.ids["other_email"], "firm": w.ids["firm"],
                                               "started_on": w.ids["start"]}):
        (401, 403, 403, 403, 403, 403, 403, 201),
    ("get", "/api/v1/placements/{placement}/", None): (401, 200, 200, 404, 200, 404, 404, 200),
    ("delete", "/api/v1/placements/{placement}/", None): (401, 403, 403, 404, 204, 404, 404, 204),
    ("get", "/api/v1/cohort-recommendations/", None): (401, 200, 403, 403, 403, 403, 403, 403),
    ("get", "/api/v1/training-insights/", None): (401, 403, 403, 403, 200, 200, 403, 200),
}


@pytest.mark.parametrize("operation", list(MATRIX), ids=lambda op: f"{op[0]} {op[1]}")
def test_permission_matrix(world, operation):
    method, url, body = operation
    path = url.format(**world.ids)
    answers = {}
    for role in ROLES:
        client = APIClient()
        if world.users[role] is not None:
            client.force_authenticate(world.users[role])
        data = body(world) if body is not None else None
        with transaction.atomic():
            response = getattr(client, method)(path, data, format="json") if data is not None else \
                getattr(client, method)(path)
            transaction.set_rollback(True)
        answers[role] = response.status_code
    expected = dict(zip(ROLES, MATRIX[operation], strict=True))
    assert answers == expected


def test_every_training_operation_is_in_the_matrix():
    """A new endpoint of this app fails here until it has a row above."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    prefixes = ("/api/v1/programmes", "/api/v1/courses", "/api/v1/cohorts", "/api/v1/enrollments",
                "/api/v1/placements", "/api/v1/cohort-recommendations", "/api/v1/training-insights")
    routes = {(method, path) for path, item in schema["paths"].items() if path.startswith(prefixes)
              for method in item if method in ("get", "post", "put", "patch", "delete")}
    covered = {(method, url.replace("{programme}", "{id}").replace("{course}", "{id}").replace("{cohort}", "{id}")
                .replace("{open_cohort}", "{id}").replace("{enrollment}", "{id}").replace("{placement}", "{id}"))
               for method, url, _body in MATRIX}
    # PUT replaces the whole object with the same permission rule as PATCH.
    covered |= {("put", path) for method, path in covered if method == "patch"}
    assert routes - covered == set()
