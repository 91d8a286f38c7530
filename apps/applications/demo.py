"""Demo outcome histories: applications, invitations and the firms' decisions over the last half year, generated
from the stored matches with *hidden* preferences that differ from the engine's default weights.

Each demo firm judges its candidate pool by ``HIDDEN_WEIGHTS`` (languages count four times as much as in
``DEFAULT_WEIGHTS``, 0.4; optional skills and overall similarity not at all) plus logistic noise,
shortlists the best part of the pool and rejects the rest with a reason, interviews, offers and sometimes hires.
``manage.py learn_weights`` then has something real to find: weights learned from these outcomes rank the later
vacancies' pools better than the defaults do (``manage.py evaluate_matching``).

Rows are written in bulk (no per-row service, notification or recompute); every vacancy's history comes from a
``random.Random`` seeded with the seed and the vacancy's external id, so the same data and seed give the same
history on any database.
``seed_demo`` calls ``demo_outcomes`` once its data is committed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.jobs.models import Vacancy
from apps.matching.engine import MatchWeights
from apps.matching.models import CandidateMatch

from .models import PIPELINE_RANK, ActorRole, Application, ApplicationEvent, ContactConsent, Source, Stage

HIDDEN_WEIGHTS = MatchWeights(version="demo-hidden", required=0.5, optional=0.0, similarity=0.0, language=0.4,
                              preference=0.1)
NOISE = 0.01  # scale of the logistic noise on a firm's judgement, in score units
POOL_MIN, POOL_MAX = 25, 45  # candidates in a vacancy's pipeline
SHORTLIST_SHARE = 0.3
HISTORY_DAYS = 180
BATCH = 2000

REJECTION_REASONS = (
    "语言水平不足 / Language level below what we need",
    "地点不合适 / Location does not suit",
    "经验不够 / Not enough hands-on experience",
    "已有更合适的候选人 / We found a closer fit",
    "岗位类型不符 / Prefers another job type",
)


@dataclass
class _History:
    applications: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (application index, from, to, role, reason, at)
    consents: list = field(default_factory=list)  # (application index, purpose, granted, withdrawn)
    times: list = field(default_factory=list)  # created_at per application


def _components(row: CandidateMatch) -> tuple[float, float, float, float, float]:
    return (row.required, row.optional, row.similarity, row.language, row.preference)


def _hidden_score(parts) -> float:
    r, o, s, lang, f = parts
    w = HIDDEN_WEIGHTS
    return r * (w.required + w.optional * o + w.similarity * s + w.language * lang + w.preference * f)


def _logistic(rng: random.Random) -> float:
    u = min(max(rng.random(), 1e-12), 1 - 1e-12)
    return math.log(u / (1 - u))


def _vacancy_history(vacancy: Vacancy, rows: list[CandidateMatch], rng: random.Random, now, out: _History,
                     weights_version: str, firm_user_id: int | None) -> None:
    pool = rng.sample(rows, min(len(rows), rng.randint(POOL_MIN, POOL_MAX)))
    start = now - dt.timedelta(days=rng.uniform(25, HISTORY_DAYS))
    reviewed = []
    for row in pool:
        created = start + dt.timedelta(hours=rng.uniform(0, 240))
        invited = rng.random() < 0.3
        app = Application(
            profile_id=row.profile_id, vacancy_id=vacancy.pk, source=Source.INVITED if invited else Source.APPLIED,
            stage=Stage.INVITED if invited else Stage.APPLIED, furthest=0 if invited else 1, stage_changed_at=created,
            created_by_id=firm_user_id if invited else None, match_score=row.score, match_required=row.required,
            match_optional=row.optional, match_similarity=row.similarity, match_language=row.language,
            match_preference=row.preference, match_weights_version=weights_version)
        index = len(out.applications)
        out.applications.append(app)
        out.times.append(created)
        purpose = f"Applied to “{vacancy.title}”"
        if invited:
            out.events.append((index, "", Stage.INVITED, ActorRole.FIRM, "", created))
            roll = rng.random()
            answered = created + dt.timedelta(hours=rng.uniform(4, 72))
            if roll < 0.12:
                out.events.append((index, Stage.INVITED, Stage.DECLINED, ActorRole.STUDENT, "", answered))
                app.stage, app.stage_changed_at = Stage.DECLINED, answered
                continue
            if roll < 0.2:
                continue  # never answered
            out.events.append((index, Stage.INVITED, Stage.APPLIED, ActorRole.STUDENT, "", answered))
            app.stage, app.furthest, app.stage_changed_at = Stage.APPLIED, 1, answered
            purpose = f"Accepted the invitation to “{vacancy.title}”"
            applied_at = answered
        else:
            out.events.append((index, "", Stage.APPLIED, ActorRole.STUDENT, "", created))
            applied_at = created
        roll = rng.random()
        if roll < 0.05:
            withdrawn = applied_at + dt.timedelta(days=rng.uniform(1, 8))
            out.events.append((index, Stage.APPLIED, Stage.WITHDRAWN, ActorRole.STUDENT, "", withdrawn))
            app.stage, app.stage_changed_at = Stage.WITHDRAWN, withdrawn
            out.consents.append((index, purpose, applied_at, withdrawn))
            continue
        out.consents.append((index, purpose, applied_at, None))
        if roll < 0.13:
            continue  # still waiting for the firm
        utility = _hidden_score(_components(row)) + NOISE * _logistic(rng)
        reviewed.append((utility, index, applied_at))
    _decide(vacancy, reviewed, rng, start, now, out)


def _decide(vacancy: Vacancy, reviewed: list, rng: random.Random, start, now, out: _History) -> None:
    """The firm's decisions on the reviewed part of the pool, best hidden utility first."""
    reviewed.sort(key=lambda item: -item[0])
    shortlisted = max(1, round(SHORTLIST_SHARE * len(reviewed))) if reviewed else 0
    review_day = start + dt.timedelta(days=rng.uniform(11, 16))
    hires_left = vacancy.openings - 1 if vacancy.openings >= 2 and rng.random() < 0.6 else 0
    for position, (_utility, index, applied_at) in enumerate(reviewed):
        app = out.applications[index]
        at = max(review_day + dt.timedelta(hours=rng.uniform(0, 96)), applied_at + dt.timedelta(hours=2))
        app.reviewed_at = at
        if position >= shortlisted:
            reason = rng.choice(REJECTION_REASONS)
            out.events.append((index, Stage.APPLIED, Stage.REJECTED, ActorRole.FIRM, reason, at))
            app.stage, app.stage_changed_at, app.rejection_reason = Stage.REJECTED, at, reason
            continue
        stage = Stage.SHORTLISTED
        out.events.append((index, Stage.APPLIED, stage, ActorRole.FIRM, "", at))
        for nxt, share in ((Stage.INTERVIEW, 0.6), (Stage.OFFER, 0.5)):
            if position >= max(1, round(share * shortlisted)) or rng.random() < 0.15:
                break
            at = at + dt.timedelta(days=rng.uniform(2, 7))
            out.events.append((index, stage, nxt, ActorRole.FIRM, "", at))
            stage = nxt
        if stage == Stage.OFFER and hires_left > 0:
            at = at + dt.timedelta(days=rng.uniform(1, 5))
            out.events.append((index, stage, Stage.HIRED, ActorRole.FIRM, "", at))
            stage, hires_left = Stage.HIRED, hires_left - 1
            app.hired_at = at
            _outcome(app, at, rng, now)
        app.stage, app.stage_changed_at, app.furthest = stage, at, PIPELINE_RANK[stage]


