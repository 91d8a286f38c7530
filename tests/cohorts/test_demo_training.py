"""Demo training data (``apps.cohorts.demo``): programmes, courses, cohorts, enrollments, credits and placements in
the demo set, deterministic, and addable to an existing demo set with ``seed_demo --training-only``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import ApprovalStatus
from apps.cohorts.demo import UNTAUGHT, demo_training_counts, demo_training_present
from apps.cohorts.models import (
    Cohort,
    Course,
    CourseCredit,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementSource,
    Programme,
    ProgrammePartner,
)
from apps.cohorts.selectors.outcomes import programme_outcome
from apps.core.demo.accounts import DEMO_ACCOUNTS
from apps.core.demo.services import demo_counts, demo_organisations, demo_seed
from apps.jobs.models import Vacancy, VacancySkill
from apps.talent.models import ProfileSkill, StudentProfile

pytestmark = pytest.mark.django_db

SMALL = {"students": 80, "vacancies": 24, "rematch": False}
STUDENT_EMAIL = next(a.email for a in DEMO_ACCOUNTS if a.role == "student")
UNIVERSITY_EMAIL = next(a.email for a in DEMO_ACCOUNTS if a.role == "university")


class _Rollback(Exception):
    pass


def _natural_snapshot() -> dict:
    """The training data by natural keys (no database ids)."""
    return {
        "programmes": sorted(Programme.objects.values_list("name_zh", "university__name", "government__name",
                                                          "funding_amount", "target_placement_rate", "status")),
        "partners": sorted(ProgrammePartner.objects.values_list("programme__name_zh", "firm__name",
                                                                "reserved_places")),
        "cohorts": sorted(Cohort.objects.values_list("course__title_zh", "name", "starts_on", "capacity")),
        "enrollments": sorted(Enrollment.objects.values_list("profile__external_id", "cohort__course__title_zh",
                                                             "cohort__starts_on", "status", "attendance")),
        "credits": sorted(CourseCredit.objects.values_list("profile__external_id", "skill__code", "level")),
        "placements": sorted(Placement.objects.values_list("profile__external_id", "firm__name", "started_on",
                                                           "source")),
    }


def _seeded(**options) -> dict:
    taken = {}
    try:
        with transaction.atomic():
            demo_seed(**{**SMALL, **options})
            taken.update(counts=demo_training_counts(), data=_natural_snapshot())
            raise _Rollback
    except _Rollback:
        pass
    assert not Programme.objects.exists()
    return taken


def test_demo_set_has_programmes_cohorts_enrollments_and_placements_that_fit_together():
    demo_seed(**SMALL)
    orgs = demo_organisations()
    programmes = Programme.objects.all()
    assert 6 <= programmes.count() <= 10
    approved_firms = set(orgs.filter(kind="firm", status=ApprovalStatus.APPROVED).values_list("pk", flat=True))
    for programme in programmes.select_related("university", "government"):
        assert programme.government is not None and programme.government.kind == "government"
        assert programme.government in orgs and programme.university in orgs
        assert programme.university.kind == "university"
        assert programme.funding_amount > 0 and 0 < programme.target_placement_rate <= 100
        assert programme.name_zh != programme.name_en and programme.name_en
        firms = set(programme.partners.values_list("firm_id", flat=True))
        assert firms and firms <= approved_firms
        assert programme.cohorts.exists()
    # Past, running and upcoming cohorts; none holds more people than its capacity.
    today = timezone.localdate()
    cohorts = Cohort.objects.all()
    assert cohorts.filter(ends_on__lt=today).exists()
    assert cohorts.filter(starts_on__lte=today, ends_on__gte=today).exists()
    assert cohorts.open_for_enrollment().exists()
    for cohort in cohorts:
        assert cohort.enrollments.holding_seats().count() <= cohort.capacity
        assert cohort.course.provider_id == cohort.programme.university_id
    # Enrolled people are students; completions only in cohorts that have ended.
    enrollments = Enrollment.objects.select_related("cohort", "profile__user")
    assert enrollments.count() >= 10
    assert {e.profile.user.account_type for e in enrollments} == {"student"}
    statuses = set(enrollments.values_list("status", flat=True))
    assert {EnrollmentStatus.COMPLETED, EnrollmentStatus.ENROLLED, EnrollmentStatus.DROPPED} <= statuses
    for enrollment in enrollments.filter(status=EnrollmentStatus.COMPLETED):
        assert enrollment.cohort.ends_on < today and enrollment.completed_at is not None
    # Completion credited each course skill to the profile, at least at the course's level.
    completed = enrollments.filter(status=EnrollmentStatus.COMPLETED)
    for enrollment in completed:
        taught = dict(CourseSkill.objects.filter(course=enrollment.cohort.course_id).values_list("skill_id", "level"))
        credited = dict(enrollment.credits.values_list("skill_id", "level"))
        assert credited == taught
        held = dict(ProfileSkill.objects.filter(profile=enrollment.profile_id, skill_id__in=taught)
                    .values_list("skill_id", "level"))
        assert all(held[skill] >= level for skill, level in taught.items())
    # Staff placements are of graduates, at approved demo firms, after their cohort began and not in the future.
    graduates = {(e.profile_id, e.cohort.starts_on) for e in completed}
    staff = Placement.objects.filter(source=PlacementSource.STAFF)
    assert staff.exists()
    for placement in staff:
        assert placement.firm_id in approved_firms and placement.started_on <= today
        assert any(p == placement.profile_id and placement.started_on >= s for p, s in graduates)


def test_courses_teach_demanded_skills_and_leave_some_untaught():
    demo_seed(**SMALL)
    demanded = set(VacancySkill.objects.filter(required=True, vacancy__in=Vacancy.objects.open())
                   .values_list("skill__code", flat=True))
    taught = set(CourseSkill.objects.values_list("skill__code", flat=True))
    assert demanded - taught
    assert not taught & set(UNTAUGHT)
    # A course teaches only demanded skills; only when the small market demands none of its list, its whole list.
    courses = list(Course.objects.all())
    fits = 0
    for course in courses:
        codes = set(course.skills.values_list("skill__code", flat=True))
        assert codes
        assert codes <= demanded or not codes & demanded, course.title_en
        fits += codes <= demanded
    assert fits >= len(courses) // 2


def test_placement_rates_differ_by_programme_and_the_demo_accounts_see_training():
    from django.contrib.auth import get_user_model

    demo_seed(students=300, vacancies=24, rematch=False)
    rates = {}
    for programme in Programme.objects.all():
        outcome = programme_outcome(None, programme)
        if outcome.totals.completed:
            rates[programme.pk] = (outcome.totals.placement_rate, outcome.meets_placement_target)
    assert len({rate for rate, _meets in rates.values()}) >= 3
    assert {meets for _rate, meets in rates.values()} == {True, False}

    User = get_user_model()
    staff = User.objects.get(email=UNIVERSITY_EMAIL)
    own = Programme.objects.editable_by(staff)
    assert own.exists()
    roster = Enrollment.objects.for_user(staff)
    assert roster.filter(status=EnrollmentStatus.COMPLETED).exists()
    assert set(roster.values_list("cohort__programme__university_id", flat=True)) <= set(
        own.values_list("university_id", flat=True))
    # The demo student is in a running cohort of her university; it has not credited anything yet.
    student = User.objects.get(email=STUDENT_EMAIL)
    mine = Enrollment.objects.for_user(student).get()
    assert mine.status == EnrollmentStatus.ENROLLED and mine.cohort.programme in own
    assert mine.cohort.starts_on <= timezone.localdate() <= mine.cohort.ends_on
    assert not CourseCredit.objects.filter(profile__user=student).exists()


def test_same_seed_gives_the_same_training_data_and_another_seed_differs():
    first, second, other = _seeded(seed=5), _seeded(seed=5), _seeded(seed=6)
    assert first["counts"]["enrollments"] > 0
    assert first == second
    assert first["data"]["enrollments"] != other["data"]["enrollments"]


def test_training_only_adds_training_to_an_existing_demo_set_once():
    demo_seed(**SMALL, training=False)
    assert not demo_training_present() and not Enrollment.objects.exists()
    base = {k: v for k, v in demo_counts().items() if not k.startswith("training")}
    out = StringIO()
    call_command("seed_demo", training_only=True, no_rematch=True, stdout=out)
    after = demo_counts()
    assert after["training: programmes"] > 0 and after["training: enrollments"] > 0
    assert after["training: placements of graduates"] > 0
    assert {k: v for k, v in after.items() if not k.startswith("training")} == {**base, "profile skills":
                                                                                after["profile skills"]}
    assert "Training:" in out.getvalue()
    again = StringIO()
    call_command("seed_demo", training_only=True, no_rematch=True, stdout=again)
    assert "already present" in again.getvalue()
    assert demo_counts() == after
    # The same data as building it with the demo set in one go.
    assert StudentProfile.objects.filter(enrollments__isnull=False).distinct().count() == after[
        "training: enrollments"]


def test_training_only_needs_a_demo_set_and_refuses_reset():
    with pytest.raises(CommandError, match="no demo data"):
        call_command("seed_demo", training_only=True, no_rematch=True, stdout=StringIO())
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", training_only=True, reset=True, no_rematch=True, stdout=StringIO())
    assert not Programme.objects.exists()


def test_reset_removes_the_training_data_and_rebuilds_it():
    demo_seed(**SMALL)
    before = demo_training_counts()
    demo_seed(**SMALL, reset=True)
    assert demo_training_counts() == before
    assert Programme.objects.count() == before["programmes"]


def test_help_documents_training_only():
    from apps.core.management.commands.seed_demo import Command

    text = Command().create_parser("manage.py", "seed_demo").format_help()
    assert "--training-only" in text and "existing demo set" in text
