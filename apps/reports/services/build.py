"""Building a report snapshot: city-wide demand against supply, the match funnel, training outcomes and gaps.

Everything is computed with set-based queries (``values().annotate()``, ``Exists``, one grouped SQL statement
for the near-miss gaps) and NumPy over ``values_list`` columns, never a Python loop per student, so the
100,000-student demo data set builds in seconds to a minute. ``snapshot.data`` keeps the RAW counts; every
reader outside this app goes through ``apps.reports.suppression.suppress`` (via ``apps.reports.selectors``).

Populations (the snapshot's ``filters``; a blank filter means "all"):

- **students** S: profiles of active users; ``district`` keeps those whose ``pref_locations`` include it,
  ``market`` those whose ``pref_markets`` include it, ``programme`` those enrolled (any status) in one of the
  programme's cohorts.
- **open vacancies** V: ``Vacancy.objects.open()``; ``district`` keeps ``location == district``, ``market``
  those whose ``markets`` include it. The programme filter does not restrict vacancies (a programme's
  trainees face the whole market).
- **flows** (applications, interviews, hires, time to fill) count events inside the period (a month
  ``YYYY-MM`` or an ISO week ``YYYY-Www``, in the site's time zone) on vacancies matching the district/market
  filters (any status) from students in S. Everything else is the state when the build ran.

Definitions:

- **demand** of a skill: the openings (``Vacancy.openings``) of the open vacancies in V that *require* it
  (``VacancySkill.required``), summed; ``vacancies`` is how many such vacancies.
- **required_level** of a skill: the lowest minimum level any of those vacancies asks for it.
- **supply** of a skill: students in S holding it at ``required_level`` or above (people, not rows).
  A category's supply: distinct students holding at least one demanded skill of the category at that skill's
  required level; its demand is the sum of its skills' demand. A market's demand: openings of open vacancies
  targeting it; its supply: students in S who prefer it.
- **shortage_index** = (demand − supply) / max(demand, supply), in [−1, 1]: 1 = demand nobody can meet,
  0 = balanced, −1 = supply with no demand; ``None`` when both are 0. Positive means a shortage.
- **qualified** candidate: a ``CandidateMatch`` of the current generation (``MatchState.current_generation``)
  with ``score >= REPORTS["QUALIFIED_SCORE"]`` (default 0.6); a vacancy is *well covered* with at least
  ``REPORTS["QUALIFIED_MIN"]`` (default 3) qualified candidates.
- **near miss**: a stored candidate pair scoring in [QUALIFIED_SCORE − NEAR_MISS_MARGIN, QUALIFIED_SCORE)
  (margin default 0.15); its missing skills are the vacancy's required skills the student does not hold at the
  minimum level.
- **training** (per programme, school = the course's provider, partner firm, funding agency): counted over
  enrollments of students in S in cohorts that are not cancelled. ``trained`` = enrollments holding a place
  (enrolled/completed/failed), ``completed`` = completed, ``placed`` = completed enrollments whose student has
  a placement starting on or after the cohort's first day (as ``apps.cohorts.selectors.outcomes``),
  ``placement_rate`` = 100 × placed / completed, ``median_days_to_placement`` = median days from completion to
  the first such placement, ``funding`` = sum of the ``funding_amount`` of the distinct programmes in the group,
  ``funding_per_placement`` = funding / placed.
- **untaught**: demanded skills that no active course (``CourseSkill`` of ``Course.is_active``) teaches.

``snapshot.data`` layout (schema 1). Every row about a skill, category or market carries ``code``,
``label_zh`` and ``label_en``; training rows carry ``id`` (database id as a string), ``label_zh``,
``label_en``. Counts are ints (after suppression, people counts below 5 become the string ``"<5"`` and the
rates/medians derived from them ``None``), rates are percentages (floats, one decimal), money in CNY (floats)::

    {
      "schema": 1,
      "meta": {"period": "2026-11", "period_start": "2026-11-01", "period_end": "2026-11-30",
               "filters": {"district": "", "programme": "", "market": ""},
               "generated_at": "2026-11-26T10:00:00+08:00", "generation": 7,
               "students": 100000, "vacancies_open": 20000, "openings": 31000,
               "qualified_score": 0.6, "qualified_min": 3, "near_miss_margin": 0.15},
      "demand_supply": {
        "skills": [{"code", "label_zh", "label_en", "category": "<category code>", "required_level": 3,
                    "vacancies": 12, "demand": 40, "supply": 25, "shortage_index": 0.375}, ...],
                   # sorted by shortage_index desc, then demand desc
        "categories": [{"code", "label_zh", "label_en", "vacancies", "demand", "supply", "shortage_index"}, ...],
        "markets": [{"code", "label_zh", "label_en", "vacancies", "demand", "supply", "shortage_index"}, ...]
      },
      "funnel": {
        "vacancies_open": 200, "vacancies_well_covered": 120, "vacancies_some": 50, "vacancies_none": 30,
        "qualified_candidates": 900,      # distinct students qualified for at least one open vacancy
        "score_histogram": [{"low": 0.0, "high": 0.1, "label": "0.0–0.1", "candidates": 12}, ...],  # 10 buckets
        "applications": 300, "interviews": 80, "offers": 30, "hires": 20,
        "filled_vacancies": 15, "median_days_to_fill": 21.0
      },
      "training": {
        "programme": [{"id", "label_zh", "label_en", "trained", "completed", "placed", "placement_rate",
                       "target_rate", "meets_target", "median_days_to_placement", "funding",
                       "funding_per_placement"}, ...],
        "school": [... same keys; target_rate/meets_target are None ...],
        "partner": [...], "funder": [...]
      },
      "untaught": [{"code", "label_zh", "label_en", "category", "vacancies", "demand"}, ...],  # demand desc
      "near_miss": [{"code", "label_zh", "label_en", "students", "pairs", "vacancies"}, ...],   # students desc
      "trend": {
        "periods": ["2026-09", "2026-10", "2026-11"],          # earlier done snapshots with the same filters + this
        "skills": [{"code", "label_zh", "label_en",
                    "points": [{"period": "2026-09", "demand": 30, "supply": 20, "shortage_index": 0.33}, ...]}]
                   # the top TREND_SKILLS (10) skills by current shortage_index
      }
    }
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Floor, Least
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.accounts.models import Organisation
from apps.applications.models import Application, ApplicationEvent, Stage
from apps.cohorts.models import SEAT_STATUSES, CourseSkill, Enrollment, EnrollmentStatus, Placement, Programme
from apps.jobs.models import Vacancy, VacancySkill
from apps.matching.models import CandidateMatch, MatchState
from apps.skills.models import Market, Skill, SkillCategory
from apps.talent.models import ProfileSkill, StudentProfile

from ..models import ReportSnapshot, SnapshotStatus, normalise_filters, period_bounds

logger = logging.getLogger(__name__)

SCHEMA = 1
HISTOGRAM_BUCKETS = 10
TREND_SKILLS = 10
TREND_PERIODS = 12


def report_settings() -> dict:
    """``settings.REPORTS`` with its defaults."""
    defaults = {"QUALIFIED_MIN": 3, "QUALIFIED_SCORE": 0.6, "NEAR_MISS_MARGIN": 0.15}
    return {**defaults, **getattr(settings, "REPORTS", {})}


def score_buckets(pairs, bins: int = HISTOGRAM_BUCKETS) -> list[int]:
    """How many of ``pairs`` (match rows) score in each of ``bins`` equal bins over [0, 1]; one grouped query.
    Also the score distribution of the admins' match-run review."""
    bucket = Least(Cast(Floor(F("score") * bins), IntegerField()), bins - 1)
    counts = [0] * bins
    grouped = pairs.annotate(bucket=bucket).values("bucket").annotate(n=Count("*")).order_by()
    for index, n in grouped.values_list("bucket", "n"):
        counts[max(0, min(bins - 1, int(index)))] += n
    return counts


