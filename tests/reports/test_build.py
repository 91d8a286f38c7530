"""The report's figures equal a direct recount from the database (plain loops over the rows, not the build's
queries): demand, supply, shortage, funnel counts, flows, placement rates, gaps and filters."""

import statistics
from collections import defaultdict

import pytest
from django.utils import timezone

from apps.applications.models import Application, ApplicationEvent
from apps.cohorts.models import CourseSkill, Enrollment, Placement
from apps.jobs.models import Vacancy, VacancySkill
from apps.matching.models import CandidateMatch
from apps.reports.models import ReportSnapshot, SnapshotStatus, current_period
from apps.reports.services.build import build_snapshot, shortage_index
from apps.talent.models import ProfileSkill, StudentProfile

pytestmark = pytest.mark.django_db


def build(**filters):
    snapshot = ReportSnapshot.objects.create(period=current_period(), **{f"filter_{k}": v for k, v in filters.items()})
    snapshot = build_snapshot(snapshot)
    assert snapshot.status == SnapshotStatus.DONE, snapshot.error
    return snapshot


def open_vacancies(district="", market=""):
    today = timezone.localdate()
    out = []
    for vacancy in Vacancy.objects.select_related("firm"):
        if vacancy.status != "open" or vacancy.firm.status != "approved":
            continue
        if vacancy.deadline and vacancy.deadline < today:
            continue
        if district and vacancy.location != district:
            continue
        if market and market not in vacancy.markets:
            continue
        out.append(vacancy)
    return out


def population(district="", market=""):
    out = []
    for profile in StudentProfile.objects.select_related("user"):
        if not profile.user.is_active:
            continue
        if district and district not in profile.pref_locations:
            continue
        if market and market not in profile.pref_markets:
            continue
        out.append(profile)
    return out


def recount_demand_supply(vacancies, profiles):
    demand, count, level = defaultdict(int), defaultdict(int), {}
    for vacancy in vacancies:
        for requirement in VacancySkill.objects.filter(vacancy=vacancy, required=True):
            demand[requirement.skill.code] += vacancy.openings
            count[requirement.skill.code] += 1
            level[requirement.skill.code] = min(level.get(requirement.skill.code, 9), requirement.min_level)
    ids = {p.pk for p in profiles}
    supply = defaultdict(int)
    for held in ProfileSkill.objects.select_related("skill"):
        code = held.skill.code
        if held.profile_id in ids and code in level and held.level >= level[code]:
            supply[code] += 1
    return demand, count, level, supply


def test_demand_and_supply_per_skill_equal_a_recount(report_world):
    data = build().data
    demand, count, level, supply = recount_demand_supply(open_vacancies(), population())
    rows = {row["code"]: row for row in data["demand_supply"]["skills"]}
    assert set(rows) == set(demand) and demand
    for code, row in rows.items():
        assert row["demand"] == demand[code]
        assert row["vacancies"] == count[code]
        assert row["required_level"] == level[code]
        assert row["supply"] == supply[code]
        assert row["shortage_index"] == shortage_index(demand[code], supply[code])
    assert data["meta"]["students"] == 30  # the inactive student is left out
    assert data["meta"]["vacancies_open"] == 6
    assert data["meta"]["openings"] == sum(v.openings for v in open_vacancies())


def test_categories_and_markets_equal_a_recount(report_world):
    data = build().data
    vacancies, profiles = open_vacancies(), population()
    demand, _count, level, _supply = recount_demand_supply(vacancies, profiles)
    by_category = defaultdict(int)
    holders = defaultdict(set)
    ids = {p.pk for p in profiles}
    for skill in report_world["skills"]:
        if skill.code in demand:
            by_category[skill.category.code] += demand[skill.code]
    for held in ProfileSkill.objects.select_related("skill__category"):
        if held.profile_id in ids and held.skill.code in level and held.level >= level[held.skill.code]:
            holders[held.skill.category.code].add(held.profile_id)
    rows = {row["code"]: row for row in data["demand_supply"]["categories"]}
    assert set(rows) == set(by_category)
    for code, row in rows.items():
        assert row["demand"] == by_category[code]
        assert row["supply"] == len(holders[code])

    market = report_world["market"].code
    markets = {row["code"]: row for row in data["demand_supply"]["markets"]}
    assert markets[market]["demand"] == sum(v.openings for v in vacancies if market in v.markets)
    assert markets[market]["vacancies"] == sum(1 for v in vacancies if market in v.markets)
    assert markets[market]["supply"] == sum(1 for p in profiles if market in p.pref_markets)


