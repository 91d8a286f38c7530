"""The retention job purges exactly the stale rows the policy names, and nothing with --dry-run."""

import datetime as dt
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.matching.models import CandidateMatch, VacancyMatch
from apps.notifications.models import Notification
from apps.privacy.models import AuditEvent
from tests import factories
from worker.tasks.privacy import purge_stale_data

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def world(settings):
    settings.PRIVACY_RETENTION = {"UNCLAIMED_ACCOUNT_DAYS": 365, "INACTIVE_ACCOUNT_DAYS": 1095,
                                  "AUDIT_EVENT_DAYS": 1095, "NOTIFICATION_DAYS": 365, "UNMATCHABLE_MATCH_DAYS": 7,
                                  "FAILED_LOGIN_DAYS": 1}
    now = timezone.now()
    stale, fresh = {}, {}
    # accounts
    stale["unclaimed"] = factories.StudentFactory(last_login=None, date_joined=now - 366 * DAY)
    stale["idle"] = factories.StudentFactory(last_login=now - 1096 * DAY, date_joined=now - 2000 * DAY)
    fresh["new_unclaimed"] = factories.StudentFactory(last_login=None, date_joined=now - 300 * DAY)
    fresh["active"] = factories.StudentFactory(last_login=now - 10 * DAY, date_joined=now - 2000 * DAY)
    fresh["staff"] = factories.AdminFactory(last_login=None, date_joined=now - 2000 * DAY)
    # audit events
    old_event = AuditEvent.objects.create(action="export_data", created_at=now - 1096 * DAY)
    new_event = AuditEvent.objects.create(action="export_data", created_at=now - 1000 * DAY)
    # sessions
    for expiry in (now - DAY, now + DAY):
        store = SessionStore()
        store["x"] = 1
        store.create()
        Session.objects.filter(pk=store.session_key).update(expire_date=expiry)
    # notifications
    user = fresh["active"]
    old_note = Notification.objects.create(user=user, kind="stage", event_key="old", subject="s", body="b")
    new_note = Notification.objects.create(user=user, kind="stage", event_key="new", subject="s", body="b")
    Notification.objects.filter(pk=old_note.pk).update(created_at=now - 366 * DAY)
    Notification.objects.filter(pk=new_note.pk).update(created_at=now - 300 * DAY)
    # matches: an opted-out profile (old and recent rows) and a matchable one (old row)
    vacancy = factories.VacancyFactory()
    opted_out = factories.StudentFactory(last_login=now).profile
    opted_out.matching_opt_in = False
    opted_out.save()
    matchable = factories.StudentFactory(last_login=now).profile
    scores = dict(generation=0, score=0.5, required=0.5, optional=0.5, similarity=0.5, language=1, preference=1)
    rows = {}
    for model in (CandidateMatch, VacancyMatch):
        rows[model, "stale"] = model.objects.create(profile=opted_out, vacancy=vacancy, computed_at=now - 8 * DAY,
                                                    **scores).pk
        rows[model, "recent"] = model.objects.create(profile=opted_out, vacancy=factories.VacancyFactory(),
                                                     computed_at=now - 6 * DAY, **scores).pk
        rows[model, "matchable"] = model.objects.create(profile=matchable, vacancy=vacancy,
                                                        computed_at=now - 30 * DAY, **scores).pk
    # failed sign-ins kept by django-axes: one from two days ago (stale), one from an hour ago
    attempts = {}
    for label, age in (("old", 2 * DAY), ("new", dt.timedelta(hours=1))):
        attempt = AccessAttempt.objects.create(username=f"{label}@example.cn", ip_address="10.0.0.1",
                                               user_agent="test", failures_since_start=1)
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - age)
        attempts[label] = attempt.pk
    return {"stale": stale, "fresh": fresh, "events": (old_event, new_event), "notes": (old_note, new_note),
            "rows": rows, "attempts": attempts}


def _counts():
    return (User.objects.filter(is_active=True).count(), AuditEvent.objects.count(), Session.objects.count(),
            Notification.objects.count(), CandidateMatch.objects.count(), VacancyMatch.objects.count(),
            AccessAttempt.objects.count())


def test_dry_run_counts_and_changes_nothing(world):
    before = _counts()
    out = StringIO()
    call_command("purge_stale_data", "--dry-run", stdout=out)
    assert _counts() == before
    text = out.getvalue()
    for line in ("would purge accounts: 2", "would purge audit_events: 1", "would purge sessions: 1",
                 "would purge notifications: 1", "would purge candidate_matches: 1", "would purge vacancy_matches: 1",
                 "would purge failed_logins: 1"):
        assert line in text


def test_purge_removes_exactly_the_stale_rows(world):
    events_before = AuditEvent.objects.count()
    counts = purge_stale_data.apply().get()
    print(f"retention purge: {counts}")
    assert counts == {"accounts": 2, "audit_events": 1, "sessions": 1, "notifications": 1, "candidate_matches": 1,
                      "vacancy_matches": 1, "failed_logins": 1}
    for user in world["stale"].values():
        user.refresh_from_db()
        assert not user.is_active and user.email.endswith("@deleted.invalid") and user.full_name == ""
    for user in world["fresh"].values():
        user.refresh_from_db()
        assert user.is_active and not user.email.endswith("@deleted.invalid")
    old_event, new_event = world["events"]
    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert AuditEvent.objects.filter(pk=new_event.pk).exists()
    # the two account erasures are themselves audited (delete_account, by the system)
    assert AuditEvent.objects.filter(action="delete_account", actor=None).count() == 2
    assert AuditEvent.objects.count() == events_before - 1 + 2
    assert Session.objects.filter(expire_date__lt=timezone.now()).count() == 0 and Session.objects.count() == 1
    old_note, new_note = world["notes"]
    assert list(Notification.objects.values_list("pk", flat=True)) == [new_note.pk]
    for (model, kind), pk in world["rows"].items():
        assert model.objects.filter(pk=pk).exists() == (kind != "stale"), (model, kind)
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [world["attempts"]["new"]]
    # idempotent: a second run finds nothing
    assert set(purge_stale_data.apply().get().values()) == {0}