def shortage_index(demand: int, supply: int) -> float | None:
    """(demand − supply) / max(demand, supply): 1 = unmet demand, 0 = balanced, −1 = idle supply."""
    top = max(demand, supply)
    return round((demand - supply) / top, 3) if top else None


def _by_shortage(row: dict) -> tuple:
    """Sort key: biggest shortage first (rows without an index last), then most demand."""
    index = row["shortage_index"]
    return (index is None, -(index or 0.0), -row["demand"], row["code"])


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- Populations ------------------------------------------------------------------------------------------


def _json_list_has(qs: QuerySet, field: str, value: str) -> QuerySet:
    """Rows whose JSON list ``field`` contains ``value``: one indexed query on PostgreSQL; SQLite (laptops, small
    data) has no JSON containment lookup, so there the ids are picked from the column in Python."""
    if connection.vendor == "postgresql":
        return qs.filter(**{f"{field}__contains": [value]})
    ids = [pk for pk, values in qs.values_list("pk", field) if isinstance(values, list) and value in values]
    return qs.filter(pk__in=ids)


def _programme_id(filters: dict) -> int | None:
    value = filters.get("programme") or ""
    if not value:
        return None
    if not str(value).isdigit():
        raise ValidationError({"programme": "Unknown programme."})
    return int(value)


