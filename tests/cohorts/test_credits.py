"""Completion credits the course's skills (source: course), never lowers a level, and undoing it takes exactly
that credit back."""

import random
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.cohorts import services
from apps.cohorts.models import CourseCredit, EnrollmentStatus
from apps.skills.models import Skill
from apps.talent import services as talent_services
from apps.talent.models import ProfileSkill, SkillSourceKind

from .conftest import make_cohort, make_course

pytestmark = pytest.mark.django_db

AMAZON, SEO, PPC = "platform.amazon_seller_central", "marketing.seo", "marketing.amazon_ppc"


def snapshot(profile) -> dict[str, tuple[int, str, str]]:
    return {row.skill.code: (row.level, row.source, row.evidence)
            for row in ProfileSkill.objects.filter(profile=profile).select_related("skill")}


def set_self(profile, code, level):
    talent_services.profile_set_skill(profile=profile, skill=Skill.objects.get(code=code), level=level)


def complete(enrollment, staff):
    return services.enrollment_update(enrollment=enrollment, user=staff, status=EnrollmentStatus.COMPLETED)


def uncomplete(enrollment, staff, status=EnrollmentStatus.ENROLLED):
    return services.enrollment_update(enrollment=enrollment, user=staff, status=status)


def test_completion_adds_skills_with_course_source_and_evidence(cohort, make_student, enroll, staff):
    profile = make_student()
    enrollment = enroll(cohort, profile)
    with mock.patch("apps.cohorts.services.credits.profile_changed") as changed:
        complete(enrollment, staff)
    rows = snapshot(profile)
    assert rows[AMAZON][:2] == (4, SkillSourceKind.COURSE)
    assert rows[SEO][:2] == (3, SkillSourceKind.COURSE)
    assert f"#{cohort.pk}" in rows[AMAZON][2] and "亚马逊运营实训" in rows[AMAZON][2]
    changed.assert_called_once_with(profile.pk)
    credits = CourseCredit.objects.filter(enrollment=enrollment)
    assert {(c.skill.code, c.level, c.raised, c.baseline_level) for c in credits} == {
        (AMAZON, 4, True, None), (SEO, 3, True, None)}
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert {c.credited_on for c in credits} == {timezone.localdate(enrollment.completed_at)}


def test_completion_never_lowers_a_higher_level(cohort, make_student, enroll, staff):
    profile = make_student()
    set_self(profile, SEO, 5)
    set_self(profile, AMAZON, 2)
    complete(enroll(cohort, profile), staff)
    rows = snapshot(profile)
    assert rows[SEO][:2] == (5, SkillSourceKind.SELF)
    assert rows[AMAZON][:2] == (4, SkillSourceKind.COURSE)
    assert not CourseCredit.objects.get(skill__code=SEO).raised


def test_undo_restores_the_previous_level_and_source_or_removes_the_skill(cohort, make_student, enroll, staff):
    profile = make_student()
    set_self(profile, AMAZON, 2)
    set_self(profile, PPC, 3)
    before = snapshot(profile)
    enrollment = enroll(cohort, profile)
    complete(enrollment, staff)
    assert snapshot(profile) != before
    with mock.patch("apps.cohorts.services.credits.profile_changed") as changed:
        uncomplete(enrollment, staff, EnrollmentStatus.FAILED)
    assert snapshot(profile) == before
    changed.assert_called_once_with(profile.pk)
    assert not CourseCredit.objects.active().filter(enrollment=enrollment).exists()
    assert CourseCredit.objects.filter(enrollment=enrollment, revoked_at__isnull=False).count() == 2


def test_completing_again_after_undo_credits_again(cohort, make_student, enroll, staff):
    profile = make_student()
    enrollment = enroll(cohort, profile)
    complete(enrollment, staff)
    credited = snapshot(profile)
    uncomplete(enrollment, staff)
    assert snapshot(profile) == {}
    complete(enrollment, staff)
    assert {k: v[:2] for k, v in snapshot(profile).items()} == {k: v[:2] for k, v in credited.items()}
    assert CourseCredit.objects.active().filter(enrollment=enrollment).count() == 2


