"""Gap-closing recommendations: the "unlocks N vacancies" figure equals a brute-force recount over the database."""

import datetime as dt
import random

import numpy as np
import pytest
from django.utils import timezone

from apps.cohorts import gapmath
from apps.cohorts.models import Enrollment, EnrollmentStatus
from apps.cohorts.selectors import student_recommendations, university_insights
from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill, VacancyStatus
from apps.skills.models import Skill
from apps.talent.models import ProfileLanguage, ProfileSkill
from tests import factories

from .conftest import make_cohort, make_course

pytestmark = pytest.mark.django_db

POOL = ["platform.amazon_seller_central", "platform.aliexpress", "marketing.seo", "marketing.amazon_ppc",
        "platform.shopee", "platform.tiktok_shop", "marketing.influencer_marketing", "platform.listing_optimization"]
LANGUAGES = ["lang.en", "lang.es"]


def language(code):
    return Skill.objects.get(code=code, is_language=True)


def open_requirements() -> dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """Every open vacancy's required skills and languages, read straight from the tables."""
    out = {}
    for vacancy in Vacancy.objects.open():
        out[vacancy.pk] = (
            list(VacancySkill.objects.filter(vacancy=vacancy, required=True).values_list("skill_id", "min_level")),
            list(VacancyLanguage.objects.filter(vacancy=vacancy).values_list("language_id", "min_cefr")),
        )
    return out


def brute_force_qualifies(profile_id: int, raised: dict[int, int] | None = None, requirements=None) -> set[int]:
    """Open vacancies whose every required skill and language the profile meets, by the definition, one by one."""
    skills = dict(ProfileSkill.objects.filter(profile_id=profile_id).values_list("skill_id", "level"))
    for skill_id, level in (raised or {}).items():
        skills[skill_id] = max(skills.get(skill_id, 0), level)
    languages = dict(ProfileLanguage.objects.filter(profile_id=profile_id).values_list("language_id", "cefr"))
    out = set()
    for vacancy_id, (required, wanted_languages) in (requirements or open_requirements()).items():
        if all(skills.get(skill, 0) >= level for skill, level in required) and \
                all(languages.get(lang, 0) >= cefr for lang, cefr in wanted_languages):
            out.add(vacancy_id)
    return out


def test_a_cohort_teaching_the_one_missing_skill_unlocks_every_vacancy_that_asks_for_it(course, programme, student):
    """Twelve vacancies need Amazon at 3 plus SEO at 2; the student has SEO: the course unlocks all twelve."""
    factories.give_skills(student.profile, **{"marketing.seo": 2})
    for _ in range(12):
        vacancy = factories.VacancyFactory()
        factories.require_skills(vacancy, required={"platform.amazon_seller_central": (3, 1.0),
                                                    "marketing.seo": (2, 1.0)})
    unrelated = factories.VacancyFactory()
    factories.require_skills(unrelated, required={"platform.shopee": (2, 1.0)})
    cohort = make_cohort(course, programme=programme)  # teaches Amazon 4, SEO 3

    result = student_recommendations(student, student.profile)

    assert (result.open_vacancies, result.qualified_now, result.nearly) == (13, 0, 13)
    assert [(g.skill.code, g.level_needed, g.vacancies) for g in result.gaps][:1] == [
        ("platform.amazon_seller_central", 3, 12)]
    [top] = result.cohorts
    assert top.cohort.pk == cohort.pk and top.unlocks == 12
    assert len(brute_force_qualifies(student.profile.pk, {Skill.objects.get(code="platform.amazon_seller_central").pk:
                                                          4})) == 12
    assert [skill.code for skill, _level in top.closes] == ["platform.amazon_seller_central"]


def test_unlock_counts_equal_a_brute_force_recount(provider, programme):
    rng = random.Random(4)
    skills = {code: Skill.objects.get(code=code) for code in POOL}
    english, spanish = language(LANGUAGES[0]), language(LANGUAGES[1])
    today = timezone.localdate()
    for index in range(45):
        status = VacancyStatus.OPEN if index % 9 else rng.choice([VacancyStatus.DRAFT, VacancyStatus.CLOSED])
        deadline = today - dt.timedelta(days=1) if index == 10 else None  # expired: not open
        vacancy = factories.VacancyFactory(status=status, deadline=deadline, openings=rng.randint(1, 4))
        for code in rng.sample(POOL, rng.randint(1, 4)):
            VacancySkill.objects.create(vacancy=vacancy, skill=skills[code], min_level=rng.randint(1, 5),
                                        required=rng.random() < 0.75, weight=1.0)
        if rng.random() < 0.3:
            VacancyLanguage.objects.create(vacancy=vacancy, language=rng.choice([english, spanish]),
                                           min_cefr=rng.randint(2, 5))
    cohorts = []
    for index in range(7):
        taught = {code: rng.randint(2, 5) for code in rng.sample(POOL, rng.randint(1, 3))}
        cohorts.append(make_cohort(make_course(provider, taught, title_zh=f"课程 {index}"), programme=programme))
    make_cohort(make_course(provider, {code: 5 for code in POOL}), is_cancelled=True)  # never recommended
    make_cohort(make_course(provider, {code: 5 for code in POOL}), starts_on=today - dt.timedelta(days=3))

    requirements = open_requirements()
    assert len(requirements) == 39  # 45 minus drafts/closed (every 9th) minus the expired one
    checked = 0
    for trial in range(8):
        user = factories.StudentFactory()
        profile = user.profile
        for code in rng.sample(POOL, rng.randint(0, 5)):
            ProfileSkill.objects.create(profile=profile, skill=skills[code], level=rng.randint(1, 5))
        if rng.random() < 0.6:
            ProfileLanguage.objects.create(profile=profile, language=english, cefr=rng.randint(2, 6))
        if trial == 0:  # already in one cohort: it is not recommended again
            Enrollment.objects.create(cohort=cohorts[0], profile=profile, status=EnrollmentStatus.ENROLLED)

        result = student_recommendations(user, profile)

        now = brute_force_qualifies(profile.pk, requirements=requirements)
        assert result.qualified_now == len(now)
        recommended = {r.cohort.pk: r for r in result.cohorts}
        if trial == 0:
            assert cohorts[0].pk not in recommended
        for cohort in cohorts:
            if trial == 0 and cohort is cohorts[0]:
                continue
            taught = dict(cohort.course.skills.values_list("skill_id", "level"))
            after = brute_force_qualifies(profile.pk, taught, requirements)
            unlocks = len(after - now)
            if cohort.pk in recommended:
                assert recommended[cohort.pk].unlocks == unlocks, (trial, cohort.pk)
                assert set(recommended[cohort.pk].unlocked_vacancy_ids) == after - now
                checked += 1
            else:
                assert unlocks == 0, (trial, cohort.pk)
        ranked = [r.unlocks for r in result.cohorts]
        assert ranked == sorted(ranked, reverse=True)
    assert checked >= 10


