"""Seeding and removing the demo data set (the ``seed_demo`` command calls these).

Demo data is marked so it can be found again: accounts use the ``@demo.talentmatch.cn`` domain,
organisations have a website under it, profiles and vacancies an ``external_id`` starting ``demo-``.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q

from apps.accounts.models import ApprovalStatus, Membership, Organisation, User
from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill, VacancyStatus
from apps.matching.triggers import suppressed
from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile

from . import organisations as orgdata
from .accounts import DEMO_DOMAIN, EXTERNAL_PREFIX
from .builder import DemoBuilder
from .taxonomy import DemoSeedError, Taxonomy

log = logging.getLogger(__name__)

DEFAULT_SEED = 2026
DEFAULT_STUDENTS = 400
DEFAULT_VACANCIES = 120


@dataclass
class DemoSummary:
    """What a run did: rows per model, seconds taken, whether it skipped, and how the re-match went."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: bool = False
    message: str = ""
    rematch: str = ""
    unknown_skills: list[str] = field(default_factory=list)


def demo_users():
    """Every account of the demo set."""
    return User.objects.filter(email__iendswith="@" + DEMO_DOMAIN)


def demo_organisations():
    """Every organisation of the demo set."""
    return Organisation.objects.filter(website__icontains="." + DEMO_DOMAIN)


def demo_present() -> bool:
    return demo_users().exists() or demo_organisations().exists()


def demo_counts() -> dict[str, int]:
    """Rows of the demo set per model, for the command's summary."""
    orgs = demo_organisations()
    users = demo_users()
    profiles = StudentProfile.objects.filter(external_id__startswith=EXTERNAL_PREFIX)
    vacancies = Vacancy.objects.filter(firm__in=orgs)
    return {
        "firms (approved)": orgs.filter(kind="firm", status=ApprovalStatus.APPROVED).count(),
        "firms (pending approval)": orgs.filter(kind="firm", status=ApprovalStatus.PENDING).count(),
        "universities / training providers": orgs.filter(kind="university").count(),
        "government agencies": orgs.filter(kind="government").count(),
        "users": users.count(),
        "memberships": Membership.objects.filter(user__in=users).count(),
        "student profiles": profiles.count(),
        "profile skills": ProfileSkill.objects.filter(profile__in=profiles).count(),
        "profile languages": ProfileLanguage.objects.filter(profile__in=profiles).count(),
        "vacancies": vacancies.count(),
        "vacancies (open)": vacancies.filter(status=VacancyStatus.OPEN).count(),
        "vacancy skills": VacancySkill.objects.filter(vacancy__in=vacancies).count(),
        "vacancy languages": VacancyLanguage.objects.filter(vacancy__in=vacancies).count(),
        **_training_counts(),
    }


def _training_counts() -> dict[str, int]:
    from apps.cohorts.demo import demo_training_counts

    return {f"training: {name}": count for name, count in demo_training_counts().items()}


@transaction.atomic
def demo_reset() -> int:
    """Delete the demo set: its firms' vacancies, its students, accounts and organisations. Returns rows deleted.

    Rows that merely point at demo data from outside it (say, a real profile whose university was a demo
    one) are kept, with that link cleared, as ``on_delete`` says.
    """
    from apps.cohorts.demo import demo_training_reset

    users = demo_users()
    profiles = StudentProfile.objects.filter(Q(user__in=users) | Q(external_id__startswith=EXTERNAL_PREFIX))
    deleted = demo_training_reset()
    deleted += _purge(Vacancy.objects.filter(firm__in=demo_organisations()))
    deleted += _purge(profiles)
    deleted += _purge(users)
    deleted += _purge(demo_organisations())
    return deleted


def _purge(queryset: models.QuerySet, depth: int = 0) -> int:
    """Delete a queryset's rows and what cascades from them, children first, with set-based statements.

    Django's collector loads every id and sends IN-lists as long as the demo set (100,000 students);
    here each table gets one ``DELETE ... WHERE fk IN (SELECT ...)``. ``on_delete`` is honoured
    (CASCADE, SET_NULL, PROTECT/RESTRICT); delete signals are not sent, none of the demo models need them.
    """
    if depth > 8:
        raise DemoSeedError(f"Deleting {queryset.model.__name__} cascades too deep; delete the demo data by hand.")
    ids = queryset.values("pk")
    deleted = 0
    for relation in queryset.model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        name, on_delete = relation.field.name, relation.on_delete
        related = relation.related_model._base_manager.filter(**{f"{name}__in": ids})
        if on_delete is models.CASCADE:
            deleted += _purge(related, depth + 1)
        elif on_delete is models.SET_NULL:
            related.update(**{name: None})
        elif on_delete in (models.PROTECT, models.RESTRICT) and related.exists():
            raise DemoSeedError(
                f"The demo data cannot be deleted: {relation.related_model._meta.verbose_name_plural} still "
                f"refer to it ({relation.related_model.__name__}.{name})."
            )
        elif on_delete not in (models.DO_NOTHING, models.PROTECT, models.RESTRICT):
            return deleted + queryset.delete()[0]  # SET_DEFAULT / SET(...): let Django's collector apply it
    return deleted + queryset._raw_delete(queryset.db)


