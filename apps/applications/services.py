"""Writes of the pipeline: apply, invite, respond, withdraw, move a stage (hire included), bulk moves, consent and
hiring outcomes.

Every change is one transaction: the application, its ``ApplicationEvent``, the consent it grants or ends and
the notification it causes commit together; the matcher recomputes the student's lists after the commit (the
pair leaves or rejoins the ranked lists). A hire locks the vacancy row first, so concurrent hires never exceed
its openings; the hire that fills the last opening closes the vacancy.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.jobs.models import Vacancy, VacancyStatus
from apps.matching.triggers import profile_changed
from apps.talent.models import StudentProfile

from . import notify
from .models import (
    ACTIVE_STAGES,
    FIRM_STAGES,
    PIPELINE_RANK,
    ActorRole,
    Application,
    ApplicationEvent,
    ContactConsent,
    Source,
    Stage,
)

log = logging.getLogger(__name__)

MAX_BULK = 200
KEEP = object()  # "leave this outcome field as it is"


class ApplicationExists(ValidationError):
    """The student and vacancy already have an application (or invitation): a conflict, not a server error."""

    code = "duplicate_application"


class VacancyFilled(ValidationError):
    """Every opening of the vacancy already has a hire."""

    code = "vacancy_filled"


def _now():
    return timezone.now()


def _role(user) -> str:
    if user is None:
        return ActorRole.SYSTEM
    if user.is_platform_admin:
        return ActorRole.ADMIN
    return ActorRole.STUDENT if user.account_type == "student" else ActorRole.FIRM


def _event(application: Application, *, actor, from_stage: str, to_stage: str, reason: str = "",
           at=None) -> ApplicationEvent:
    return ApplicationEvent.objects.create(application=application, actor=actor, actor_role=_role(actor),
                                           from_stage=from_stage, to_stage=to_stage, reason=reason[:300],
                                           created_at=at or _now())


def _grant_consent(application: Application, *, purpose: str, at) -> ContactConsent:
    from apps.privacy.services import record_firm_consents

    consent = ContactConsent.objects.create(profile_id=application.profile_id, firm_id=application.vacancy.firm_id,
                                            application=application, purpose=purpose, granted_at=at)
    record_firm_consents([(application.profile.user_id, consent.firm_id, application.pk)], granted=True)
    return consent


def _end_consents(*, at, reason: str, application: Application | None = None, profile_id: int | None = None,
                  firm_id: int | None = None, source: str = "application") -> int:
    from apps.privacy.services import record_firm_consents

    qs = ContactConsent.objects.active()
    qs = qs.filter(application=application) if application is not None else qs.filter(profile_id=profile_id,
                                                                                       firm_id=firm_id)
    ended = list(qs.values_list("profile__user_id", "firm_id", "application_id"))
    count = qs.update(withdrawn_at=at, withdrawn_reason=reason[:200])
    record_firm_consents(ended, granted=False, source=source)
    return count


def _student_profile(user) -> StudentProfile:
    if user is None or user.account_type != "student":
        raise PermissionDenied(_("Only student and trainee accounts apply to vacancies."))
    profile = StudentProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError({"profile": _("Create your profile first: the firm sees your skills from it.")})
    return profile


def _duplicate_message(existing: Application, *, for_student: bool) -> str:
    when = date_format(timezone.localtime(existing.created_at), "Y-m-d")
    if for_student:
        if existing.stage == Stage.INVITED:
            return _("The firm already invited you to this vacancy: accept the invitation instead.")
        if existing.stage == Stage.WITHDRAWN:
            return _("You withdrew your application to this vacancy (first made on %(date)s); it cannot be made "
                     "again.") % {"date": when}
        return _("You already applied to this vacancy on %(date)s (now: %(stage)s).") % {
            "date": when, "stage": existing.get_stage_display()}
    return _("This student is already in the vacancy's pipeline since %(date)s (now: %(stage)s).") % {
        "date": when, "stage": existing.get_stage_display()}


def match_snapshot(*, profile_id: int, vacancy_id: int) -> dict:
    """The pair's score and its five parts now: the stored ranked-list row if there is one, else computed.

    Stored on the application so the outcome learning sees the match as it was when the decision was made.
    Matching trouble never blocks an application: the snapshot is then empty.
    """
    from apps.matching.models import CandidateMatch
    from apps.matching.selectors import current_generation

    row = CandidateMatch.objects.filter(vacancy_id=vacancy_id, profile_id=profile_id,
                                        generation=current_generation()).first()
    try:
        from apps.matching.services import active_weights

        version = active_weights().version
        if row is None:
            from apps.matching.explain import explain_pairs

            why = explain_pairs([(profile_id, vacancy_id, None)])[0]
            if not why.available:
                return {}
            parts, score = why.components, why.score
        else:
            parts, score = row.components, row.score
    except Exception:
        log.exception("could not score profile %s against vacancy %s", profile_id, vacancy_id)
        return {}
    return {"match_score": float(score), "match_weights_version": version,
            **{f"match_{name}": float(value) for name, value in parts.items()}}


def _create(application: Application) -> Application:
    """Insert, turning a duplicate that slipped past the check (a concurrent request) into ApplicationExists."""
    try:
        with transaction.atomic():
            application.full_clean(exclude=["profile", "vacancy", "created_by"], validate_unique=False,
                                   validate_constraints=False)
            application.save()
    except IntegrityError as error:
        existing = Application.objects.filter(profile_id=application.profile_id,
                                              vacancy_id=application.vacancy_id).first()
        if existing is None:
            raise
        raise ApplicationExists(_duplicate_message(existing, for_student=application.source == Source.APPLIED),
                                code="duplicate_application") from error
    return application


@transaction.atomic
def application_apply(*, user, vacancy: Vacancy, note: str = "") -> Application:
    """The student applies to an open vacancy, sharing their contact details with its firm (a recorded consent)."""
    profile = _student_profile(user)
    if not Vacancy.objects.open().filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": _("This vacancy is not open for applications.")})
    existing = Application.objects.filter(profile=profile, vacancy=vacancy).first()
    if existing is not None:
        raise ApplicationExists(_duplicate_message(existing, for_student=True), code="duplicate_application")
    now = _now()
    application = _create(Application(
        profile=profile, vacancy=vacancy, source=Source.APPLIED, stage=Stage.APPLIED,
        furthest=PIPELINE_RANK[Stage.APPLIED], note=(note or "").strip(), created_by=user, stage_changed_at=now,
        **match_snapshot(profile_id=profile.pk, vacancy_id=vacancy.pk)))
    event = _event(application, actor=user, from_stage="", to_stage=Stage.APPLIED, at=now)
    _grant_consent(application, purpose=_("Applied to “%(title)s”") % {"title": vacancy.title}, at=now)
    notify.stage_changed(event)
    profile_changed(profile.pk)
    return application


@transaction.atomic
def invitation_create(*, user, vacancy: Vacancy, profile: StudentProfile, message: str = "") -> Application:
    """A firm invites a matched student to apply to one of its open vacancies; the student is notified."""
    if not Vacancy.objects.editable_by(user).filter(pk=vacancy.pk).exists():
        raise PermissionDenied(_("Only members of the firm that posted this vacancy invite candidates to it."))
    if not Vacancy.objects.open().filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": _("Publish the vacancy before inviting candidates.")})
    if not StudentProfile.objects.for_user(user).filter(pk=profile.pk).exists():
        raise ValidationError({"profile": _("This student's profile is not open to firms.")})
    existing = Application.objects.filter(profile=profile, vacancy=vacancy).first()
    if existing is not None:
        raise ApplicationExists(_duplicate_message(existing, for_student=False), code="duplicate_application")
    now = _now()
    application = _create(Application(
        profile=profile, vacancy=vacancy, source=Source.INVITED, stage=Stage.INVITED, furthest=0,
        invite_message=(message or "").strip(), created_by=user, stage_changed_at=now,
        **match_snapshot(profile_id=profile.pk, vacancy_id=vacancy.pk)))
    _event(application, actor=user, from_stage="", to_stage=Stage.INVITED, at=now)
    notify.invitation_sent(application)
    profile_changed(profile.pk)
    return application


def _locking():
    """Applications locked for the rest of the transaction: their own rows only (``of=self``), never the joined
    vacancy, firm or student rows; the vacancy is locked explicitly, and only by a hire."""
    return Application.objects.select_for_update(of=("self",))


def _locked_own(application: Application, user) -> Application:
    locked = _locking().select_related("vacancy__firm", "profile__user").filter(pk=application.pk).first()
    if locked is None or locked.profile.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("This is not your application."))
    return locked


def _set_stage(application: Application, stage: str, now) -> None:
    application.stage = stage
    application.stage_changed_at = now
    if stage in PIPELINE_RANK:
        application.furthest = max(application.furthest, PIPELINE_RANK[stage])


@transaction.atomic
def invitation_respond(*, user, application: Application, accept: bool, note: str = "") -> Application:
    """The student accepts an invitation (it becomes an application and shares their contact details with the
    firm) or declines it."""
    application = _locked_own(application, user)
    if application.stage != Stage.INVITED:
        raise ValidationError({"stage": _("This invitation was already answered (now: %(stage)s).") % {
            "stage": application.get_stage_display()}})
    now = _now()
    if accept:
        if not Vacancy.objects.open().filter(pk=application.vacancy_id).exists():
            raise ValidationError({"vacancy": _("This vacancy has closed in the meantime.")})
        _set_stage(application, Stage.APPLIED, now)
        if note:
            application.note = note.strip()
        application.save()
        _grant_consent(application, purpose=_("Accepted the invitation to “%(title)s”") % {
            "title": application.vacancy.title}, at=now)
        event = _event(application, actor=user, from_stage=Stage.INVITED, to_stage=Stage.APPLIED, at=now)
    else:
        _set_stage(application, Stage.DECLINED, now)
        application.save()
        event = _event(application, actor=user, from_stage=Stage.INVITED, to_stage=Stage.DECLINED,
                       reason=note, at=now)
    notify.stage_changed(event)
    return application


@transaction.atomic
def application_withdraw(*, user, application: Application, reason: str = "") -> Application:
    """The student withdraws: the application leaves the pipeline and the firm loses sight of the contact details
    at once (the consent it granted ends)."""
    application = _locked_own(application, user)
    if application.stage == Stage.INVITED:
        raise ValidationError({"stage": _("Decline the invitation instead.")})
    if application.stage not in ACTIVE_STAGES:
        raise ValidationError({"stage": _("Only an application still in progress can be withdrawn (now: "
                                          "%(stage)s).") % {"stage": application.get_stage_display()}})
    now = _now()
    previous = application.stage
    _set_stage(application, Stage.WITHDRAWN, now)
    application.save()
    _end_consents(application=application, at=now, reason="application withdrawn")
    event = _event(application, actor=user, from_stage=previous, to_stage=Stage.WITHDRAWN, reason=reason, at=now)
    notify.stage_changed(event)
    profile_changed(application.profile_id)
    return application


@transaction.atomic
def consent_withdraw(*, user, profile: StudentProfile, firm_id: int, source: str = "application") -> int:
    """The student withdraws every contact consent they gave one firm; returns how many ended. The applications
    stay, without contact details."""
    if profile.user_id != getattr(user, "pk", None) and not getattr(user, "is_platform_admin", False):
        raise PermissionDenied(_("Only the student can withdraw their consent."))
    return _end_consents(profile_id=profile.pk, firm_id=firm_id, at=_now(), reason="consent withdrawn", source=source)


def _check_move(application: Application, to_stage: str, reason: str) -> None:
    if to_stage not in FIRM_STAGES:
        raise ValidationError({"stage": _("Unknown stage %(stage)r: choose shortlisted, interview, offer, hired or "
                                          "rejected.") % {"stage": to_stage}})
    if application.stage not in ACTIVE_STAGES:
        raise ValidationError({"stage": _("This application is closed (%(stage)s).") % {
            "stage": application.get_stage_display()}})
    if to_stage == Stage.REJECTED:
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for the rejection.")})
        return
    if application.stage == Stage.INVITED:
        raise ValidationError({"stage": _("The student has not accepted the invitation yet.")})
    if PIPELINE_RANK[to_stage] <= PIPELINE_RANK[application.stage]:
        raise ValidationError({"stage": _("The application is already at %(stage)s; stages only move forward.") % {
            "stage": application.get_stage_display()}})


@transaction.atomic
def application_move(*, user, application: Application, to_stage: str, reason: str = "") -> Application:
    """The firm moves an application forward (shortlisted → interview → offer → hired) or rejects it with a reason.

    A hire locks the vacancy first: hires never exceed its openings however many arrive at once, and the hire
    that fills the last opening closes the vacancy.
    """
    if not Application.objects.managed_by(user).filter(pk=application.pk).exists():
        raise PermissionDenied(_("Only members of the firm that posted this vacancy manage its applications."))
    reason = (reason or "").strip()
    vacancy = None
    if to_stage == Stage.HIRED:
        vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    application = _locking().select_related("vacancy__firm", "profile__user").get(pk=application.pk)
    _check_move(application, to_stage, reason)
    now = _now()
    hires = 0
    if vacancy is not None:
        hires = Application.objects.filter(vacancy_id=vacancy.pk, stage=Stage.HIRED).count()
        if hires >= vacancy.openings:
            raise VacancyFilled(_filled_message(vacancy.openings), code="vacancy_filled")
        application.hired_at = now
    previous = application.stage
    _set_stage(application, to_stage, now)
    if application.reviewed_at is None:
        application.reviewed_at = now
    if to_stage == Stage.REJECTED:
        application.rejection_reason = reason[:300]
    application.save()
    event = _event(application, actor=user, from_stage=previous, to_stage=to_stage, reason=reason, at=now)
    notify.stage_changed(event)
    if vacancy is not None and hires + 1 >= vacancy.openings and vacancy.status == VacancyStatus.OPEN:
        _close_filled(vacancy, user)
    return application


def _filled_message(openings: int) -> str:
    return ngettext("The vacancy's only opening is already filled.",
                    "All %(count)d openings of this vacancy are already filled.", openings) % {"count": openings}


def _close_filled(vacancy: Vacancy, user) -> None:
    from apps.jobs.services import vacancy_close

    vacancy_close(vacancy=vacancy, user=user)


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did to one application."""

    application_id: int
    ok: bool
    stage: str = ""
    message: str = ""


