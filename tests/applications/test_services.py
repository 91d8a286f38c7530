"""The pipeline's rules, through the services: applying, duplicates, invitations, consent, stage moves, hires,
bulk actions and outcomes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.applications import selectors, services
from apps.applications.models import Application, ApplicationEvent, ContactConsent, Stage
from apps.jobs.models import Vacancy, VacancyStatus
from apps.matching.models import CandidateMatch
from tests import factories

pytestmark = pytest.mark.django_db


def test_applying_records_the_stage_the_event_the_consent_and_the_match(world, apply_as):
    stored = CandidateMatch.objects.get(vacancy=world.vacancy, profile=world.gap)
    application = apply_as(world.gap, world.vacancy, note="  I run a TikTok shop.  ")
    assert application.stage == Stage.APPLIED and application.source == "applied"
    assert application.note == "I run a TikTok shop."
    assert application.match_score == pytest.approx(stored.score)
    assert application.match_required == pytest.approx(stored.required)
    assert application.match_weights_version == "default-1"
    (event,) = ApplicationEvent.objects.filter(application=application)
    assert (event.from_stage, event.to_stage, event.actor, event.actor_role) == ("", "applied", world.gap.user,
                                                                                  "student")
    consent = ContactConsent.objects.get(application=application)
    assert consent.firm_id == world.vacancy.firm_id and consent.withdrawn_at is None
    assert "TikTok Shop operator" in consent.purpose and consent.granted_at is not None


def test_a_second_application_is_refused_with_a_clear_message(world, apply_as):
    apply_as(world.gap, world.vacancy)
    with pytest.raises(services.ApplicationExists, match="You already applied to this vacancy on"):
        apply_as(world.gap, world.vacancy)
    assert Application.objects.filter(profile=world.gap, vacancy=world.vacancy).count() == 1


def test_the_database_constraint_holds_even_past_the_service(world, apply_as):
    from django.db import IntegrityError, transaction

    first = apply_as(world.gap, world.vacancy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(profile=world.gap, vacancy=world.vacancy, source="applied", stage="applied",
                                   stage_changed_at=first.stage_changed_at)


def test_a_withdrawn_application_cannot_be_made_again(world, apply_as):
    application = apply_as(world.gap, world.vacancy)
    services.application_withdraw(user=world.gap.user, application=application)
    with pytest.raises(services.ApplicationExists, match="You withdrew your application"):
        apply_as(world.gap, world.vacancy)


def test_only_open_vacancies_take_applications(world, apply_as):
    with pytest.raises(ValidationError, match="not open"):
        apply_as(world.gap, world.draft_vacancy)


def test_non_students_cannot_apply(world):
    with pytest.raises(PermissionDenied):
        services.application_apply(user=world.firm_user, vacancy=world.vacancy)


def test_applicants_leave_the_ranked_list_and_are_shown_apart(world, apply_as, django_capture_on_commit_callbacks):
    assert CandidateMatch.objects.filter(vacancy=world.vacancy, profile=world.gap).exists()
    with django_capture_on_commit_callbacks(execute=True):
        application = apply_as(world.gap, world.vacancy)
    assert (world.gap.pk, world.vacancy.pk) in selectors.applied_pairs()
    assert not CandidateMatch.objects.filter(vacancy=world.vacancy, profile=world.gap).exists()
    assert [p.pk for p in selectors.vacancy_applicants(vacancy=world.vacancy, user=world.firm_user)] == [world.gap.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(user=world.gap.user, application=application)
    assert (world.gap.pk, world.vacancy.pk) not in selectors.applied_pairs()
    assert CandidateMatch.objects.filter(vacancy=world.vacancy, profile=world.gap).exists()


def test_contact_is_shared_with_the_firm_by_applying_and_hidden_again_by_withdrawing(world, apply_as):
    firm_user = world.firm_user
    assert not selectors.contact_visible(profile=world.gap, user=firm_user)
    application = apply_as(world.gap, world.vacancy)
    assert selectors.contact_visible(profile=world.gap, user=firm_user)
    assert not selectors.contact_visible(profile=world.gap, user=world.other_firm_user)
    services.application_withdraw(user=world.gap.user, application=application, reason="found a job")
    assert not selectors.contact_visible(profile=world.gap, user=firm_user)
    assert selectors.vacancy_applicants(vacancy=world.vacancy, user=firm_user) == []


def test_withdrawing_the_consent_keeps_the_application_but_hides_the_contact(world, apply_as):
    application = apply_as(world.gap, world.vacancy)
    assert services.consent_withdraw(user=world.gap.user, profile=world.gap, firm_id=world.vacancy.firm_id) == 1
    assert not selectors.contact_visible(profile=world.gap, user=world.firm_user)
    assert Application.objects.get(pk=application.pk).stage == Stage.APPLIED
    consent = ContactConsent.objects.get(application=application)
    assert consent.withdrawn_at is not None and consent.withdrawn_reason == "consent withdrawn"
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(user=world.firm_user, profile=world.gap, firm_id=world.vacancy.firm_id)


def test_invitation_accept_shares_the_contact_and_decline_closes_it(world):
    invitation = services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap,
                                            message="Join us")
    assert invitation.stage == Stage.INVITED and invitation.source == "invited"
    assert not selectors.contact_visible(profile=world.gap, user=world.firm_user)
    accepted = services.invitation_respond(user=world.gap.user, application=invitation, accept=True)
    assert accepted.stage == Stage.APPLIED
    assert selectors.contact_visible(profile=world.gap, user=world.firm_user)
    with pytest.raises(ValidationError, match="already answered"):
        services.invitation_respond(user=world.gap.user, application=invitation, accept=False)

    second = services.invitation_create(user=world.firm_user, vacancy=world.second_vacancy, profile=world.course)
    declined = services.invitation_respond(user=world.course.user, application=second, accept=False, note="No")
    assert declined.stage == Stage.DECLINED
    assert ContactConsent.objects.filter(profile=world.course).count() == 0
    stages = list(ApplicationEvent.objects.filter(application=second).values_list("to_stage", "actor_role"))
    assert stages == [("invited", "firm"), ("declined", "student")]


def test_invitations_need_the_firms_open_vacancy_and_a_visible_profile(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(user=world.other_firm_user, vacancy=world.vacancy, profile=world.gap)
    with pytest.raises(ValidationError, match="not open to firms"):
        services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.hidden)
    services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap)
    with pytest.raises(services.ApplicationExists, match="already in the vacancy's pipeline"):
        services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap)


def test_student_cannot_answer_someone_elses_invitation(world):
    invitation = services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap)
    with pytest.raises(PermissionDenied):
        services.invitation_respond(user=world.course.user, application=invitation, accept=True)


def test_stages_move_forward_only_and_record_who_and_why(world, apply_as):
    application = apply_as(world.gap, world.vacancy)
    user = world.firm_user
    services.application_move(user=user, application=application, to_stage=Stage.INTERVIEW)
    with pytest.raises(ValidationError, match="only move forward"):
        services.application_move(user=user, application=application, to_stage=Stage.SHORTLISTED)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.application_move(user=user, application=application, to_stage=Stage.REJECTED)
    rejected = services.application_move(user=user, application=application, to_stage=Stage.REJECTED,
                                         reason="Needs more TikTok experience")
    assert rejected.rejection_reason == "Needs more TikTok experience"
    assert rejected.furthest == 3 and rejected.reviewed_at is not None
    with pytest.raises(ValidationError, match="closed"):
        services.application_move(user=user, application=application, to_stage=Stage.OFFER)
    events = list(ApplicationEvent.objects.filter(application=application).values_list(
        "from_stage", "to_stage", "actor_id", "reason"))
    assert events == [("", "applied", world.gap.user_id, ""), ("applied", "interview", user.pk, ""),
                      ("interview", "rejected", user.pk, "Needs more TikTok experience")]


def test_other_firms_and_students_cannot_move_stages(world, apply_as):
    application = apply_as(world.gap, world.vacancy)
    for user in (world.other_firm_user, world.gap.user):
        with pytest.raises(PermissionDenied):
            services.application_move(user=user, application=application, to_stage=Stage.SHORTLISTED)


def test_invited_students_cannot_be_shortlisted_before_accepting(world):
    invitation = services.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap)
    with pytest.raises(ValidationError, match="not accepted"):
        services.application_move(user=world.firm_user, application=invitation, to_stage=Stage.SHORTLISTED)


def test_hires_stop_at_the_openings_and_the_filled_vacancy_closes(world, apply_as):
    Vacancy.objects.filter(pk=world.vacancy.pk).update(openings=2)
    applications = [apply_as(p, world.vacancy) for p in (world.full, world.gap, world.course)]
    for application in applications[:2]:
        services.application_move(user=world.firm_user, application=application, to_stage=Stage.HIRED)
    assert Vacancy.objects.get(pk=world.vacancy.pk).status == VacancyStatus.CLOSED
    with pytest.raises(services.VacancyFilled, match="All 2 openings"):
        services.application_move(user=world.firm_user, application=applications[2], to_stage=Stage.HIRED)
    assert Application.objects.filter(vacancy=world.vacancy, stage=Stage.HIRED).count() == 2
    assert Application.objects.get(pk=applications[0].pk).hired_at is not None


def test_bulk_actions_report_each_application(world, apply_as):
    a = apply_as(world.full, world.vacancy)
    b = apply_as(world.gap, world.vacancy)
    other = apply_as(world.gap, world.other_vacancy)
    services.application_move(user=world.firm_user, application=b, to_stage=Stage.INTERVIEW)
    results = services.applications_bulk_move(user=world.firm_user, vacancy=world.vacancy,
                                              application_ids=[a.pk, b.pk, other.pk], to_stage=Stage.SHORTLISTED)
    assert [(r.application_id, r.ok) for r in results] == [(a.pk, True), (b.pk, False), (other.pk, False)]
    assert "only move forward" in results[1].message and "No such application" in results[2].message
    with pytest.raises(ValidationError, match="reason"):
        services.applications_bulk_move(user=world.firm_user, vacancy=world.vacancy, application_ids=[a.pk],
                                        to_stage=Stage.REJECTED)
    results = services.applications_bulk_move(user=world.firm_user, vacancy=world.vacancy,
                                              application_ids=[a.pk, b.pk], to_stage=Stage.REJECTED,
                                              reason="Position filled internally")
    assert all(r.ok for r in results)
    assert set(Application.objects.filter(vacancy=world.vacancy).values_list("stage", flat=True)) == {"rejected"}


def _hire(world, apply_as, profile=None):
    application = apply_as(profile or world.full, world.vacancy)
    return services.application_move(user=world.firm_user, application=application, to_stage=Stage.HIRED)


def test_outcomes_need_a_start_date_and_time_to_pass(world, apply_as):
    hire = _hire(world, apply_as)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Confirm the start date first"):
        services.outcome_record(user=world.firm_user, application=hire, stayed_3_months=True)
    services.outcome_record(user=world.firm_user, application=hire, start_date=today)
    with pytest.raises(ValidationError, match="too early"):
        services.outcome_record(user=world.firm_user, application=hire, stayed_3_months=True)
    Application.objects.filter(pk=hire.pk).update(hired_at=timezone.now() - dt.timedelta(days=200))
    start = today - dt.timedelta(days=190)
    services.outcome_record(user=world.firm_user, application=hire, start_date=start, stayed_3_months=True,
                            stayed_6_months=True)
    hire.refresh_from_db()
    assert (hire.start_date, hire.stayed_3_months, hire.stayed_6_months) == (start, True, True)
    with pytest.raises(ValidationError, match="cannot have stayed 6"):
        services.outcome_record(user=world.firm_user, application=hire, stayed_3_months=False)
    services.outcome_record(user=world.firm_user, application=hire, stayed_6_months=None)
    left = services.outcome_record(user=world.firm_user, application=hire, stayed_3_months=False)
    assert left.stayed_6_months is False
    with pytest.raises(PermissionDenied):
        services.outcome_record(user=world.other_firm_user, application=hire, start_date=today)


def test_outcomes_only_for_hires(world, apply_as):
    application = apply_as(world.gap, world.vacancy)
    with pytest.raises(ValidationError, match="hires only"):
        services.outcome_record(user=world.firm_user, application=application, start_date=timezone.localdate())


def test_a_confirmed_start_becomes_a_cohort_placement(world, apply_as):
    from apps.cohorts.models import Placement

    hire = _hire(world, apply_as)
    start = timezone.localdate()
    services.outcome_record(user=world.firm_user, application=hire, start_date=start)
    placement = Placement.objects.get(profile=world.full)
    assert (placement.firm_id, placement.vacancy_id, placement.started_on, placement.source) == (
        world.vacancy.firm_id, world.vacancy.pk, start, "pipeline")
    later = start + dt.timedelta(days=7)
    services.outcome_record(user=world.firm_user, application=hire, start_date=later)
    assert list(Placement.objects.filter(profile=world.full).values_list("started_on", flat=True)) == [later]
    services.outcome_record(user=world.firm_user, application=hire, start_date=None)
    assert not Placement.objects.filter(profile=world.full).exists()


def test_hires_for_profiles_and_outcome_totals(world, apply_as):
    apply_as(world.gap, world.vacancy)
    hire = _hire(world, apply_as)  # the only opening: the vacancy closes
    services.outcome_record(user=world.firm_user, application=hire, start_date=timezone.localdate())
    (record,) = selectors.hires_for_profiles([world.full.pk, world.gap.pk])
    assert (record.profile_id, record.firm_id, record.vacancy_id, record.job_title) == (
        world.full.pk, world.vacancy.firm_id, world.vacancy.pk, "TikTok Shop operator")
    assert selectors.outcome_totals()["hired"] == 1 and selectors.outcome_totals()["started"] == 1


def test_student_sees_own_firm_sees_its_vacancies_others_none(world, apply_as):
    mine = apply_as(world.gap, world.vacancy)
    apply_as(world.gap, world.other_vacancy)
    assert list(Application.objects.for_user(world.firm_user)) == [mine]
    assert Application.objects.for_user(world.gap.user).count() == 2
    assert Application.objects.for_user(world.course.user).count() == 0
    assert Application.objects.for_user(factories.MemberFactory(organisation=factories.UniversityFactory())
                                        ).count() == 0


def test_applied_pairs_can_be_narrowed_to_one_profile_or_vacancy(world, apply_as):
    a = apply_as(world.gap, world.vacancy)
    apply_as(world.gap, world.other_vacancy)
    apply_as(world.full, world.vacancy)
    services.application_withdraw(user=world.full.user, application=Application.objects.get(profile=world.full))
    assert sorted(selectors.applied_pairs()) == sorted([(world.gap.pk, world.vacancy.pk),
                                                        (world.gap.pk, world.other_vacancy.pk)])
    assert selectors.applied_pairs(vacancy_ids=[world.vacancy.pk]) == [(world.gap.pk, a.vacancy_id)]
    assert len(selectors.applied_pairs(profile_ids=[world.gap.pk])) == 2
    assert selectors.applied_pairs(profile_ids=[world.course.pk]) == []