def demo_seed(
    *,
    students: int = DEFAULT_STUDENTS,
    vacancies: int = DEFAULT_VACANCIES,
    firms: int | None = None,
    universities: int | None = None,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
    rematch: bool = True,
    outcomes: bool = True,
    training: bool = True,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Build the demo set in one transaction, then run one full re-match; skip when a demo set exists.

    ``firms`` counts approved firms (default 24, or one per six vacancies when that is more); the pending
    demo firm comes on top. ``universities`` defaults to the eight named institutions. ``students`` and
    ``vacancies`` include the demo student and the demo firm's four hand-made vacancies.
    """
    firms = max(len(orgdata.NAMED_FIRMS), vacancies // 6) if firms is None else firms
    universities = len(orgdata.UNIVERSITIES) if universities is None else universities
    for name, value, least in (
        ("students", students, 1),
        ("vacancies", vacancies, 0),
        ("firms", firms, 1),
        ("universities", universities, 1),
        ("seed", seed, 0),
    ):
        if value < least:
            raise DemoSeedError(f"--{name} must be at least {least} (got {value}).")
    say = progress or (lambda message: None)
    started = time.monotonic()
    if reset:
        say(f"Deleted {demo_reset()} rows of the previous demo data.")
    elif demo_present():
        return DemoSummary(
            counts=demo_counts(),
            skipped=True,
            seconds=time.monotonic() - started,
            message="Demo data is already present, so nothing was added. Use --reset to delete it and build it again.",
        )
    taxonomy = Taxonomy()
    builder = DemoBuilder(taxonomy=taxonomy, seed=seed, say=say)
    with suppressed(), transaction.atomic():
        builder.build_organisations(firms=firms, universities=universities)
        builder.build_vacancies(count=vacancies)
        builder.build_students(count=students)
        say("Committing ...")
    say("Committed.")
    if outcomes:
        from apps.applications.demo import demo_outcomes

        # Outcome histories whose hidden preferences differ from the default weights (for learn_weights).
        demo_outcomes(seed=seed, progress=say, rematch=False)
    if training:
        from apps.cohorts.demo import demo_training

        # Programmes, cohorts, enrollments, course credits and placements (after the hires, which it links to).
        demo_training(seed=seed, progress=say)
    summary = DemoSummary(counts=demo_counts(), unknown_skills=sorted(taxonomy.missing))
    summary.seconds = time.monotonic() - started
    if rematch:
        summary.rematch = _rematch(say)
        # The government account opens on a report: build this month's city-wide one now (the weekly beat
        # adds the next ones). Only after an inline re-match, so the funnel reads the demo's matches.
        if summary.rematch.startswith("done in-process"):
            _first_report(say)
    return summary


def _first_report(say: Callable[[str], None]) -> None:
    from apps.reports.models import ReportSnapshot, current_period
    from apps.reports.services.build import build_snapshot
    from apps.reports.services.requests import report_request

    if ReportSnapshot.objects.exists():
        return
    started = time.monotonic()
    snapshot = build_snapshot(report_request(period=current_period(), trigger="command", enqueue=False))
    say(f"Report {snapshot.period} (whole city): {snapshot.status} in {time.monotonic() - started:.1f} s.")


def demo_training_only(
    *, seed: int = DEFAULT_SEED, rematch: bool = True, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """Add the training data to an existing demo set that has none (``seed_demo --training-only``); runs once."""
    from apps.cohorts.demo import demo_training, demo_training_present

    say = progress or (lambda message: None)
    started = time.monotonic()
    if not demo_present():
        raise DemoSeedError("There is no demo data to add training data to: run seed_demo without --training-only.")
    if demo_training_present():
        return DemoSummary(
            counts=demo_counts(),
            skipped=True,
            seconds=time.monotonic() - started,
            message="Training data is already present, so nothing was added.",
        )
    demo_training(seed=seed, progress=say)
    summary = DemoSummary(counts=demo_counts())
    summary.seconds = time.monotonic() - started
    if rematch:
        summary.rematch = _rematch(say)
    return summary


def _rematch(say: Callable[[str], None]) -> str:
    """Run the matching app's full re-match if it offers one; seeding has succeeded either way."""
    from apps.matching import services

    hook = getattr(services, "full_rematch_after_import", None)
    if not callable(hook):
        return "skipped: apps.matching.services has no full_rematch_after_import yet"
    say("Starting the full re-match ...")
    started = time.monotonic()
    options = {"reason": "seed_demo"} if "reason" in inspect.signature(hook).parameters else {}
    try:
        result = hook(**options)
    except Exception as exc:  # the data is in; the nightly full rematch catches up
        log.exception("full re-match after seeding failed")
        return f"failed: {exc}"
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return f"done in-process in {time.monotonic() - started:.1f} s" + (f" ({result})" if result else "")
    return "queued for the Celery workers"