def test_two_courses_stack_and_each_undo_takes_back_only_its_own(provider, programme, make_student, enroll, staff):
    profile = make_student()
    set_self(profile, SEO, 2)
    baseline = snapshot(profile)
    low = make_cohort(make_course(provider, {SEO: 3}, title_zh="SEO 入门"), programme=programme)
    high = make_cohort(make_course(provider, {SEO: 4}, title_zh="SEO 进阶"), programme=programme)
    first, second = enroll(low, profile), enroll(high, profile)
    complete(first, staff)
    assert snapshot(profile)[SEO][:2] == (3, SkillSourceKind.COURSE)
    complete(second, staff)
    assert snapshot(profile)[SEO][:2] == (4, SkillSourceKind.COURSE)
    assert "SEO 进阶" in snapshot(profile)[SEO][2]
    uncomplete(first, staff)  # the higher credit stays in force
    assert snapshot(profile)[SEO][:2] == (4, SkillSourceKind.COURSE)
    uncomplete(second, staff)
    assert snapshot(profile) == baseline


def test_undoing_the_higher_course_falls_back_to_the_lower_one(provider, programme, make_student, enroll, staff):
    profile = make_student()
    low = make_cohort(make_course(provider, {SEO: 3}, title_zh="SEO 入门"), programme=programme)
    high = make_cohort(make_course(provider, {SEO: 4}, title_zh="SEO 进阶"), programme=programme)
    first, second = enroll(low, profile), enroll(high, profile)
    complete(first, staff)
    complete(second, staff)
    uncomplete(second, staff)
    level, source, evidence = snapshot(profile)[SEO]
    assert (level, source) == (3, SkillSourceKind.COURSE) and "SEO 入门" in evidence
    uncomplete(first, staff)
    assert SEO not in snapshot(profile)


def test_a_later_self_declared_change_survives_the_undo(cohort, make_student, enroll, staff):
    profile = make_student()
    enrollment = enroll(cohort, profile)
    complete(enrollment, staff)
    set_self(profile, SEO, 5)
    uncomplete(enrollment, staff)
    rows = snapshot(profile)
    assert rows[SEO][:2] == (5, SkillSourceKind.SELF)
    assert AMAZON not in rows


def test_a_self_declared_level_cannot_undercut_a_course_level(cohort, make_student, enroll, staff):
    profile = make_student()
    complete(enroll(cohort, profile), staff)
    with pytest.raises(ValidationError):
        set_self(profile, AMAZON, 2)


def test_random_sequences_of_completions_and_undos_always_return_to_the_baseline(provider, programme, make_student,
                                                                                 enroll, staff):
    """Three courses over overlapping skills, completed and undone in random orders: at every step each skill
    is at max(baseline, active credits), and with no credit left the profile is exactly its baseline."""
    courses = [make_course(provider, {SEO: 3, AMAZON: 2}, title_zh="A"),
               make_course(provider, {SEO: 4}, title_zh="B"),
               make_course(provider, {AMAZON: 5, PPC: 3}, title_zh="C")]
    cohorts = [make_cohort(course, programme=programme, capacity=50) for course in courses]
    taught = [{SEO: 3, AMAZON: 2}, {SEO: 4}, {AMAZON: 5, PPC: 3}]
    rng = random.Random(20260630)
    for trial in range(6):
        profile = make_student()
        for code in rng.sample([SEO, AMAZON, PPC], rng.randint(0, 3)):
            set_self(profile, code, rng.randint(1, 5))
        baseline = snapshot(profile)
        enrollments = [enroll(c, profile) for c in cohorts]
        done = [False, False, False]
        for _step in range(8):
            index = rng.randrange(3)
            if done[index]:
                uncomplete(enrollments[index], staff)
            else:
                complete(enrollments[index], staff)
            done[index] = not done[index]
            rows = snapshot(profile)
            for code in (SEO, AMAZON, PPC):
                expected = max([baseline.get(code, (0,))[0]] + [taught[i].get(code, 0) for i in range(3) if done[i]])
                assert rows.get(code, (0,))[0] == expected, (trial, code, done)
        for index in range(3):
            if done[index]:
                uncomplete(enrollments[index], staff)
        assert snapshot(profile) == baseline, trial