def applications_bulk_move(*, user, vacancy: Vacancy, application_ids, to_stage: str,
                           reason: str = "") -> list[BulkResult]:
    """Shortlist or reject several applications of one vacancy; each succeeds or fails on its own (one refusal
    does not undo the others), and each result says why."""
    if to_stage not in (Stage.SHORTLISTED, Stage.REJECTED):
        raise ValidationError({"action": _("Bulk actions are shortlist and reject.")})
    if to_stage == Stage.REJECTED and not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    ids = list(dict.fromkeys(int(pk) for pk in application_ids))
    if not ids:
        raise ValidationError({"applications": _("Select at least one application.")})
    if len(ids) > MAX_BULK:
        raise ValidationError({"applications": _("Select at most %(max)d applications at once.") % {"max": MAX_BULK}})
    found = {a.pk: a for a in Application.objects.managed_by(user).filter(vacancy=vacancy, pk__in=ids)}
    results = []
    for pk in ids:
        application = found.get(pk)
        if application is None:
            results.append(BulkResult(pk, False, message=_("No such application for this vacancy.")))
            continue
        try:
            moved = application_move(user=user, application=application, to_stage=to_stage, reason=reason)
        except ValidationError as error:
            results.append(BulkResult(pk, False, application.stage, " ".join(error.messages)))
        else:
            results.append(BulkResult(pk, True, moved.stage))
    return results


