"""Notifications: in-app and by email after the commit, once per event, in the recipient's language, respecting
their settings, with a signed unsubscribe link; stage changes reach the other side; outcome reminders."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from apps.applications import services as pipeline
from apps.applications.models import Stage
from apps.notifications import services
from apps.notifications.models import EmailStatus, Notification
from worker.tasks import notifications as tasks

pytestmark = pytest.mark.django_db


def test_an_invitation_notifies_the_student_in_app_and_by_email_after_commit(world, invite):
    world.gap.user.preferred_language = "en"
    world.gap.user.save()
    application = invite(world.gap)
    notification = Notification.objects.get(user=world.gap.user)
    assert notification.event_key == f"invitation:{application.pk}" and notification.kind == "invitation"
    assert notification.subject == "Hi-tech Trading Co. invites you to apply: TikTok Shop operator"
    assert notification.email_status == EmailStatus.SENT and notification.url == "/en/applications/mine/"
    (email,) = mail.outbox
    assert email.to == ["gap@example.com"] and email.subject == notification.subject
    assert "Hello Wang Gap," in email.body and "http://localhost:8000/en/applications/mine/" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http://localhost:8000/en/notifications/unsubscribe/")


def test_notifications_are_written_in_the_recipients_language(world, invite):
    invite(world.gap)  # preferred_language defaults to Chinese, whose pages carry no language prefix
    notification = Notification.objects.get(user=world.gap.user)
    assert notification.url == "/applications/mine/"
    (email,) = mail.outbox
    assert "http://localhost:8000/applications/mine/" in email.body
    assert "http://localhost:8000/notifications/unsubscribe/" in email.body


def test_nothing_is_sent_before_the_commit(world):
    pipeline.invitation_create(user=world.firm_user, vacancy=world.vacancy, profile=world.gap)
    assert Notification.objects.filter(user=world.gap.user).count() == 1  # written with the event
    assert mail.outbox == []  # the email waits for the commit, which this test never makes


def test_the_same_event_twice_gives_one_notification_and_one_email(world, invite, django_capture_on_commit_callbacks):
    application = invite(world.gap)
    from apps.applications import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify.invitation_sent(application)
    notification = Notification.objects.get(user=world.gap.user)
    tasks.send_email.apply(kwargs={"notification_id": notification.pk})
    tasks.send_email.apply(kwargs={"notification_id": notification.pk})
    assert Notification.objects.filter(user=world.gap.user).count() == 1
    assert len(mail.outbox) == 1


def test_email_settings_are_respected_but_the_in_app_notice_stays(world, invite):
    services.settings_update(user=world.gap.user, data={"email_invitations": False})
    invite(world.gap)
    notification = Notification.objects.get(user=world.gap.user)
    assert notification.email_status == EmailStatus.SKIPPED
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_then_sent_once(world, monkeypatch):
    notification = Notification.objects.create(user=world.gap.user, kind="stage", event_key="test:retry",
                                               subject="S", body="B")
    calls = {"n": 0}
    original = services.render_email

    def flaky(n):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP down")
        return original(n)

    monkeypatch.setattr(services, "render_email", flaky)
    with pytest.raises(OSError):
        services.notification_send_email(notification_id=notification.pk)
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.PENDING
    assert services.notification_send_email(notification_id=notification.pk) == "sent"
    assert services.notification_send_email(notification_id=notification.pk) == "already handled"
    assert len(mail.outbox) == 1


def test_stage_changes_reach_the_other_side(world, django_capture_on_commit_callbacks):
    for user in (world.firm_user, world.gap.user):
        user.preferred_language = "en"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = pipeline.application_apply(user=world.gap.user, vacancy=world.vacancy)
    firm_notes = Notification.objects.filter(user=world.firm_user)
    assert [n.body for n in firm_notes] == ["Wang Gap applied to “TikTok Shop operator”."]
    assert firm_notes[0].url == f"/en/applications/vacancy/{world.vacancy.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.application_move(user=world.firm_user, application=application, to_stage=Stage.REJECTED,
                                  reason="Needs TikTok level 3")
    student_note = Notification.objects.get(user=world.gap.user)
    assert student_note.kind == "stage" and "Needs TikTok level 3" in student_note.body
    assert {m.to[0] for m in mail.outbox} == {world.firm_user.email, "gap@example.com"}


def test_unsubscribe_link_switches_that_email_off_without_signing_in(client, world):
    user = world.gap.user
    token = services.unsubscribe_token(user, "digest")
    page = client.get(f"/en/notifications/unsubscribe/{token}/")
    assert page.status_code == 200 and "Stop the daily digest" in page.content.decode()
    client.post(f"/en/notifications/unsubscribe/{token}/")
    prefs = services.settings_for(user)
    assert prefs.email_digest is False and prefs.email_invitations is True
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert client.get(f"/en/notifications/unsubscribe/{tampered}/").status_code == 400
    client.post(f"/en/notifications/unsubscribe/{services.unsubscribe_token(user, 'all')}/")
    prefs = services.settings_for(user)
    assert not (prefs.email_invitations or prefs.email_stage_changes or prefs.email_digest)


def test_notification_pages(client, world, invite):
    invite(world.gap)
    client.force_login(world.gap.user)
    page = client.get("/en/notifications/").content.decode()
    assert "1 unread" in page
    notification = Notification.objects.get(user=world.gap.user)
    opened = client.get(f"/en/notifications/{notification.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == notification.url
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    other = Notification.objects.create(user=world.firm_user, kind="stage", event_key="x", subject="s", body="b")
    assert client.get(f"/en/notifications/{other.pk}/open/").status_code == 404
    saved = client.post("/en/notifications/settings/", {"email_invitations": "on", "digest_min_score": "85"},
                        follow=True)
    assert "saved" in saved.content.decode()
    prefs = services.settings_for(world.gap.user)
    assert prefs.digest_min_score == pytest.approx(0.85) and prefs.email_digest is False
    bad = client.post("/en/notifications/settings/", {"digest_min_score": "5"})
    assert bad.status_code == 200 and "greater than or equal to 30" in bad.content.decode()


def test_notification_api(client, world, invite):
    from rest_framework.test import APIClient

    invite(world.gap)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(world.gap.user)
    listed = api.get("/api/v1/notifications/?unread=true").data
    assert listed["count"] == 1 and listed["results"][0]["kind"] == "invitation"
    assert api.post(f"/api/v1/notifications/{listed['results'][0]['id']}/read/").data == {"marked": 1}
    assert api.get("/api/v1/notifications/?unread=true").data["count"] == 0
    assert api.patch("/api/v1/notification-settings/", {"digest_min_score": 2}, format="json").status_code == 400
    changed = api.patch("/api/v1/notification-settings/", {"email_digest": False}, format="json").data
    assert changed["email_digest"] is False and changed["email_invitations"] is True


def test_outcome_reminders_once_per_mark(world, django_capture_on_commit_callbacks):
    world.firm_user.preferred_language = "en"  # reminders are written in the recipient's language
    world.firm_user.save(update_fields=["preferred_language"])
    application = pipeline.application_apply(user=world.full.user, vacancy=world.vacancy)
    hire = pipeline.application_move(user=world.firm_user, application=application, to_stage=Stage.HIRED)
    hire.refresh_from_db()
    start = timezone.localdate() - dt.timedelta(days=100)
    type(hire).objects.filter(pk=hire.pk).update(start_date=start)
    assert pipeline.outcome_reminders_due() == 1
    assert pipeline.outcome_reminders_due() == 1  # asked again: the same reminder, not a second one
    reminders = Notification.objects.filter(user=world.firm_user, kind="outcome")
    assert reminders.count() == 1 and re.search(r"stay 3 months", reminders[0].subject)