def students(filters: dict) -> QuerySet:
    """The student population S (see the module docstring)."""
    qs = StudentProfile.objects.filter(user__is_active=True)
    if filters.get("district"):
        qs = _json_list_has(qs, "pref_locations", filters["district"])
    if filters.get("market"):
        qs = _json_list_has(qs, "pref_markets", filters["market"])
    programme_id = _programme_id(filters)
    if programme_id is not None:
        qs = qs.filter(pk__in=Enrollment.objects.filter(cohort__programme_id=programme_id).values("profile_id"))
    return qs


def vacancies(filters: dict, *, open_only: bool = True) -> QuerySet:
    """The vacancy population: open ones (V) or, for flows, any status; district and market filters apply."""
    qs = Vacancy.objects.open() if open_only else Vacancy.objects.all()
    if filters.get("district"):
        qs = qs.filter(location=filters["district"])
    if filters.get("market"):
        qs = _json_list_has(qs, "markets", filters["market"])
    return qs


@dataclass
class Scope:
    """What one build looks at: the populations as subqueries, the period window and the parameters."""

    filters: dict
    period: str
    start: datetime.datetime
    end: datetime.datetime  # exclusive
    student_ids: QuerySet
    open_ids: QuerySet
    any_vacancy_ids: QuerySet
    generation: int
    qualified_score: float
    qualified_min: int
    near_miss_margin: float


def make_scope(period: str, filters: dict) -> Scope:
    first, last = period_bounds(period)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    conf = report_settings()
    filters = normalise_filters(filters)
    return Scope(filters=filters, period=period, start=start, end=end,
                 student_ids=students(filters).values("pk"), open_ids=vacancies(filters).values("pk"),
                 any_vacancy_ids=vacancies(filters, open_only=False).values("pk"),
                 generation=MatchState.get().current_generation,
                 qualified_score=float(conf["QUALIFIED_SCORE"]), qualified_min=int(conf["QUALIFIED_MIN"]),
                 near_miss_margin=float(conf["NEAR_MISS_MARGIN"]))


def _labels(model, ids) -> dict[int, dict]:
    return {row["pk"]: row for row in model.objects.filter(pk__in=list(ids)).values("pk", "code", "label_zh",
                                                                                       "label_en")}


def _label_row(row: dict) -> dict:
    return {"code": row["code"], "label_zh": row["label_zh"] or row["label_en"],
            "label_en": row["label_en"] or row["label_zh"]}


# --- Demand and supply ------------------------------------------------------------------------------------


