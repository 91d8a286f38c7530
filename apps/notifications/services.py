"""Writes for notifications: record one (idempotent), send its email once, unsubscribe, digests.

``notify`` is called inside the transaction of the event it reports: the notification row commits with the
event or not at all, and its email is enqueued only after the commit. ``notification_send_email`` runs in the
worker and claims the row before sending, so a task the broker delivers twice sends one email.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import EmailStatus, Kind, Notification, NotificationSettings

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_KINDS = ("invitation", "stage", "digest", "all")
MAX_EMAIL_ATTEMPTS = 5


def site_url() -> str:
    """The public address used in emails (``SITE_URL`` setting; the development server by default)."""
    return getattr(settings, "SITE_URL", "") or "http://localhost:8000"


def user_language(user) -> str:
    language = (getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE).lower()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def settings_for(user) -> NotificationSettings:
    """The user's notification settings (created with the defaults on first use)."""
    row, _ = NotificationSettings.objects.get_or_create(user=user)
    return row


@transaction.atomic
def settings_update(*, user, data: dict, consent_source: str = "notification_settings") -> NotificationSettings:
    """Change which notifications the user gets by email, and from which score a match counts as strong.

    Each email switch that changes is recorded as a ``privacy.ConsentRecord`` (purpose "email")."""
    from apps.privacy.services import EMAIL_CONSENTS, record_email_consents, snapshot

    row = settings_for(user)
    before = snapshot(row, EMAIL_CONSENTS)
    allowed = {"email_invitations", "email_stage_changes", "email_digest", "digest_min_score"}
    for key, value in data.items():
        if key not in allowed:
            raise ValueError(f"unknown setting {key!r}")
        setattr(row, key, value)
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not 0.3 <= float(row.digest_min_score) <= 1.0:
        raise ValidationError({"digest_min_score": _("Give a score between 0.3 and 1.")})
    row.full_clean(exclude=["user", "digest_seen"])
    row.save()
    record_email_consents(user=user, row=row, before=before, source=consent_source)
    return row


def notify(*, user, kind: str, event_key: str, subject: str, body: str, url: str = "") -> Notification | None:
    """Record an in-app notification for ``user`` once per ``event_key`` and email it after the commit.

    Called inside the event's transaction. A second call with the same key changes nothing (the unique key is
    the idempotency key). Inactive users get nothing.
    """
    if user is None or not user.is_active:
        return None
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                event_key=event_key[:200],
                defaults={"user": user, "kind": kind, "subject": subject[:200], "body": body, "url": url[:300]})
    except IntegrityError:  # created by a concurrent transaction meanwhile
        return Notification.objects.filter(event_key=event_key[:200]).first()
    if not created:
        return notification
    if not settings_for(user).wants_email(kind):
        Notification.objects.filter(pk=notification.pk).update(email_status=EmailStatus.SKIPPED)
        notification.email_status = EmailStatus.SKIPPED
        return notification
    transaction.on_commit(lambda: enqueue_email(notification.pk))
    return notification


def enqueue_email(notification_id: int) -> None:
    """Hand the email to the worker (in-process without a broker). A broker that is down is not an error here:
    ``notifications.flush_pending`` re-enqueues what is still pending."""
    from worker.tasks import notifications as tasks

    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            tasks.send_email.apply(kwargs={"notification_id": notification_id})
        else:
            tasks.send_email.apply_async(kwargs={"notification_id": notification_id})
    except Exception:
        log.exception("could not enqueue the email of notification %s", notification_id)


def unsubscribe_token(user, kind: str) -> str:
    """A signed token that switches one kind of email (or all) off for this user, with no sign-in needed."""
    if kind not in UNSUBSCRIBE_KINDS:
        raise ValueError(kind)
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user, kind: str) -> str:
    with translation.override(user_language(user)):
        path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
    return site_url().rstrip("/") + path


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


def unsubscribe_parse(token: str) -> Unsubscribe | None:
    """The user and kind a token stands for, or None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in UNSUBSCRIBE_KINDS or not isinstance(data.get("u"), int):
        return None
    return Unsubscribe(user_id=data["u"], kind=data["k"])


@transaction.atomic
def unsubscribe_apply(*, user, kind: str) -> NotificationSettings:
    """Switch one kind of email (or every kind) off."""
    fields = {"invitation": ["email_invitations"], "stage": ["email_stage_changes"], "digest": ["email_digest"],
              "all": ["email_invitations", "email_stage_changes", "email_digest"]}[kind]
    from apps.privacy.services import EMAIL_CONSENTS, record_email_consents, snapshot

    row = settings_for(user)
    before = snapshot(row, EMAIL_CONSENTS)
    for name in fields:
        setattr(row, name, False)
    row.save(update_fields=[*fields, "updated_at"])
    record_email_consents(user=user, row=row, before=before, source="unsubscribe")
    return row


def _unsubscribe_kind(kind: str) -> str:
    return "stage" if kind == Kind.OUTCOME else kind


def render_email(notification: Notification) -> EmailMessage:
    """The email for a notification, in the recipient's language, with a one-click unsubscribe link."""
    user = notification.user
    kind = _unsubscribe_kind(notification.kind)
    with translation.override(user_language(user)):
        context = {
            "notification": notification, "user": user,
            "link": site_url().rstrip("/") + notification.url if notification.url.startswith("/") else
            notification.url,
            "unsubscribe_url": unsubscribe_url(user, kind),
            "unsubscribe_all_url": unsubscribe_url(user, "all"),
            "settings_url": site_url().rstrip("/") + reverse("notifications:settings"),
        }
        body = render_to_string("notifications/email/notification.txt", context)
    message = EmailMessage(subject=notification.subject, body=body, to=[user.email],
                           from_email=settings.DEFAULT_FROM_EMAIL)
    message.extra_headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                             "X-TalentMatch-Event": notification.event_key}
    return message


def notification_send_email(*, notification_id: int) -> str:
    """Send a notification's email at most once: claim it (pending → sending), send, mark it sent.

    A second delivery of the same task finds it claimed or sent and does nothing. A failed send goes back to
    pending (the task retries) until ``MAX_EMAIL_ATTEMPTS``, then stays failed.
    """
    claimed = Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.SENDING, email_attempts=F("email_attempts") + 1)
    if not claimed:
        return "already handled"
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if not notification.user.is_active or not notification.user.email or \
            not settings_for(notification.user).wants_email(notification.kind):
        Notification.objects.filter(pk=notification_id).update(email_status=EmailStatus.SKIPPED)
        return "skipped"
    try:
        render_email(notification).send(fail_silently=False)
    except Exception as error:
        final = notification.email_attempts >= MAX_EMAIL_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            email_status=EmailStatus.FAILED if final else EmailStatus.PENDING, email_error=str(error)[:300])
        raise
    Notification.objects.filter(pk=notification_id).update(email_status=EmailStatus.SENT, emailed_at=timezone.now(),
                                                           email_error="")
    return "sent"


def pending_email_ids(*, older_than_seconds: int = 300, limit: int = 500) -> list[int]:
    """Emails still waiting a while after their notification was written (the broker may have been down)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lt=cutoff)
                .order_by("created_at").values_list("pk", flat=True)[:limit])


@transaction.atomic
def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark some (or all) of the user's unread notifications read; returns how many changed."""
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
