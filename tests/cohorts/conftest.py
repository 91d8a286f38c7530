"""Fixtures for the training app: a provider with staff, a course teaching skills, a programme, an open cohort."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import OrganisationKind
from apps.cohorts import services
from apps.cohorts.models import Cohort, Course, CourseSkill, Programme, ProgrammePartner, ProgrammeStatus
from apps.skills.models import Skill
from tests import factories


def make_course(provider, skills: dict[str, int], **fields) -> Course:
    """A course of ``provider`` teaching ``{code: level}``."""
    course = Course.objects.create(provider=provider, title_zh=fields.pop("title_zh", "亚马逊运营实训"),
                                   title_en=fields.pop("title_en", "Amazon operations lab"), hours=40, **fields)
    for code, level in skills.items():
        CourseSkill.objects.create(course=course, skill=Skill.objects.get(code=code), level=level)
    return course


def make_cohort(course, *, programme=None, capacity=20, **fields) -> Cohort:
    """A cohort taking enrollments today (it starts in a week)."""
    today = timezone.localdate()
    fields.setdefault("starts_on", today + dt.timedelta(days=7))
    fields.setdefault("ends_on", today + dt.timedelta(days=60))
    return Cohort.objects.create(course=course, programme=programme, capacity=capacity, name="2026 spring",
                                 **fields)


@pytest.fixture
def provider(university):
    return university


@pytest.fixture
def staff(university_user):
    return university_user


@pytest.fixture
def government(db):
    return factories.GovernmentFactory()


@pytest.fixture
def programme(provider, government, firm):
    today = timezone.localdate()
    programme = Programme.objects.create(
        name_zh="跨境电商订单班", name_en="Cross-border e-commerce order class", university=provider,
        government=government, funding_amount=500000, target_trained=40, target_placement_rate=60,
        starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=300),
        status=ProgrammeStatus.ACTIVE)
    ProgrammePartner.objects.create(programme=programme, firm=firm, reserved_places=10)
    return programme


@pytest.fixture
def course(provider):
    return make_course(provider, {"platform.amazon_seller_central": 4, "marketing.seo": 3})


@pytest.fixture
def cohort(course, programme):
    return make_cohort(course, programme=programme)


@pytest.fixture
def make_student():
    def make(**profile_fields):
        user = factories.StudentFactory()
        for name, value in profile_fields.items():
            setattr(user.profile, name, value)
        if profile_fields:
            user.profile.save()
        return user.profile

    return make


@pytest.fixture
def enroll(staff):
    """``enroll(cohort, profile, status)``: put a student on a roster through the staff service."""

    def run(cohort, profile, status="enrolled"):
        return services.enrollment_add(cohort=cohort, profile=profile, user=staff, status=status)

    return run


@pytest.fixture
def firm_member(firm):
    return factories.MemberFactory(organisation=firm)


@pytest.fixture
def government_member(government):
    return factories.MemberFactory(organisation=government)


def org_kind_user(kind):
    organisation = {OrganisationKind.FIRM: factories.FirmFactory, OrganisationKind.UNIVERSITY:
                    factories.UniversityFactory, OrganisationKind.GOVERNMENT: factories.GovernmentFactory}[kind]()
    return factories.MemberFactory(organisation=organisation)