def _outcome(app: Application, hired_at, rng: random.Random, now) -> None:
    start = (hired_at + dt.timedelta(days=rng.uniform(7, 21))).date()
    today = timezone.localdate(now)
    app.start_date, app.start_confirmed_at = start, hired_at
    if start + dt.timedelta(days=92) <= today:
        app.stayed_3_months = rng.random() < 0.85
        app.outcome_updated_at = now
        if start + dt.timedelta(days=183) <= today:
            app.stayed_6_months = bool(app.stayed_3_months) and rng.random() < 0.85


def _write(out: _History) -> None:
    Application.objects.bulk_create(out.applications, batch_size=BATCH)
    for app, created in zip(out.applications, out.times, strict=True):
        app.created_at = created  # auto_now_add set "now" on insert; the history needs its own times
    Application.objects.bulk_update(out.applications, ["created_at"], batch_size=BATCH)
    apps = out.applications
    ApplicationEvent.objects.bulk_create(
        [ApplicationEvent(application_id=apps[i].pk, actor_id=apps[i].created_by_id if role == ActorRole.FIRM else
                          None, actor_role=role, from_stage=frm, to_stage=to, reason=reason, created_at=at)
         for i, frm, to, role, reason, at in out.events], batch_size=BATCH)
    firm_of = dict(Vacancy.objects.filter(pk__in={a.vacancy_id for a in apps}).values_list("pk", "firm_id"))
    ContactConsent.objects.bulk_create(
        [ContactConsent(profile_id=apps[i].profile_id, firm_id=firm_of[apps[i].vacancy_id], application_id=apps[i].pk,
                        purpose=purpose, granted_at=granted, withdrawn_at=withdrawn,
                        withdrawn_reason="application withdrawn" if withdrawn else "")
         for i, purpose, granted, withdrawn in out.consents], batch_size=BATCH)
    _write_placements([a for a in apps if a.start_date is not None], firm_of)