def test_funnel_equals_a_recount(report_world):
    data = build().data
    funnel = data["funnel"]
    open_ids = {v.pk for v in open_vacancies()}
    generation = report_world["generation"]
    qualified = defaultdict(set)
    histogram = [0] * 10
    for row in CandidateMatch.objects.all():
        if row.generation != generation or row.vacancy_id not in open_ids:
            continue
        histogram[min(int(row.score * 10), 9)] += 1
        if row.score >= 0.6:
            qualified[row.vacancy_id].add(row.profile_id)
    assert funnel["vacancies_open"] == len(open_ids)
    assert funnel["vacancies_well_covered"] == sum(1 for v in open_ids if len(qualified[v]) >= 2)
    assert funnel["vacancies_some"] == sum(1 for v in open_ids if 1 <= len(qualified[v]) < 2)
    assert funnel["vacancies_none"] == sum(1 for v in open_ids if not qualified[v])
    assert funnel["qualified_candidates"] == len(set().union(*qualified.values()))
    assert [bucket["candidates"] for bucket in funnel["score_histogram"]] == histogram

    applications = list(Application.objects.all())
    assert funnel["applications"] == len(applications) > 0
    events = list(ApplicationEvent.objects.all())
    assert funnel["interviews"] == len({e.application_id for e in events if e.to_stage == "interview"}) > 0
    assert funnel["offers"] == len({e.application_id for e in events if e.to_stage == "offer"}) > 0
    hired = [a for a in applications if a.stage == "hired"]
    assert funnel["hires"] == len(hired) > 0
    first_hire = {}
    for application in hired:
        first_hire[application.vacancy_id] = min(first_hire.get(application.vacancy_id, application.hired_at),
                                                 application.hired_at)
    days = [(first_hire[v] - Vacancy.objects.get(pk=v).published_at).total_seconds() / 86400 for v in first_hire]
    assert funnel["filled_vacancies"] == len(first_hire)
    assert funnel["median_days_to_fill"] == pytest.approx(statistics.median(days), abs=0.05)


def recount_training(group):
    """group(enrollment) -> list of keys; returns key -> (trained, completed, placed, [days])."""
    out = defaultdict(lambda: [0, 0, 0, []])
    for enrollment in Enrollment.objects.select_related("cohort__programme", "cohort__course"):
        if enrollment.cohort.is_cancelled or enrollment.status not in ("enrolled", "completed", "failed"):
            continue
        for key in group(enrollment):
            totals = out[key]
            totals[0] += 1
            if enrollment.status != "completed":
                continue
            totals[1] += 1
            later = sorted(p.started_on for p in Placement.objects.filter(profile=enrollment.profile)
                           if p.started_on >= enrollment.cohort.starts_on)
            if later:
                totals[2] += 1
                totals[3].append((later[0] - timezone.localdate(enrollment.completed_at)).days)
    return out


