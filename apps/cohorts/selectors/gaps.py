"""Gap-closing recommendations: what a student lacks for the vacancies they nearly match and which open cohorts
close it ("this cohort unlocks 12 vacancies"); for a university, the demand no course meets and what each
cohort's graduates now qualify for.

The Django side loads the open vacancies with the matcher's own loader (``apps.matching.loaders``) and asks
the matching engine (``apps.matching.engine.evaluate_pairs``) for the required (R) and language (L) components
of the student — as they are and as each cohort would leave them — against every open vacancy: "qualifies"
means R == 1 and L == 1. ``apps.cohorts.gapmath`` does the rest on plain arrays (which skills fall short in
nearly-matched vacancies, what each cohort unlocks).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill
from apps.matching.engine import DEFAULT_WEIGHTS, Profiles, build_profile_matrix, build_vacancy_matrix, evaluate_pairs
from apps.matching.loaders import Vocabulary, load_vacancies
from apps.skills.models import Skill
from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile

from .. import gapmath
from ..models import SEAT_STATUSES, Cohort, Course, CourseSkill, Enrollment, EnrollmentStatus
from .catalogue import cohorts_for_user

ENGINE_PAIRS_PER_CALL = 500_000
UNIT_TOLERANCE = 1e-9
MARKET_TTL = 120
_MARKET_LOCK = threading.Lock()
_MARKET_CACHE: dict = {}


def _market_stamp() -> tuple:
    """Changes whenever the open vacancies or any requirement row or skill changes (edits, imports, closing,
    a deadline passing)."""
    open_ids = Vacancy.objects.open().values("pk")
    vacancies = Vacancy.objects.filter(pk__in=open_ids).aggregate(n=Count("pk"), top=Max("pk"),
                                                                   changed=Max("updated_at"))
    skills = VacancySkill.objects.aggregate(n=Count("pk"), top=Max("pk"), levels=Sum("min_level"),
                                            required=Count("pk", filter=Q(required=True)))
    languages = VacancyLanguage.objects.aggregate(n=Count("pk"), top=Max("pk"), levels=Sum("min_cefr"))
    taxonomy = Skill.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (timezone.localdate(), *vacancies.values(), *skills.values(), *languages.values(), *taxonomy.values())


@dataclass
class Market:
    """The open vacancies as the engine sees them, and the vocabulary mapping them to database ids."""

    vocab: Vocabulary
    vacancy_ids: np.ndarray
    requirements: gapmath.Requirements
    vacancies: object  # apps.matching.loaders.VacancyArrays

    @classmethod
    def current(cls) -> Market:
        """The loaded market, reused while nothing it depends on changed (checked with one cheap query each
        for vacancies, their skill and language rows, and the taxonomy) and for at most ``MARKET_TTL`` s."""
        stamp = _market_stamp()
        with _MARKET_LOCK:
            cached = _MARKET_CACHE.get("market")
            if cached and cached[0] == stamp and time.monotonic() - cached[1] < MARKET_TTL:
                return cached[2]
        market = cls.load()
        with _MARKET_LOCK:
            _MARKET_CACHE["market"] = (stamp, time.monotonic(), market)
        return market

    @classmethod
    def load(cls) -> Market:
        vocab = Vocabulary.build()
        arrays = load_vacancies(vocab)
        return cls(vocab=vocab, vacancy_ids=np.asarray(arrays.ids, dtype=np.int64),
                   requirements=gapmath.Requirements.from_arrays(arrays), vacancies=arrays)

    def qualified(self, levels: np.ndarray, lang_levels: np.ndarray) -> np.ndarray:
        """rows × open vacancies: the matching engine's R == 1 and L == 1 for each row of dense skill ``levels``
        and CEFR ``lang_levels`` (0 = not held). Vacancies no row can reach are not scored (they are False)."""
        levels, lang_levels = np.atleast_2d(levels), np.atleast_2d(lang_levels)
        n_rows, n_vacancies = levels.shape[0], int(self.vacancy_ids.shape[0])
        out = np.zeros((n_rows, n_vacancies), dtype=bool)
        columns = gapmath.reachable(levels, lang_levels, self.requirements) if n_rows else np.zeros(0, np.int64)
        if columns.shape[0] == 0:
            return out
        skill_rows, skill_idx = np.nonzero(levels)
        lang_rows, lang_idx = np.nonzero(lang_levels)
        profiles = Profiles(
            ids=np.arange(n_rows), skill_indptr=_indptr(skill_rows, n_rows), skill_idx=skill_idx,
            skill_level=levels[skill_rows, skill_idx], lang_indptr=_indptr(lang_rows, n_rows), lang_idx=lang_idx,
            lang_level=lang_levels[lang_rows, lang_idx], loc_indptr=np.zeros(n_rows + 1, dtype=np.int64),
            loc_idx=np.zeros(0, dtype=np.int32), remote_ok=np.ones(n_rows, dtype=bool),
            pref_job_types=np.zeros(n_rows, dtype=np.int64), pref_markets=np.zeros(n_rows, dtype=np.int64))
        # R and L do not depend on idf; a flat one keeps the result independent of who else is loaded.
        profile_matrix = build_profile_matrix(profiles, self.n_skills, self.n_languages,
                                              idf=np.ones(self.n_skills))
        vacancy_matrix = build_vacancy_matrix(self.vacancies, profile_matrix)
        pairs = np.arange(n_rows * columns.shape[0], dtype=np.int64)
        for start in range(0, pairs.shape[0], ENGINE_PAIRS_PER_CALL):
            chunk = pairs[start:start + ENGINE_PAIRS_PER_CALL]
            rows, cols = chunk // columns.shape[0], columns[chunk % columns.shape[0]]
            scores = evaluate_pairs(profile_matrix, vacancy_matrix, DEFAULT_WEIGHTS, rows, cols)
            out[rows, cols] = (scores.required >= 1 - UNIT_TOLERANCE) & (scores.language >= 1 - UNIT_TOLERANCE)
        return out

    @property
    def n_skills(self) -> int:
        return int(self.vocab.skill_ids.shape[0])

    @property
    def n_languages(self) -> int:
        return int(self.vocab.language_ids.shape[0])

    def skill_vectors(self, rows: dict[int, dict[int, int]], keys: list[int]) -> np.ndarray:
        """len(keys) × skills levels from ``{key: {skill_pk: level}}`` (0 where absent)."""
        out = np.zeros((len(keys), self.n_skills), dtype=np.int16)
        for row, key in enumerate(keys):
            items = rows.get(key) or {}
            if items:
                pks = np.fromiter(items.keys(), dtype=np.int64, count=len(items))
                out[row, self.vocab.skill_index(pks)] = np.fromiter(items.values(), dtype=np.int16, count=len(items))
        return out

    def language_vectors(self, rows: dict[int, dict[int, int]], keys: list[int]) -> np.ndarray:
        out = np.zeros((len(keys), self.n_languages), dtype=np.int16)
        for row, key in enumerate(keys):
            items = rows.get(key) or {}
            if items:
                pks = np.fromiter(items.keys(), dtype=np.int64, count=len(items))
                out[row, self.vocab.language_index(pks)] = np.fromiter(items.values(), dtype=np.int16,
                                                                        count=len(items))
        return out


def _indptr(rows: np.ndarray, n_rows: int) -> np.ndarray:
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return indptr


def _profile_levels(profile_ids: list[int]) -> tuple[dict[int, dict[int, int]], dict[int, dict[int, int]]]:
    skills: dict[int, dict[int, int]] = {}
    for profile_id, skill_id, level in ProfileSkill.objects.filter(profile_id__in=profile_ids).values_list(
            "profile_id", "skill_id", "level"):
        skills.setdefault(profile_id, {})[skill_id] = level
    languages: dict[int, dict[int, int]] = {}
    for profile_id, language_id, cefr in ProfileLanguage.objects.filter(profile_id__in=profile_ids).values_list(
            "profile_id", "language_id", "cefr"):
        languages.setdefault(profile_id, {})[language_id] = cefr
    return skills, languages


# --- For a student ----------------------------------------------------------------------------------------


@dataclass
class SkillGap:
    """A skill the student lacks (or holds too low) in vacancies they nearly match."""

    skill: Skill
    level_needed: int
    level_held: int
    vacancies: int


@dataclass
class CohortRecommendation:
    """An open cohort, the vacancies completing it would unlock, and the missing skills it teaches."""

    cohort: Cohort
    unlocks: int
    unlocked_vacancy_ids: list[int]
    closes: list[tuple[Skill, int]]
    seats_left: int


@dataclass
class StudentRecommendations:
    """Where a student stands against the open vacancies and which cohorts would help most."""

    qualified_now: int
    nearly: int
    open_vacancies: int
    gaps: list[SkillGap] = field(default_factory=list)
    cohorts: list[CohortRecommendation] = field(default_factory=list)


def student_recommendations(user, profile: StudentProfile, *, limit: int = 20,
                            market: Market | None = None) -> StudentRecommendations:
    """The skills the student lacks in vacancies they nearly match, and the open cohorts (visible to ``user``,
    not joined yet) ranked by how many more open vacancies the student would qualify for after completing
    them; ties go to the cohort closing more gaps, then the earlier start."""
    market = market or Market.current()
    skills, languages = _profile_levels([profile.pk])
    levels = market.skill_vectors(skills, [profile.pk])[0]
    lang_levels = market.language_vectors(languages, [profile.pk])[0]
    joined = Enrollment.objects.filter(profile=profile).exclude(status=EnrollmentStatus.DROPPED).values("cohort_id")
    cohorts = list(cohorts_for_user(user, open_only=True).exclude(pk__in=joined))
    course_rows: dict[int, dict[int, int]] = {}
    for course_id, skill_id, level in CourseSkill.objects.filter(
            course_id__in={c.course_id for c in cohorts}).values_list("course_id", "skill_id", "level"):
        course_rows.setdefault(course_id, {})[skill_id] = level
    course_levels = market.skill_vectors(course_rows, [c.course_id for c in cohorts])
    gaps = gapmath.close_gaps(levels, lang_levels, market.requirements, course_levels,
                              qualify=lambda rows: market.qualified(rows, np.broadcast_to(lang_levels, (
                                  rows.shape[0], lang_levels.shape[0]))))

    missing_pks = market.vocab.skill_ids[gaps.missing_skill].tolist()
    skill_by_pk = Skill.objects.in_bulk(missing_pks)
    held = skills.get(profile.pk, {})
    gap_rows = [SkillGap(skill=skill_by_pk[pk], level_needed=int(level), level_held=held.get(pk, 0),
                         vacancies=int(count))
                for pk, level, count in zip(missing_pks, gaps.missing_level, gaps.missing_vacancies, strict=True)]
    gap_rows.sort(key=lambda g: (-g.vacancies, -g.level_needed, g.skill.code))
    needed = {g.skill.pk: g.level_needed for g in gap_rows}

    recommendations = []
    unlocks = gaps.unlocks
    for row, cohort in enumerate(cohorts):
        taught = course_rows.get(cohort.course_id, {})
        closes = [(pk, level) for pk, level in taught.items() if pk in needed and level > held.get(pk, 0)]
        if not unlocks[row] and not closes:
            continue
        recommendations.append(CohortRecommendation(
            cohort=cohort, unlocks=int(unlocks[row]),
            unlocked_vacancy_ids=market.vacancy_ids[gaps.unlocked[row]].tolist(),
            closes=[(pk, level) for pk, level in closes], seats_left=max(0, cohort.capacity - cohort.seats_taken)))
    close_skills = Skill.objects.in_bulk({pk for r in recommendations for pk, _level in r.closes})
    for recommendation in recommendations:
        recommendation.closes = sorted(((close_skills[pk], level) for pk, level in recommendation.closes),
                                       key=lambda item: item[0].code)
    recommendations.sort(key=lambda r: (-r.unlocks, -len(r.closes), r.seats_left == 0, r.cohort.starts_on,
                                        r.cohort.pk))
    return StudentRecommendations(qualified_now=int(gaps.qualified_now.sum()), nearly=int(gaps.near.sum()),
                                  open_vacancies=int(market.vacancy_ids.shape[0]), gaps=gap_rows,
                                  cohorts=recommendations[:limit])


# --- For a university -------------------------------------------------------------------------------------


@dataclass
class DemandGap:
    """A skill open vacancies require (by openings) that no active course teaches."""

    skill: Skill
    openings: int
    vacancies: int


def untaught_demand(*, limit: int = 30) -> list[DemandGap]:
    """Skills the city's open vacancies require (weighted by openings) that no active course teaches."""
    taught = set(CourseSkill.objects.filter(course__in=Course.objects.filter(
        is_active=True, provider__status="approved")).values_list("skill_id", flat=True))
    demand = (VacancySkill.objects.filter(vacancy__in=Vacancy.objects.open(), required=True)
              .exclude(skill_id__in=taught).values("skill_id")
              .annotate(openings=Sum("vacancy__openings"), vacancies=Count("vacancy", distinct=True))
              .order_by("-openings", "-vacancies", "skill_id")[:limit])
    skills = Skill.objects.in_bulk([row["skill_id"] for row in demand])
    return [DemandGap(skill=skills[row["skill_id"]], openings=row["openings"], vacancies=row["vacancies"])
            for row in demand]


