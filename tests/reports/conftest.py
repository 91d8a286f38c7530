"""A seeded world for report tests: firms with open, draft and closed vacancies, students with skills, stored
candidate matches, applications with events and hires, and training programmes with small groups (1-4 people)."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from apps.applications.models import Application, ApplicationEvent, Stage
from apps.cohorts.models import (
    Cohort,
    Course,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    Placement,
    Programme,
    ProgrammePartner,
    ProgrammeStatus,
)
from apps.jobs.models import VacancyStatus
from apps.matching.models import CandidateMatch, MatchState
from apps.skills.models import Location, Market, Skill
from apps.talent.models import ProfileSkill
from tests import factories


@pytest.fixture(autouse=True)
def _report_settings(settings):
    settings.REPORTS = {"QUALIFIED_MIN": 2, "QUALIFIED_SCORE": 0.6, "NEAR_MISS_MARGIN": 0.2, "SUPPRESS_BELOW": 5}


def _candidate(vacancy, profile, score, generation):
    return CandidateMatch(vacancy=vacancy, profile=profile, generation=generation, score=score, required=score,
                          optional=0.0, similarity=0.0, language=0.0, preference=0.0, computed_at=timezone.now())


@pytest.fixture
def report_world(db):
    """Build the world; returns a dict of the objects the tests recount from."""
    rng = random.Random(6)
    now = timezone.now()
    today = timezone.localdate()
    skills = list(Skill.objects.filter(is_language=False).order_by("code")[:6])
    location = Location.objects.order_by("code").first() or Location.objects.create(code="park", label_en="Park",
                                                                                    label_zh="园区")
    market = Market.objects.order_by("code").first() or Market.objects.create(code="rcep", label_en="RCEP",
                                                                              label_zh="RCEP")
    firms = [factories.FirmFactory(name=f"=HYPERLINK(\"x\") Firm {i}") for i in range(3)]
    vacancies = []
    for index in range(8):
        status = VacancyStatus.OPEN if index < 6 else (VacancyStatus.DRAFT if index == 6 else VacancyStatus.CLOSED)
        vacancy = factories.VacancyFactory(
            firm=firms[index % 3], status=status, openings=1 + index % 3,
            location=location.code if index % 2 == 0 else "elsewhere",
            markets=[market.code] if index % 3 == 0 else [],
            published_at=now - dt.timedelta(days=10 + index))
        chosen = rng.sample(skills[:5], k=2 + index % 2)
        factories.require_skills(vacancy, required={s.code: (1 + rng.randrange(4), 1.0) for s in chosen[:-1]},
                                 optional={chosen[-1].code: (2, 0.5)})
        vacancies.append(vacancy)

    students = []
    for index in range(30):
        user = factories.StudentFactory(full_name=f"Student Name {index}", email=f"pupil{index}@example.com")
        profile = user.profile
        profile.pref_locations = [location.code] if index % 3 == 0 else []
        profile.pref_markets = [market.code] if index % 4 == 0 else []
        profile.save()
        for skill in rng.sample(skills, k=rng.randrange(0, 4)):
            ProfileSkill.objects.create(profile=profile, skill=skill, level=1 + rng.randrange(5))
        students.append(profile)
    inactive = factories.StudentFactory(is_active=False).profile
    ProfileSkill.objects.create(profile=inactive, skill=skills[0], level=5)

    generation = MatchState.get().current_generation
    rows = []
    for vacancy in vacancies:
        for profile in rng.sample(students, k=8):
            rows.append(_candidate(vacancy, profile, round(rng.random(), 3), generation))
    rows.append(_candidate(vacancies[0], students[0], 0.99, generation + 5))  # another generation: ignored
    CandidateMatch.objects.bulk_create(rows)

    applications = []
    for index, (vacancy, profile) in enumerate(zip(vacancies * 2, students, strict=False)):
        stage = [Stage.APPLIED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED][index % 4]
        application = Application.objects.create(
            profile=profile, vacancy=vacancy, source="applied", stage=stage, stage_changed_at=now,
            hired_at=now if stage == Stage.HIRED else None)
        if stage in (Stage.INTERVIEW, Stage.OFFER, Stage.HIRED):
            ApplicationEvent.objects.create(application=application, actor_role="firm", from_stage="applied",
                                            to_stage=Stage.INTERVIEW, created_at=now)
        if stage in (Stage.OFFER, Stage.HIRED):
            ApplicationEvent.objects.create(application=application, actor_role="firm", from_stage="interview",
                                            to_stage=Stage.OFFER, created_at=now)
        applications.append(application)

    university = factories.UniversityFactory(name="University One")
    small_school = factories.UniversityFactory(name="Small School")
    bureau = factories.GovernmentFactory(name="Commerce Bureau")
    course = Course.objects.create(provider=university, title_zh="运营", title_en="Operations", hours=40)
    CourseSkill.objects.create(course=course, skill=skills[0], level=3)
    small_course = Course.objects.create(provider=small_school, title_zh="物流", title_en="Logistics", hours=20)
    CourseSkill.objects.create(course=small_course, skill=skills[1], level=3)
    big = Programme.objects.create(name_zh="大项目", name_en="Big programme", university=university,
                                   government=bureau, funding_amount=120000, target_placement_rate=50,
                                   starts_on=today - dt.timedelta(days=200), ends_on=today + dt.timedelta(days=100),
                                   status=ProgrammeStatus.ACTIVE)
    small = Programme.objects.create(name_zh="小项目", name_en="Small programme", university=small_school,
                                     government=bureau, funding_amount=30000, target_placement_rate=80,
                                     starts_on=today - dt.timedelta(days=200), ends_on=today + dt.timedelta(days=100),
                                     status=ProgrammeStatus.ACTIVE)
    ProgrammePartner.objects.create(programme=big, firm=firms[0], reserved_places=5)
    ProgrammePartner.objects.create(programme=small, firm=firms[1], reserved_places=2)
    start = today - dt.timedelta(days=150)
    cohort_big = Cohort.objects.create(course=course, programme=big, starts_on=start,
                                       ends_on=start + dt.timedelta(days=60), capacity=40)
    cohort_small = Cohort.objects.create(course=small_course, programme=small, starts_on=start,
                                         ends_on=start + dt.timedelta(days=60), capacity=10)
    cancelled = Cohort.objects.create(course=course, programme=big, starts_on=start, is_cancelled=True,
                                      ends_on=start + dt.timedelta(days=60), capacity=10)
    statuses = [EnrollmentStatus.COMPLETED, EnrollmentStatus.COMPLETED, EnrollmentStatus.ENROLLED,
                EnrollmentStatus.FAILED, EnrollmentStatus.DROPPED, EnrollmentStatus.APPLIED]
    completed_at = timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=60), dt.time(12)))
    for index, profile in enumerate(students[:18]):
        Enrollment.objects.create(cohort=cohort_big, profile=profile, status=statuses[index % 6],
                                  completed_at=completed_at if statuses[index % 6] == "completed" else None)
    for profile in students[18:21]:  # a small group: 3 people
        Enrollment.objects.create(cohort=cohort_small, profile=profile, status=EnrollmentStatus.COMPLETED,
                                  completed_at=completed_at)
    Enrollment.objects.create(cohort=cancelled, profile=students[25], status=EnrollmentStatus.COMPLETED,
                              completed_at=completed_at)
    for offset, profile in enumerate(students[:21:2]):
        # some placed after the cohort began (count), one before it (does not count)
        began = start - dt.timedelta(days=30) if offset == 1 else start + dt.timedelta(days=70 + 3 * offset)
        Placement.objects.create(profile=profile, firm=firms[offset % 3], started_on=began)
    return {"skills": skills, "location": location, "market": market, "firms": firms, "vacancies": vacancies,
            "students": students, "generation": generation, "programmes": {"big": big, "small": small},
            "cohorts": [cohort_big, cohort_small, cancelled], "applications": applications}