# --- hiring outcomes ----------------------------------------------------------------------------------------


def _months_after(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def outcome_record(*, user, application: Application, start_date=KEEP, stayed_3_months=KEEP,
                   stayed_6_months=KEEP) -> Application:
    """The firm confirms a hire's start date and, later, whether the person stayed 3 and 6 months.

    A confirmed start is also recorded as a placement (source "hired through the platform"), which the cohort
    placement figures count.
    """
    if not Application.objects.managed_by(user).filter(pk=application.pk).exists():
        raise PermissionDenied(_("Only members of the firm that hired this person record the outcome."))
    application = _locking().select_related("vacancy", "profile").get(pk=application.pk)
    if application.stage != Stage.HIRED:
        raise ValidationError({"stage": _("Outcomes are recorded for hires only.")})
    previous_start = application.start_date
    today = timezone.localdate()
    if start_date is not KEEP:
        if start_date is not None:
            hired_on = timezone.localtime(application.hired_at).date()
            if start_date < hired_on - dt.timedelta(days=31):
                raise ValidationError({"start_date": _("The start date is more than a month before the hire "
                                                       "(%(date)s).") % {"date": hired_on.isoformat()}})
            if start_date > today + dt.timedelta(days=366):
                raise ValidationError({"start_date": _("The start date is more than a year ahead.")})
        application.start_date = start_date
        application.start_confirmed_at = _now() if start_date is not None else None
    for months, value in ((3, stayed_3_months), (6, stayed_6_months)):
        if value is KEEP:
            continue
        if value is not None:
            if application.start_date is None:
                raise ValidationError({f"stayed_{months}_months": _("Confirm the start date first.")})
            if _months_after(application.start_date, months) > today:
                raise ValidationError({f"stayed_{months}_months": _(
                    "It is too early: %(months)d months after the start is %(date)s.") % {
                    "months": months, "date": _months_after(application.start_date, months).isoformat()}})
        setattr(application, f"stayed_{months}_months", value)
    if application.stayed_6_months and application.stayed_3_months is False:
        raise ValidationError({"stayed_6_months": _("Someone who left before 3 months cannot have stayed 6.")})
    if application.stayed_3_months is False and application.stayed_6_months is None:
        application.stayed_6_months = False
    application.outcome_updated_at = _now()
    application.save()
    if application.start_date != previous_start:
        _sync_placement(application, user=user)
    return application


def _sync_placement(application: Application, *, user) -> None:
    """Keep the cohort app's placement of this hire in step with the confirmed start date."""
    try:
        from apps.cohorts.models import Placement, PlacementSource
        from apps.cohorts.services.placements import placement_record
    except ImportError:  # the cohorts app is not installed
        return
    firm_id = application.vacancy.firm_id
    Placement.objects.filter(profile_id=application.profile_id, firm_id=firm_id, vacancy_id=application.vacancy_id,
                             source=PlacementSource.PIPELINE).exclude(started_on=application.start_date).delete()
    if application.start_date is None:
        return
    if Placement.objects.filter(profile_id=application.profile_id, firm_id=firm_id,
                                started_on=application.start_date).exists():
        return
    placement_record(user=None, profile=application.profile, firm=application.vacancy.firm,
                     vacancy=application.vacancy, started_on=application.start_date,
                     job_title=application.vacancy.title, source=PlacementSource.PIPELINE,
                     note=_("Hired through the platform"))


def outcome_reminders_due(*, today: dt.date | None = None) -> int:
    """Remind firms of hires whose 3- or 6-month mark has passed without an answer; returns reminders written
    (each at most once per hire, month mark and member)."""
    today = today or timezone.localdate()
    written = 0
    rows = (Application.objects.filter(stage=Stage.HIRED, start_date__isnull=False)
            .filter(Q(stayed_3_months__isnull=True) | Q(stayed_6_months__isnull=True))
            .select_related("vacancy__firm", "profile__user"))
    for application in rows.iterator(chunk_size=500):
        for months, answered in ((3, application.stayed_3_months), (6, application.stayed_6_months)):
            if answered is None and _months_after(application.start_date, months) <= today:
                with transaction.atomic():
                    notify.outcome_due(application, months)
                written += 1
                break
    return written