@dataclass
class CohortReach:
    """How many open vacancies a cohort's graduates now qualify for."""

    cohort: Cohort
    graduates: int
    vacancies_matched: int
    mean_per_graduate: float


def cohorts_reach(cohorts: list[Cohort], *, market: Market | None = None) -> list[CohortReach]:
    """For each cohort: how many distinct open vacancies at least one of its graduates now qualifies for."""
    market = market or Market.current()
    graduates: dict[int, list[int]] = {}
    for cohort_id, profile_id in Enrollment.objects.filter(
            cohort__in=cohorts, status=EnrollmentStatus.COMPLETED).values_list("cohort_id", "profile_id"):
        graduates.setdefault(cohort_id, []).append(profile_id)
    all_ids = sorted({p for ids in graduates.values() for p in ids})
    skills, languages = _profile_levels(all_ids)
    out = []
    for cohort in cohorts:
        ids = graduates.get(cohort.pk, [])
        if not ids or not market.vacancy_ids.shape[0]:
            out.append(CohortReach(cohort=cohort, graduates=len(ids), vacancies_matched=0, mean_per_graduate=0.0))
            continue
        matrix = market.qualified(market.skill_vectors(skills, ids), market.language_vectors(languages, ids))
        out.append(CohortReach(cohort=cohort, graduates=len(ids), vacancies_matched=int(matrix.any(axis=0).sum()),
                               mean_per_graduate=float(matrix.sum(axis=1).mean())))
    return out


def university_insights(user, *, market: Market | None = None) -> dict:
    """What a university's staff see: untaught demand, and every cohort they run with its graduates' reach."""
    market = market or Market.current()
    cohorts = list(Cohort.objects.editable_by(user).select_related("course", "programme").annotate(
        seats_taken=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES))).order_by("-starts_on"))
    return {"demand": untaught_demand(), "cohorts": cohorts_reach(cohorts, market=market),
            "open_vacancies": int(market.vacancy_ids.shape[0])}
