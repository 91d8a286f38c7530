"""Reads of applications: the pairs the matcher leaves out, who may see a student's contact details, a vacancy's
pipeline, a student's applications, hires for cohort placement figures and the outcomes learning reads."""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import (
    ACTIVE_STAGES,
    PIPELINE_RANK,
    POSITIVE_RANK,
    ActorRole,
    Application,
    ApplicationEvent,
    ContactConsent,
    Stage,
)

log = logging.getLogger(__name__)
EXPLAINED = 150  # applications explained on one board (the matcher explains at most 200 pairs at once)
BOARD_COLUMNS = (Stage.INVITED, Stage.APPLIED, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED)
BOARD_CLOSED = (Stage.REJECTED, Stage.DECLINED, Stage.WITHDRAWN)


def applied_pairs(*, profile_ids=None, vacancy_ids=None) -> list[tuple[int, int]]:
    """(profile_id, vacancy_id) of every application or invitation not withdrawn: the matcher lists these students
    apart from its ranked lists (``apps.matching.services.common.exclusion_pairs``).

    An incremental recompute (one profile or one vacancy) should pass its ids: the pairs are then read through
    the (profile, stage) or (vacancy, stage) index instead of all of them.
    """
    qs = Application.objects.exclude(stage=Stage.WITHDRAWN).order_by()
    if profile_ids is not None:
        qs = qs.filter(profile_id__in=[int(pk) for pk in profile_ids])
    if vacancy_ids is not None:
        qs = qs.filter(vacancy_id__in=[int(pk) for pk in vacancy_ids])
    return list(qs.values_list("profile_id", "vacancy_id"))


def contact_shared_with(*, profile, user) -> bool:
    """Whether the student gave one of ``user``'s firms an active consent to see their contact details."""
    if not getattr(user, "is_authenticated", False) or user.account_type != "firm":
        return False
    firm_ids = user.organisation_ids("firm")
    return bool(firm_ids) and ContactConsent.objects.active().filter(
        profile_id=profile.pk, firm_id__in=firm_ids).exists()


def contact_visible(*, profile, user) -> bool:
    """The profile's own rule (shared with all firms, the student, admins) or a consent to one of the user's firms."""
    return profile.contact_visible_to(user) or contact_shared_with(profile=profile, user=user)


def consented_profile_ids(*, user, profile_ids) -> set[int]:
    """Of ``profile_ids``, those that gave one of ``user``'s firms an active consent (one query for a page)."""
    if not getattr(user, "is_authenticated", False) or user.account_type != "firm":
        return set()
    return set(ContactConsent.objects.active().filter(
        profile_id__in=list(profile_ids), firm_id__in=user.organisation_ids("firm")).values_list("profile_id",
                                                                                               flat=True))


def vacancy_applicants(*, vacancy, user):
    """Students in this vacancy's pipeline whose contact details the reader may see (the matching page lists them
    apart from the ranked candidates, with their contact details). Everyone else in the pipeline is on the
    pipeline board, without contact details."""
    rows = (Application.objects.for_user(user).filter(vacancy=vacancy).exclude(stage=Stage.WITHDRAWN)
            .select_related("profile__user").order_by("-created_at"))
    profiles = [row.profile for row in rows]
    shared = consented_profile_ids(user=user, profile_ids=[p.pk for p in profiles])
    return [p for p in profiles if p.pk in shared or p.contact_visible_to(user)]


def application_detail(*, user, pk: int) -> Application | None:
    return (Application.objects.for_user(user).select_related("profile__user", "vacancy__firm")
            .prefetch_related("events__actor").filter(pk=pk).first())


def student_applications(*, user) -> QuerySet[Application]:
    """The student's applications and invitations, newest change first."""
    return (Application.objects.for_user(user).filter(profile__user=user).select_related("vacancy__firm")
            .order_by("-stage_changed_at", "-pk"))


def vacancy_pipeline(*, vacancy) -> QuerySet[Application]:
    """Every application to one vacancy, best match first within a stage (the board groups them)."""
    return (Application.objects.filter(vacancy=vacancy).select_related("profile__user")
            .order_by("stage", "-match_score", "created_at", "pk"))


def board_columns(applications) -> tuple[OrderedDict, OrderedDict]:
    """Group applications into the open pipeline columns and the closed ones (rejected, declined, withdrawn)."""
    columns = OrderedDict((stage, []) for stage in BOARD_COLUMNS)
    closed = OrderedDict((stage, []) for stage in BOARD_CLOSED)
    for application in applications:
        (columns if application.stage in columns else closed)[application.stage].append(application)
    for group in (*columns.values(), *closed.values()):
        group.sort(key=lambda a: (-(a.match_score or 0.0), a.created_at, a.pk))
    return columns, closed