def demand_supply(scope: Scope) -> tuple[dict, dict[int, dict]]:
    """Per skill, category and market; returns the section and the per-skill rows keyed by skill id."""
    demand = {row["skill_id"]: row for row in (
        VacancySkill.objects.filter(required=True, vacancy_id__in=scope.open_ids).values("skill_id")
        .annotate(vacancies=Count("vacancy_id"), demand=Sum("vacancy__openings"), required_level=Min("min_level")))}

    # supply: people holding the skill at or above its required level (one OR-ed condition per level)
    by_level: dict[int, list[int]] = defaultdict(list)
    for skill_id, row in demand.items():
        by_level[row["required_level"]].append(skill_id)
    held = Q(pk__in=[])
    for level, skill_ids in by_level.items():
        held |= Q(skill_id__in=skill_ids, level__gte=level)
    holders = ProfileSkill.objects.filter(profile_id__in=scope.student_ids).filter(held)
    supply = dict(holders.values("skill_id").annotate(n=Count("profile_id")).values_list("skill_id", "n"))
    category_supply = dict(holders.values("skill__category_id").annotate(n=Count("profile_id", distinct=True))
                           .values_list("skill__category_id", "n"))

    skills = {row["pk"]: row for row in Skill.objects.filter(pk__in=list(demand)).values(
        "pk", "code", "label_zh", "label_en", "category_id", "category__code")}
    skill_rows: dict[int, dict] = {}
    category_totals: dict[int, dict] = defaultdict(lambda: {"vacancies": set(), "demand": 0})
    for skill_id, row in demand.items():
        info = skills[skill_id]
        have = int(supply.get(skill_id, 0))
        skill_rows[skill_id] = {**_label_row(info), "category": info["category__code"],
                                "required_level": int(row["required_level"]), "vacancies": int(row["vacancies"]),
                                "demand": int(row["demand"] or 0), "supply": have,
                                "shortage_index": shortage_index(int(row["demand"] or 0), have)}
        category_totals[info["category_id"]]["demand"] += int(row["demand"] or 0)
    category_vacancies = dict(
        VacancySkill.objects.filter(required=True, vacancy_id__in=scope.open_ids).values("skill__category_id")
        .annotate(n=Count("vacancy_id", distinct=True)).values_list("skill__category_id", "n"))
    categories = []
    for category in SkillCategory.objects.filter(pk__in=list(category_totals)).values("pk", "code", "label_zh",
                                                                                       "label_en"):
        wanted = category_totals[category["pk"]]["demand"]
        have = int(category_supply.get(category["pk"], 0))
        categories.append({**_label_row(category), "vacancies": int(category_vacancies.get(category["pk"], 0)),
                           "demand": wanted, "supply": have, "shortage_index": shortage_index(wanted, have)})

    markets = _markets(scope)
    skills_sorted = sorted(skill_rows.values(), key=_by_shortage)
    categories.sort(key=_by_shortage)
    return {"skills": skills_sorted, "categories": categories, "markets": markets}, skill_rows


def _markets(scope: Scope) -> list[dict]:
    """Openings of open vacancies per target market against students preferring it."""
    demand: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for openings, markets in Vacancy.objects.filter(pk__in=scope.open_ids).values_list("openings", "markets"):
        for code in set(markets or []) if isinstance(markets, list) else ():
            demand[code][0] += 1
            demand[code][1] += openings
    population = StudentProfile.objects.filter(pk__in=scope.student_ids)
    rows = []
    for market in Market.objects.values("code", "label_zh", "label_en"):
        code = market["code"]
        if connection.vendor == "postgresql":
            have = population.filter(pref_markets__contains=[code]).count()
        else:
            have = sum(1 for values in population.values_list("pref_markets", flat=True)
                       if isinstance(values, list) and code in values)
        vacancies_n, wanted = demand.get(code, (0, 0))
        if not (wanted or have):
            continue
        rows.append({**_label_row(market), "vacancies": vacancies_n, "demand": wanted, "supply": have,
                     "shortage_index": shortage_index(wanted, have)})
    rows.sort(key=_by_shortage)
    return rows