def test_gap_math_matches_the_definition_on_random_arrays():
    """The numpy module alone, against a loop over the same arrays (the engine's R == 1 and L == 1)."""
    rng = np.random.default_rng(7)
    n_vac, n_skills, n_langs = 300, 25, 4
    req_rows = [rng.choice(n_skills, size=rng.integers(0, 5), replace=False) for _ in range(n_vac)]
    lang_rows = [rng.choice(n_langs, size=rng.integers(0, 2), replace=False) for _ in range(n_vac)]
    req_min = [rng.integers(1, 6, size=len(r)) for r in req_rows]
    lang_min = [rng.integers(1, 7, size=len(r)) for r in lang_rows]

    def csr(rows):
        return np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)

    req = gapmath.Requirements(
        n_vacancies=n_vac, req_indptr=csr(req_rows), req_idx=np.concatenate(req_rows).astype(np.int64),
        req_min_level=np.concatenate(req_min).astype(np.int8), lang_indptr=csr(lang_rows),
        lang_idx=np.concatenate(lang_rows).astype(np.int64), lang_min_level=np.concatenate(lang_min).astype(np.int8))
    for _ in range(20):
        levels = rng.integers(0, 6, size=n_skills) * (rng.random(n_skills) < 0.5)
        langs = rng.integers(0, 7, size=n_langs)
        courses = rng.integers(0, 6, size=(5, n_skills)) * (rng.random((5, n_skills)) < 0.2)

        def ok(lv):
            return np.array([all(lv[s] >= m for s, m in zip(req_rows[v], req_min[v], strict=True))
                             and all(langs[x] >= m for x, m in zip(lang_rows[v], lang_min[v], strict=True))
                             for v in range(n_vac)])

        gaps = gapmath.close_gaps(levels, langs, req, courses)
        base = ok(levels)
        assert np.array_equal(gaps.qualified_now, base)
        for k in range(5):
            assert gaps.unlocks[k] == int((ok(np.maximum(levels, courses[k])) & ~base).sum())


def test_university_sees_untaught_demand_and_what_its_graduates_match(provider, programme, staff, course):
    """Demand is weighted by openings; skills any active course teaches are left out; graduates' reach counts
    distinct open vacancies at least one graduate qualifies for."""
    for openings, required in ((5, {"platform.tiktok_shop": (3, 1.0)}), (2, {"platform.shopee": (2, 1.0)}),
                               (3, {"platform.shopee": (2, 1.0), "marketing.seo": (2, 1.0)}),
                               (4, {"platform.amazon_seller_central": (4, 1.0)})):
        factories.require_skills(factories.VacancyFactory(openings=openings), required=required)
    factories.require_skills(factories.VacancyFactory(status=VacancyStatus.DRAFT, openings=50),
                             required={"platform.lazada": (1, 1.0)})
    cohort = make_cohort(course, programme=programme)
    graduate = factories.StudentFactory().profile
    Enrollment.objects.create(cohort=cohort, profile=graduate, status=EnrollmentStatus.COMPLETED,
                              completed_at=timezone.now())
    factories.give_skills(graduate, **{"platform.amazon_seller_central": 4, "marketing.seo": 3,
                                       "platform.shopee": 2})

    insights = university_insights(staff)

    demand = [(row.skill.code, row.openings, row.vacancies) for row in insights["demand"]]
    assert demand == [("platform.shopee", 5, 2), ("platform.tiktok_shop", 5, 1)]  # SEO and Amazon are taught
    [reach] = [r for r in insights["cohorts"] if r.cohort.pk == cohort.pk]
    assert (reach.graduates, reach.vacancies_matched) == (1, 3)


def test_a_changed_requirement_is_seen_at_once_despite_the_cached_market(student, cohort):
    """The loaded vacancies are reused between requests, but any change to a requirement row invalidates them."""
    vacancy = factories.VacancyFactory()
    factories.require_skills(vacancy, required={"marketing.seo": (3, 1.0)})
    assert student_recommendations(student, student.profile).cohorts[0].unlocks == 1
    VacancySkill.objects.filter(vacancy=vacancy).update(min_level=5)  # beyond what the course teaches (3)
    [still_teaches] = student_recommendations(student, student.profile).cohorts  # SEO, but not up to 5
    assert still_teaches.unlocks == 0 and still_teaches.unlocked_vacancy_ids == []
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.CLOSED)
    assert student_recommendations(student, student.profile).open_vacancies == 0