def test_training_outcomes_equal_a_recount(report_world):
    data = build().data
    expected = recount_training(lambda e: [e.cohort.programme_id] if e.cohort.programme_id else [])
    rows = {int(row["id"]): row for row in data["training"]["programme"]}
    assert set(rows) == set(expected)
    for key, (trained, completed, placed, days) in expected.items():
        row = rows[key]
        assert (row["trained"], row["completed"], row["placed"]) == (trained, completed, placed)
        assert row["placement_rate"] == (round(100.0 * placed / completed, 1) if completed else None)
        assert row["median_days_to_placement"] == (statistics.median(days) if days else None)
        programme = report_world["programmes"]["big" if key == report_world["programmes"]["big"].pk else "small"]
        assert row["target_rate"] == float(programme.target_placement_rate)
        assert row["funding_per_placement"] == (round(float(programme.funding_amount) / placed, 2) if placed else None)

    schools = recount_training(lambda e: [e.cohort.course.provider_id])
    assert {int(r["id"]): (r["trained"], r["completed"], r["placed"]) for r in data["training"]["school"]} == {
        k: tuple(v[:3]) for k, v in schools.items()}
    partners = recount_training(lambda e: [p.firm_id for p in e.cohort.programme.partners.all()])
    assert {int(r["id"]): (r["trained"], r["completed"], r["placed"]) for r in data["training"]["partner"]} == {
        k: tuple(v[:3]) for k, v in partners.items()}
    funders = recount_training(lambda e: [e.cohort.programme.government_id])
    funder_rows = data["training"]["funder"]
    assert {int(r["id"]): (r["trained"], r["completed"], r["placed"]) for r in funder_rows} == {
        k: tuple(v[:3]) for k, v in funders.items()}
    assert funder_rows[0]["funding"] == 150000.0  # both programmes' funding, each counted once


def test_untaught_and_near_miss_equal_a_recount(report_world):
    data = build().data
    demand, _count, _level, _supply = recount_demand_supply(open_vacancies(), population())
    taught = {cs.skill.code for cs in CourseSkill.objects.filter(course__is_active=True)}
    assert {row["code"] for row in data["untaught"]} == set(demand) - taught

    open_ids = {v.pk for v in open_vacancies()}
    held = {(p.profile_id, p.skill_id): p.level for p in ProfileSkill.objects.all()}
    students, pairs = defaultdict(set), defaultdict(int)
    for row in CandidateMatch.objects.filter(generation=report_world["generation"]):
        if row.vacancy_id not in open_ids or not (0.4 <= row.score < 0.6):
            continue
        for requirement in VacancySkill.objects.filter(vacancy_id=row.vacancy_id, required=True):
            if held.get((row.profile_id, requirement.skill_id), 0) < requirement.min_level:
                students[requirement.skill.code].add(row.profile_id)
                pairs[requirement.skill.code] += 1
    rows = {row["code"]: row for row in data["near_miss"]}
    assert set(rows) == set(students) and rows
    for code, row in rows.items():
        assert (row["students"], row["pairs"]) == (len(students[code]), pairs[code])


def test_district_and_market_filters_restrict_the_populations(report_world):
    district, market = report_world["location"].code, report_world["market"].code
    data = build(district=district).data
    demand, _count, _level, supply = recount_demand_supply(open_vacancies(district=district),
                                                           population(district=district))
    rows = {row["code"]: row for row in data["demand_supply"]["skills"]}
    assert {code: (r["demand"], r["supply"]) for code, r in rows.items()} == {
        code: (demand[code], supply[code]) for code in demand}
    assert data["meta"]["students"] == len(population(district=district)) < 30

    data = build(market=market).data
    assert data["meta"]["vacancies_open"] == len(open_vacancies(market=market))
    assert data["meta"]["students"] == len(population(market=market))


def test_programme_filter_keeps_its_trainees_and_its_rows(report_world):
    small = report_world["programmes"]["small"]
    data = build(programme=str(small.pk)).data
    assert data["meta"]["students"] == 3
    assert [row["id"] for row in data["training"]["programme"]] == [str(small.pk)]


def test_trend_follows_earlier_snapshots_of_the_same_filters(report_world):
    earlier = ReportSnapshot.objects.create(period="2026-01")
    build_snapshot(earlier)
    other_scope = ReportSnapshot.objects.create(period="2026-02", filter_market=report_world["market"].code)
    build_snapshot(other_scope)
    data = build().data
    assert data["trend"]["periods"] == ["2026-01", current_period()]
    first = data["trend"]["skills"][0]
    assert [p["period"] for p in first["points"]] == ["2026-01", current_period()]


def test_a_failure_is_recorded_on_the_snapshot(report_world):
    snapshot = build_snapshot(ReportSnapshot.objects.create(period="2026-13"))
    assert snapshot.status == SnapshotStatus.FAILED and "period" in snapshot.error.lower()