# --- Match funnel -----------------------------------------------------------------------------------------


def funnel(scope: Scope) -> dict:
    """Coverage of open vacancies by qualified candidates, the score distribution and the hiring flow."""
    pairs = CandidateMatch.objects.filter(generation=scope.generation, vacancy_id__in=scope.open_ids,
                                          profile_id__in=scope.student_ids)
    qualified = pairs.filter(score__gte=scope.qualified_score)
    per_vacancy = np.array(list(qualified.values("vacancy_id").annotate(n=Count("*")).values_list("n", flat=True)),
                           dtype=np.int64)
    vacancies_open = Vacancy.objects.filter(pk__in=scope.open_ids).count()
    well_covered = int((per_vacancy >= scope.qualified_min).sum())

    histogram = []
    for index, count in enumerate(score_buckets(pairs)):
        low, high = index / HISTOGRAM_BUCKETS, (index + 1) / HISTOGRAM_BUCKETS
        histogram.append({"low": low, "high": high, "label": f"{low:.1f}–{high:.1f}", "candidates": count})

    applications = Application.objects.filter(vacancy_id__in=scope.any_vacancy_ids, profile_id__in=scope.student_ids)
    in_period = {"created_at__gte": scope.start, "created_at__lt": scope.end}
    reached = ApplicationEvent.objects.filter(application__in=applications, **in_period)
    hired = applications.filter(stage=Stage.HIRED, hired_at__gte=scope.start, hired_at__lt=scope.end)
    fills = list(hired.filter(vacancy__published_at__isnull=False).values("vacancy_id")
                 .annotate(first=Min("hired_at"), published=Min("vacancy__published_at"))
                 .values_list("first", "published"))
    days = np.array([(first - published).total_seconds() / 86400 for first, published in fills], dtype=float)
    return {
        "vacancies_open": vacancies_open,
        "vacancies_well_covered": well_covered,
        "vacancies_some": int(per_vacancy.shape[0]) - well_covered,
        "vacancies_none": vacancies_open - int(per_vacancy.shape[0]),
        "qualified_candidates": qualified.values("profile_id").distinct().count(),
        "score_histogram": histogram,
        "applications": applications.filter(**in_period).count(),
        "interviews": reached.filter(to_stage=Stage.INTERVIEW).values("application_id").distinct().count(),
        "offers": reached.filter(to_stage=Stage.OFFER).values("application_id").distinct().count(),
        "hires": hired.count(),
        "filled_vacancies": len(fills),
        "median_days_to_fill": round(float(np.median(days)), 1) if days.size else None,
    }


# --- Training outcomes ------------------------------------------------------------------------------------

TRAINING_GROUPS = {
    "programme": "cohort__programme_id",
    "school": "cohort__course__provider_id",
    "partner": "cohort__programme__partners__firm_id",
    "funder": "cohort__programme__government_id",
}


