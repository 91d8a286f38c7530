"""Notification emails go through the broker to a real worker after the commit, and never twice for one event.

The worker writes its emails with Django's file-based backend into ``celery_worker.mail_dir``; each email carries
an ``X-TalentMatch-Event`` header naming its event, which is what these tests count.
"""

import time
import uuid

import pytest
from django.db import transaction

from apps.applications import services as pipeline
from apps.notifications.models import EmailStatus, Notification
from tests import factories


def _emails_for(mail_dir, event_key: str) -> int:
    header = f"X-TalentMatch-Event: {event_key}\n"
    return sum(path.read_text(errors="replace").count(header) for path in mail_dir.glob("*.log"))


@pytest.fixture
def invitation(transactional_db):
    """An invitation committed in one transaction; its notification's email is enqueued on commit."""
    firm_user = factories.MemberFactory()
    vacancy = factories.VacancyFactory(firm=firm_user.primary_organisation, title="Amazon operator")
    factories.require_skills(vacancy, required={"platform.aliexpress": (2, 1.0)})
    student = factories.StudentFactory(email=f"invited-{uuid.uuid4().hex[:8]}@example.com", preferred_language="en")
    return firm_user, vacancy, student


def test_the_invitation_email_is_sent_by_the_worker_after_commit(invitation, live_celery):
    firm_user, vacancy, student = invitation
    with transaction.atomic():
        application = pipeline.invitation_create(user=firm_user, vacancy=vacancy, profile=student.profile)
        key = f"invitation:{application.pk}"
        time.sleep(1)  # nothing may be sent while the transaction is open
        assert _emails_for(live_celery.worker.mail_dir, key) == 0
    live_celery.wait_for(lambda: _emails_for(live_celery.worker.mail_dir, key) == 1, timeout=30)
    notification = Notification.objects.get(event_key=key)
    assert notification.email_status == EmailStatus.SENT and notification.user == student
    text = "".join(p.read_text() for p in live_celery.worker.mail_dir.glob("*.log") if key in p.read_text())
    assert "invites you to apply: Amazon operator" in text and "/notifications/unsubscribe/" in text


def test_the_same_event_delivered_twice_sends_one_email(invitation, live_celery):
    firm_user, vacancy, student = invitation
    with transaction.atomic():
        application = pipeline.invitation_create(user=firm_user, vacancy=vacancy, profile=student.profile)
    key = f"invitation:{application.pk}"
    notification_id = Notification.objects.get(event_key=key).pk
    # The broker hands the same task to the worker twice more (a redelivery, a duplicate publish).
    results = [live_celery.app.send_task("notifications.send_email", kwargs={"notification_id": notification_id})
               for _ in range(2)]
    answers = [result.get(timeout=30) for result in results]
    live_celery.wait_for(lambda: Notification.objects.get(pk=notification_id).email_status == EmailStatus.SENT,
                         timeout=30)
    time.sleep(1)
    assert _emails_for(live_celery.worker.mail_dir, key) == 1
    assert "already handled" in answers
    # and the same event reported twice by the application side records one notification, one email
    with transaction.atomic():
        from apps.applications import notify

        notify.invitation_sent(application)
    time.sleep(2)
    assert Notification.objects.filter(event_key=key).count() == 1
    assert _emails_for(live_celery.worker.mail_dir, key) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(invitation, live_celery):
    firm_user, vacancy, student = invitation
    with pytest.raises(RuntimeError), transaction.atomic():
        pipeline.invitation_create(user=firm_user, vacancy=vacancy, profile=student.profile)
        raise RuntimeError("roll back")
    time.sleep(3)
    assert not Notification.objects.filter(user=student).exists()
    assert not any(student.email in p.read_text() for p in live_celery.worker.mail_dir.glob("*.log"))