def pipeline_explanations(*, vacancy, applications, limit: int = EXPLAINED) -> dict[int, object]:
    """The matcher's explanation (``apps.matching.explain``) of the best ``limit`` applications by score, by
    application id; none for a pair matching cannot explain now. An explanation is a help: its failure is logged,
    never raised."""
    chosen = sorted(applications, key=lambda a: (-(a.match_score or 0.0), a.pk))[:limit]
    if not chosen:
        return {}
    from apps.matching.explain import explain_pairs

    try:
        explained = explain_pairs([(a.profile_id, vacancy.pk, None) for a in chosen])
    except Exception:
        log.exception("explaining the pipeline of vacancy %s failed", vacancy.pk)
        return {}
    return {a.pk: why for a, why in zip(chosen, explained, strict=True) if why.available}


def stage_counts(*, vacancy) -> dict[str, int]:
    return dict(Application.objects.filter(vacancy=vacancy).order_by().values_list("stage").annotate(n=Count("pk")))


def hires_count(*, vacancy_id: int) -> int:
    return Application.objects.filter(vacancy_id=vacancy_id, stage=Stage.HIRED).count()


# --- hires, for cohort placement figures and government reports ---------------------------------------------


@dataclass(frozen=True)
class Hire:
    """A hire through the platform and what became of it."""

    application_id: int
    profile_id: int
    firm_id: int
    vacancy_id: int
    job_title: str
    hired_at: dt.datetime
    start_date: dt.date | None
    stayed_3_months: bool | None
    stayed_6_months: bool | None


def hires_for_profiles(profile_ids) -> list[Hire]:
    """Hires of these students through the pipeline (oldest first); cohort placement figures read them."""
    rows = (Application.objects.filter(profile_id__in=list(profile_ids), stage=Stage.HIRED)
            .select_related("vacancy").order_by("hired_at", "pk"))
    return [Hire(application_id=a.pk, profile_id=a.profile_id, firm_id=a.vacancy.firm_id, vacancy_id=a.vacancy_id,
                 job_title=a.vacancy.title, hired_at=a.hired_at, start_date=a.start_date,
                 stayed_3_months=a.stayed_3_months, stayed_6_months=a.stayed_6_months) for a in rows]


def outcome_totals(queryset=None) -> dict[str, int]:
    """Aggregate hiring outcomes (no personal data): hired, started, stayed 3 and 6 months (yes / no)."""
    qs = (queryset if queryset is not None else Application.objects.all()).filter(stage=Stage.HIRED)
    return qs.aggregate(
        hired=Count("pk"),
        started=Count("pk", filter=Q(start_date__isnull=False)),
        stayed_3=Count("pk", filter=Q(stayed_3_months=True)),
        left_before_3=Count("pk", filter=Q(stayed_3_months=False)),
        stayed_6=Count("pk", filter=Q(stayed_6_months=True)),
        left_before_6=Count("pk", filter=Q(stayed_6_months=False)),
    )


# --- outcomes for learning the weights ----------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRecord:
    """One reviewed application: its score parts at application time, the label and when the firm decided."""

    application_id: int
    vacancy_id: int
    profile_id: int
    decided_at: dt.datetime
    label: int  # 1 shortlisted or further, 0 rejected without getting that far
    grade: int  # 0 rejected, 1 shortlisted, 2 interview, 3 offer, 4 hired
    components: tuple[float, float, float, float, float]


def outcome_records() -> list[OutcomeRecord]:
    """Applications the firm reviewed, with a known match, in decision order.

    Positive: reached shortlisted, interview, offer or hired. Negative: rejected by the firm without reaching
    shortlisted ("rejected after review"). Pending, withdrawn and declined ones carry no signal.
    """
    firm_rejected = ApplicationEvent.objects.filter(
        to_stage=Stage.REJECTED, actor_role__in=[ActorRole.FIRM, ActorRole.ADMIN]).values("application_id")
    qs = (Application.objects.filter(reviewed_at__isnull=False, match_required__isnull=False)
          .filter(Q(furthest__gte=POSITIVE_RANK) | Q(stage=Stage.REJECTED, pk__in=firm_rejected))
          .order_by("reviewed_at", "pk"))
    out = []
    for a in qs.iterator(chunk_size=2000):
        positive = a.furthest >= POSITIVE_RANK
        out.append(OutcomeRecord(
            application_id=a.pk, vacancy_id=a.vacancy_id, profile_id=a.profile_id, decided_at=a.reviewed_at,
            label=int(positive), grade=(a.furthest - PIPELINE_RANK[Stage.APPLIED]) if positive else 0,
            components=(a.match_required, a.match_optional or 0.0, a.match_similarity or 0.0,
                        a.match_language or 0.0, a.match_preference or 0.0)))
    return out


def active_count_for_student(*, user) -> int:
    return Application.objects.filter(profile__user=user, stage__in=ACTIVE_STAGES).count()