def _group_medians(keys: np.ndarray, values: np.ndarray) -> dict[int, float]:
    """Median of ``values`` per distinct key, on sorted arrays (no loop over rows)."""
    if not keys.size:
        return {}
    order = np.lexsort((values, keys))
    keys, values = keys[order], values[order]
    uniques, starts, counts = np.unique(keys, return_index=True, return_counts=True)
    lower = values[starts + (counts - 1) // 2]
    upper = values[starts + counts // 2]
    return {int(k): round(float(m), 1) for k, m in zip(uniques, (lower + upper) / 2.0, strict=True)}


def training(scope: Scope) -> dict:
    """Trained, completed, placed, placement rate against target, days to placement and funding per group."""
    enrollments = Enrollment.objects.filter(profile_id__in=scope.student_ids, cohort__is_cancelled=False,
                                            status__in=SEAT_STATUSES)
    programme_id = _programme_id(scope.filters)
    if programme_id is not None:
        enrollments = enrollments.filter(cohort__programme_id=programme_id)
    later_placements = Placement.objects.filter(profile_id=OuterRef("profile_id"),
                                                started_on__gte=OuterRef("cohort__starts_on"))
    enrollments = enrollments.annotate(
        placed=Exists(later_placements),
        first_start=Subquery(later_placements.order_by("started_on").values("started_on")[:1]),
    )
    completed = Q(status=EnrollmentStatus.COMPLETED)
    funding = dict(Programme.objects.values_list("pk", "funding_amount"))
    programmes = {row["pk"]: row for row in Programme.objects.values("pk", "name_zh", "name_en",
                                                                     "target_placement_rate")}
    out = {}
    for group, field in TRAINING_GROUPS.items():
        scoped = enrollments.filter(**{f"{field}__isnull": False})
        totals = {row[field]: row for row in scoped.values(field).annotate(
            trained=Count("id"), completed=Count("id", filter=completed),
            placed_n=Count("id", filter=completed & Q(placed=True)))}
        placed_rows = np.array(list(scoped.filter(completed, placed=True, completed_at__isnull=False)
                                    .values_list(field, "completed_at", "first_start")), dtype=object)
        medians = {}
        if placed_rows.size:
            local_days = np.array([(start - timezone.localdate(done)).days
                                   for start, done in zip(placed_rows[:, 2], placed_rows[:, 1], strict=True)],
                                  dtype=float)
            medians = _group_medians(placed_rows[:, 0].astype(np.int64), local_days)
        money: dict[int, float] = defaultdict(float)
        for key, pid in set(scoped.values_list(field, "cohort__programme_id")):
            if pid is not None:
                money[key] += float(funding.get(pid) or 0)
        labels = _group_labels(group, list(totals), programmes)
        rows = []
        for key, row in totals.items():
            placed_n, done = int(row["placed_n"]), int(row["completed"])
            rate = _rate(placed_n, done)
            target = float(programmes[key]["target_placement_rate"]) if group == "programme" else None
            spent = round(money.get(key, 0.0), 2)
            rows.append({"id": str(key), **labels[key], "trained": int(row["trained"]), "completed": done,
                         "placed": placed_n, "placement_rate": rate, "target_rate": target,
                         "meets_target": (rate >= target) if (rate is not None and target) else None,
                         "median_days_to_placement": medians.get(int(key)), "funding": spent,
                         "funding_per_placement": round(spent / placed_n, 2) if placed_n else None})
        rows.sort(key=lambda r: (-r["trained"], r["label_en"], r["id"]))
        out[group] = rows
    return out


def _group_labels(group: str, keys: list[int], programmes: dict[int, dict]) -> dict[int, dict]:
    if group == "programme":
        return {k: {"label_zh": programmes[k]["name_zh"] or programmes[k]["name_en"],
                    "label_en": programmes[k]["name_en"] or programmes[k]["name_zh"]} for k in keys}
    return {row["pk"]: {"label_zh": row["name"], "label_en": row["name_en"] or row["name"]}
            for row in Organisation.objects.filter(pk__in=keys).values("pk", "name", "name_en")}


# --- Gaps -------------------------------------------------------------------------------------------------


def untaught(skill_rows: dict[int, dict]) -> list[dict]:
    """Demanded skills no active course teaches, most demanded first."""
    taught = set(CourseSkill.objects.filter(course__is_active=True).values_list("skill_id", flat=True))
    rows = [{key: row[key] for key in ("code", "label_zh", "label_en", "category", "vacancies", "demand")}
            for skill_id, row in skill_rows.items() if skill_id not in taught]
    return sorted(rows, key=lambda r: (-r["demand"], r["code"]))


def near_miss(scope: Scope) -> list[dict]:
    """The required skills most often missing in candidate pairs scoring just below the qualifying line."""
    pairs = CandidateMatch.objects.filter(
        generation=scope.generation, vacancy_id__in=scope.open_ids, profile_id__in=scope.student_ids,
        score__gte=scope.qualified_score - scope.near_miss_margin, score__lt=scope.qualified_score,
    ).values("vacancy_id", "profile_id")
    pairs_sql, params = pairs.query.sql_with_params()
    sql = (
        # table names come from the models and every value is a parameter
        f"SELECT vs.skill_id, COUNT(*), COUNT(DISTINCT near.profile_id), COUNT(DISTINCT near.vacancy_id) "  # noqa: S608  # nosec B608
        f"FROM ({pairs_sql}) near "
        f"JOIN {VacancySkill._meta.db_table} vs ON vs.vacancy_id = near.vacancy_id AND vs.required = %s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {ProfileSkill._meta.db_table} ps WHERE ps.profile_id = near.profile_id "
        f"AND ps.skill_id = vs.skill_id AND ps.level >= vs.min_level) "
        f"GROUP BY vs.skill_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, True])
        found = cursor.fetchall()
    skills = {row["pk"]: row for row in Skill.objects.filter(pk__in=[r[0] for r in found]).values(
        "pk", "code", "label_zh", "label_en")}
    rows = [{**_label_row(skills[skill_id]), "students": int(people), "pairs": int(n), "vacancies": int(vacs)}
            for skill_id, n, people, vacs in found]
    return sorted(rows, key=lambda r: (-r["students"], -r["pairs"], r["code"]))


# --- Trend ------------------------------------------------------------------------------------------------


def trend(snapshot: ReportSnapshot, skills: list[dict], period_start: str) -> dict:
    """Shortage of the currently most short skills across earlier done snapshots with the same filters."""
    earlier = (ReportSnapshot.objects.done().filter(
        filter_district=snapshot.filter_district, filter_programme=snapshot.filter_programme,
        filter_market=snapshot.filter_market).exclude(pk=snapshot.pk).order_by("-finished_at", "-pk")
        .values_list("period", "data"))
    latest: dict[str, dict] = {}
    for period, data in earlier:
        start = (data or {}).get("meta", {}).get("period_start", "")
        if period not in latest and start and start < period_start:
            latest[period] = data
    chosen = sorted(latest.items(), key=lambda item: item[1]["meta"]["period_start"])[-(TREND_PERIODS - 1):]
    top = [row for row in skills if row["shortage_index"] is not None][:TREND_SKILLS]
    out_skills = []
    for row in top:
        points = []
        for period, data in chosen:
            old = next((r for r in data.get("demand_supply", {}).get("skills", []) if r["code"] == row["code"]), None)
            if old is not None:
                points.append({"period": period, "demand": old["demand"], "supply": old["supply"],
                               "shortage_index": old["shortage_index"]})
        points.append({"period": snapshot.period, "demand": row["demand"], "supply": row["supply"],
                       "shortage_index": row["shortage_index"]})
        out_skills.append({key: row[key] for key in ("code", "label_zh", "label_en")} | {"points": points})
    return {"periods": [period for period, _ in chosen] + [snapshot.period], "skills": out_skills}


# --- The build --------------------------------------------------------------------------------------------

STATISTICS_TABLES = (CandidateMatch, ProfileSkill, VacancySkill, StudentProfile, Vacancy, Enrollment, Placement,
                     Application)


def ensure_statistics() -> list[str]:
    """ANALYZE the tables PostgreSQL has never analysed (straight after a bulk load): without statistics the planner
    picks nested loops for the near-miss join and a seconds-long build takes many minutes. Returns the tables."""
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in STATISTICS_TABLES]
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) AND last_analyze IS NULL "
                       "AND last_autoanalyze IS NULL", [tables])
        stale = [row[0] for row in cursor.fetchall()]
        for table in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return stale