def _write_placements(hires: list[Application], firm_of: dict[int, int]) -> None:
    """Confirmed starts become cohort placements, as ``services.outcome_record`` makes them for live hires."""
    try:
        from apps.cohorts.models import Placement, PlacementSource
    except ImportError:  # the cohorts app is not installed
        return
    titles = dict(Vacancy.objects.filter(pk__in={a.vacancy_id for a in hires}).values_list("pk", "title"))
    Placement.objects.bulk_create(
        [Placement(profile_id=a.profile_id, firm_id=firm_of[a.vacancy_id], vacancy_id=a.vacancy_id,
                   job_title=titles[a.vacancy_id][:200], started_on=a.start_date, source=PlacementSource.PIPELINE,
                   note="Hired through the platform") for a in hires],
        batch_size=BATCH, ignore_conflicts=True)


def demo_outcomes(*, seed: int = 2026, vacancies=None, rematch: bool = True, max_vacancies: int = 1500,
                  progress: Callable[[str], None] | None = None) -> dict:
    """Generate the outcome histories of the open vacancies that have stored candidates (or of ``vacancies``), at
    most ``max_vacancies`` of them (the first by id: about 35 applications each, plenty to learn from).

    Runs once: vacancies that already have applications are left alone. Scores come from the stored matches (a
    full re-match runs in-process first when none are stored); afterwards a full re-match takes the applicants
    out of the ranked lists (``rematch``). Returns counts.
    """
    from apps.accounts.models import Membership
    from apps.matching.learning import rematch_now
    from apps.matching.selectors import current_generation
    from apps.matching.services import active_weights, full_rematch_in_process

    say = progress or (lambda message: None)
    qs = Vacancy.objects.open() if vacancies is None else Vacancy.objects.filter(pk__in=[v.pk for v in vacancies])
    targets = list(qs.exclude(pk__in=Application.objects.values("vacancy_id")).order_by("pk")[:max_vacancies])
    if targets and not CandidateMatch.objects.filter(generation=current_generation(), vacancy__in=targets).exists():
        say("No stored matches for these vacancies yet: running a full re-match in-process first ...")
        full_rematch_in_process(reason="demo outcomes")
    generation = current_generation()
    rows_by_vacancy: dict[int, list[CandidateMatch]] = {}
    for row in (CandidateMatch.objects.filter(generation=generation, vacancy__in=targets)
                .order_by("vacancy_id", "-score", "profile_id")):
        rows_by_vacancy.setdefault(row.vacancy_id, []).append(row)
    staff = dict(Membership.objects.filter(organisation_id__in={v.firm_id for v in targets}).order_by("pk")
                 .values_list("organisation_id", "user_id"))
    out = _History()
    now = timezone.now()
    version = active_weights().version
    for vacancy in targets:
        rows = rows_by_vacancy.get(vacancy.pk, [])
        if len(rows) < 10:
            continue
        rng = random.Random(f"{seed}:outcomes:{vacancy.external_id or vacancy.pk}")
        _vacancy_history(vacancy, rows, rng, now, out, version, staff.get(vacancy.firm_id))
    with transaction.atomic():
        _write(out)
    counts = {"vacancies with histories": len({a.vacancy_id for a in out.applications}),
              "applications": len(out.applications), "events": len(out.events),
              "hires": sum(1 for a in out.applications if a.stage == Stage.HIRED),
              "reviewed": sum(1 for a in out.applications if a.reviewed_at is not None)}
    say("Outcome histories: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
    if rematch and out.applications:
        say("Re-match (applicants leave the ranked lists): " + rematch_now("demo outcomes"))
    return counts