def _progress(snapshot: ReportSnapshot, percent: int, message: str) -> None:
    """Record progress at once (outside any transaction) so the page polling it sees it move."""
    snapshot.progress, snapshot.progress_message = percent, message
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(progress=percent, progress_message=message)


def compute(snapshot: ReportSnapshot, timings: dict[str, float] | None = None) -> tuple[dict, dict]:
    """The report's data (raw counts) and the seconds each step took (filled in as the steps finish)."""
    timings = {} if timings is None else timings
    first, last = period_bounds(snapshot.period)
    scope = make_scope(snapshot.period, snapshot.filters)

    def step(name: str, percent: int, message: str, func, *args):
        _progress(snapshot, percent, message)
        began = time.perf_counter()
        result = func(*args)
        timings[name] = round(time.perf_counter() - began, 3)
        return result

    began = time.perf_counter()
    step("statistics", 2, gettext_noop("Counting students and vacancies"), ensure_statistics)
    meta_counts = step("populations", 5, gettext_noop("Counting students and vacancies"), lambda: {
        "students": StudentProfile.objects.filter(pk__in=scope.student_ids).count(),
        **Vacancy.objects.filter(pk__in=scope.open_ids).aggregate(vacancies_open=Count("pk"),
                                                                  openings=Sum("openings")),
    })
    section, skill_rows = step("demand_supply", 15, gettext_noop("Demand and supply per skill"), demand_supply, scope)
    funnel_section = step("funnel", 40, gettext_noop("Match funnel"), funnel, scope)
    training_section = step("training", 60, gettext_noop("Training outcomes"), training, scope)
    untaught_rows = step("untaught", 75, gettext_noop("Skills no course teaches"), untaught, skill_rows)
    near_rows = step("near_miss", 80, gettext_noop("Near-miss gaps"), near_miss, scope)
    trend_section = step("trend", 92, gettext_noop("Trend across snapshots"), trend, snapshot, section["skills"],
                         first.isoformat())
    timings["total"] = round(time.perf_counter() - began, 3)
    conf = report_settings()
    data = {
        "schema": SCHEMA,
        "meta": {"period": snapshot.period, "period_start": first.isoformat(), "period_end": last.isoformat(),
                 "filters": scope.filters, "generated_at": timezone.localtime().isoformat(timespec="seconds"),
                 "generation": scope.generation, "students": meta_counts["students"],
                 "vacancies_open": meta_counts["vacancies_open"], "openings": int(meta_counts["openings"] or 0),
                 "qualified_score": float(conf["QUALIFIED_SCORE"]), "qualified_min": int(conf["QUALIFIED_MIN"]),
                 "near_miss_margin": float(conf["NEAR_MISS_MARGIN"])},
        "demand_supply": section,
        "funnel": funnel_section,
        "training": training_section,
        "untaught": untaught_rows,
        "near_miss": near_rows,
        "trend": trend_section,
    }
    return data, timings


def build_snapshot(snapshot: ReportSnapshot) -> ReportSnapshot:
    """Compute ``snapshot`` and store it as done, or as failed with the error (never raises for bad data)."""
    snapshot.status, snapshot.started_at, snapshot.error = SnapshotStatus.RUNNING, timezone.now(), ""
    snapshot.finished_at = None
    snapshot.save(update_fields=["status", "started_at", "error", "finished_at"])
    timings: dict[str, float] = {}
    try:
        data, timings = compute(snapshot, timings)
    except Exception as exc:  # recorded on the snapshot so the page and the API can show it
        logger.exception("report snapshot %s failed", snapshot.pk)
        snapshot.status, snapshot.error, snapshot.finished_at = SnapshotStatus.FAILED, str(exc)[:2000], timezone.now()
        snapshot.progress_message, snapshot.timings = gettext_noop("Failed"), timings
        snapshot.save(update_fields=["status", "error", "finished_at", "progress_message", "timings"])
        return snapshot
    snapshot.data, snapshot.timings = data, timings
    snapshot.status, snapshot.progress, snapshot.progress_message = SnapshotStatus.DONE, 100, gettext_noop("Done")
    snapshot.finished_at = timezone.now()
    snapshot.save(update_fields=["data", "timings", "status", "progress", "progress_message", "finished_at"])
    return snapshot
